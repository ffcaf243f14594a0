#!/usr/bin/env bash
# Installs the Debian 12 packages the project needs (idempotent) and selects OpenBLAS-OpenMP as BLAS.
# Usage: scripts/install-deps.sh [--bench]   (--bench adds python3-torch/sklearn for the baselines)
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache git
  libtorch-dev libgloo-dev libfaiss-dev libopenblas0-openmp
  libinsighttoolkit5-dev libgdcm-tools
  libimgui-dev libglfw3-dev libgl-dev libgl1-mesa-dri libstb-dev libgtk-3-dev
  libcairo2-dev nlohmann-json3-dev libcli11-dev zlib1g-dev
  libgtest-dev xvfb xauth python3
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-torch python3-sklearn)
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "[install-deps] installing: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "[install-deps] all packages present"
fi

# libtorch and libfaiss call whatever libblas.so.3 points to: pin OpenBLAS's OpenMP build
# (reference BLAS is 2-30x slower; the pthread build fights OpenMP's pool): ../shared/docs/PLATFORM.md, pitfall 1.
arch_dir=/usr/lib/x86_64-linux-gnu
for lib in libblas.so.3 liblapack.so.3; do
  target="$arch_dir/openblas-openmp/$lib"
  if [[ -e "$target" ]]; then
    "${sudo_cmd[@]}" update-alternatives --set "$lib-x86_64-linux-gnu" "$target" >/dev/null
  fi
done
echo "[install-deps] BLAS: $(readlink -f $arch_dir/libblas.so.3)"
