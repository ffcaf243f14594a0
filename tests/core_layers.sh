#!/bin/sh
# Keeps core/ a one-way stack: a folder may include only itself and the folders to its left.
#   common -> io -> data -> model -> train -> eval | analysis -> jobs
# (eval and analysis are siblings: both sit above train, neither includes the other.)
# Usage: core_layers.sh SOURCE_DIR. Prints every offending "file: include" and exits 1 if any.
set -eu
cd "$1/core"

# rank FOLDER: position in the stack; siblings share a rank.
rank() {
  case "$1" in
    common) echo 0 ;; io) echo 1 ;; data) echo 2 ;; model) echo 3 ;; train) echo 4 ;;
    eval | analysis) echo 5 ;; jobs) echo 6 ;; *) echo -1 ;;
  esac
}

status=0
for dir in */; do
  dir=${dir%/}
  own=$(rank "$dir")
  if [ "$own" -lt 0 ]; then
    echo "core/$dir: folder not in the stack (add it to tests/core_layers.sh and docs/ARCHITECTURE.md)"
    status=1
    continue
  fi
  # grep prints FILE:#include "core/FOLDER/..."; a file without core includes is fine.
  for hit in $(grep -o '^#include "core/[A-Za-z_]*/' "$dir"/*.h "$dir"/*.cpp 2>/dev/null | tr -d ' ' | sort -u); do
    file=${hit%%:*}
    target=${hit#*\"core/}
    target=${target%/}
    [ "$target" = "$dir" ] && continue
    other=$(rank "$target")
    if [ "$other" -lt 0 ] || [ "$other" -ge "$own" ]; then
      grep -n "^#include \"core/$target/" "$file" | sed "s|^|core/$file:|"
      status=1
    fi
  done
done
[ "$status" -eq 0 ] && echo "core layers: ok"
exit "$status"
