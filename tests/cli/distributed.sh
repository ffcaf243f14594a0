#!/usr/bin/env bash
# Data-parallel pretraining (docs/distributed.md): real processes on 127.0.0.1 over Gloo, a tiny
# U-Net on phantom slices. Each port comes from the system (bound to port 0), so parallel ctest
# runs do not collide.
# Usage: distributed.sh BIN_DIR CHECKPOINT_DIFF CASE (--nproc-per-node picks its own free port)
#   equal-v2       2 ranks of pix2rep-v2 (--sync-batch-norm) end with one process's weights (tolerance below)
#   equal-infonce  the same for pix2rep with the all-gather of sampled pixels (the default)
#   failure        a killed rank and a stopped rank make the other exit 1 within --dist-timeout,
#                  naming it; Ctrl-C on one rank stops both after the same step; the last
#                  checkpoint resumes in one process
#   rendezvous     bad WORLD_SIZE / RANK / MASTER_*, a port in use, a missing rank, mismatched configs,
#                  NCCL on a CPU build: a message naming the variable or rank on every rank, exit 1
set -u
bin="$1/pix2rep"
checkpoint_diff="$2"
case_name="$3"
work=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
failures=0
# Weights, BatchNorm statistics and step losses after 8 Adam steps agree to this (measured: weights
# 2.1e-7 (v2) and 3.9e-6 (InfoNCE), losses 9.5e-7; sums over ranks are ordered differently from one
# process's, so the last bits differ). InfoNCE gets more room: with oneDNN's AVX2 kernels its first
# conv's weights differed by 1.5e-4 (Adam turns the rounding of near-zero gradients into up to lr =
# 2e-3 a step), while ranks that trained apart would differ by about lr a step.
tolerance=3e-5
infonce_tolerance=1e-3

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# expect_in FILE NEEDLE WHAT: FILE contains NEEDLE.
expect_in() { if grep -qF -- "$2" "$1"; then ok "$3 -- $(grep -m1 -F -- "$2" "$1")"; else fail "$3: no '$2' in: $(cat "$1")"; fi; }

"$bin" phantom --out "$work/ph" --subjects 2 --seed 3 >/dev/null 2>&1 || { echo "phantom failed"; exit 1; }
"$bin" prepare --data "$work/ph" --out "$work/data.p2rs" --size 32 >/dev/null 2>&1 || { echo "prepare failed"; exit 1; }
cat > "$work/tiny.json" <<'JSON'
{"model": {"base": 4, "levels": 3, "n_ft": 8, "proj_dim": 8}, "batch": 4, "samples": 128, "epochs": 2,
 "lr": 0.002, "seed": 3, "val_fraction": 0.2, "max_slices": 16, "threads": 1, "device": "cpu", "precision": "fp32"}
JSON
pretrain=("$bin" pretrain --data "$work/data.p2rs" --config "$work/tiny.json" --no-progress)

# rank R WORLD PORT ARGS...: becomes one rank of a job on 127.0.0.1 (stdout/stderr to $work/rankR.log);
# call it in a subshell: `(rank ...)` or `rank ... &` (then $! is the rank's pid).
rank() {
  local r="$1" w="$2" port="$3"; shift 3
  RANK=$r LOCAL_RANK=$r WORLD_SIZE=$w MASTER_ADDR=127.0.0.1 MASTER_PORT=$port exec "$@" >"$work/rank$r.log" 2>&1
}

# equal_case METHOD TOLERANCE [SKIP]: SKIP, a tensor whose true gradient is 0, is left out of the comparison.
equal_case() {
  local method="$1" tolerance="$2" skip="${3:-}"
  "${pretrain[@]}" --method "$method" --out "$work/one" >/dev/null 2>&1 || fail "$method: one process"
  "${pretrain[@]}" --method "$method" --out "$work/two" --nproc-per-node 2 --sync-batch-norm \
    >"$work/two.log" 2>&1 || fail "$method: 2 ranks: $(cat "$work/two.log")"
  if "$checkpoint_diff" "$work/one" "$work/two" "$tolerance" $skip; then ok "$method: 2 ranks = one process within $tolerance"
  else fail "$method: 2 ranks differ from one process by more than $tolerance"; fi
  expect_in "$work/two/config.json" '"world_size": 2' "$method: config.json records world_size 2"
  local files
  files=$(cd "$work/two" && ls | tr '\n' ' ')
  [[ "$files" == "checkpoint.pt config.json log.csv provenance.json " ]] && ok "$method: run folder holds rank 0's files only" \
    || fail "$method: run folder holds $files"
  # The one-process run goes on with 2 ranks.
  "$bin" pretrain --resume "$work/one" --epochs 3 --nproc-per-node 2 --no-progress >"$work/more.log" 2>&1 \
    && ok "$method: a one-process run resumes with 2 ranks" || fail "$method: resume with 2 ranks: $(cat "$work/more.log")"
  expect_in "$work/one/config.json" '"world_size": 2' "$method: the resumed config.json records world_size 2"
}

case "$case_name" in
  # Barlow Twins standardises every feature over the pixels, so the bias of the head's last conv gets
  # no gradient but rounding noise, which Adam scales to +-lr a step in both runs alike.
  equal-v2) equal_case pix2rep-v2 "$tolerance" head.seq.2.bias ;;
  equal-infonce) equal_case pix2rep "$infonce_tolerance" ;;
  failure)
    # start_job: ranks 0 and 1 (pids p0, p1) of a long run in $work/run, back once a checkpoint exists.
    start_job() {
      rm -rf "$work/run"
      local port
      port=$(free_port)
      local args=("${pretrain[@]}" --out "$work/run" --epochs 60 --checkpoint-every 2 --dist-timeout 6)
      rank 0 2 "$port" "${args[@]}" & p0=$!
      rank 1 2 "$port" "${args[@]}" & p1=$!
      for _ in $(seq 600); do [[ -f "$work/run/checkpoint.pt" ]] && break; sleep 0.1; done
      [[ -f "$work/run/checkpoint.pt" ]] || fail "no checkpoint after 60 s"
    }
    # expect_resumes WHAT: the run in $work/run resumes in one process, recording world_size 1.
    expect_resumes() {
      if "$bin" pretrain --resume "$work/run" --epochs 6 --no-progress >"$work/resume.log" 2>&1; then
        ok "$1: the last checkpoint resumes in one process"
        expect_in "$work/run/config.json" '"world_size": 1' "$1: the resumed config.json records world_size 1"
      else fail "$1: resume failed: $(cat "$work/resume.log")"; fi
    }
    for how in KILL STOP; do
      start_job
      kill -$how $p1
      start=$(date +%s)
      wait $p0; rc=$?
      took=$(( $(date +%s) - start ))
      kill -9 $p1 2>/dev/null; wait $p1 2>/dev/null
      [[ $rc -eq 1 ]] && ok "$how of rank 1: rank 0 exited 1 after ${took} s" || fail "$how of rank 1: rank 0 exited $rc"
      [[ $took -le 20 ]] || fail "$how of rank 1: rank 0 took ${took} s (--dist-timeout 6)"
      expect_in "$work/rank0.log" "rank 1 stopped answering" "$how of rank 1: rank 0 names rank 1"
      expect_resumes "$how"
    done
    # Ctrl-C on one rank: every rank stops after the same step (exit 130); rank 0 saved it.
    start_job
    kill -INT $p1
    wait $p0; rc0=$?
    wait $p1; rc1=$?
    [[ $rc0 -eq 130 && $rc1 -eq 130 ]] && ok "SIGINT of rank 1: both ranks exit 130" || fail "SIGINT of rank 1: exits $rc0 / $rc1"
    expect_resumes SIGINT
    # Rank 0 (the store's host) killed: rank 1 names it.
    start_job
    kill -KILL $p0
    wait $p1; rc=$?
    [[ $rc -eq 1 ]] && ok "KILL of rank 0: rank 1 exited 1" || fail "KILL of rank 0: rank 1 exited $rc"
    expect_in "$work/rank1.log" "rank 0" "KILL of rank 0: rank 1 names rank 0"
    ;;
  rendezvous)
    run_one() {  # run_one NEEDLE WHAT VAR=VALUE...: one process with that environment exits 1 naming NEEDLE
      local needle="$1" what="$2"; shift 2
      env "$@" "${pretrain[@]}" --out "$work/bad" >"$work/one.log" 2>&1; local rc=$?
      [[ $rc -eq 1 ]] || fail "$what: exit $rc"
      expect_in "$work/one.log" "$needle" "$what"
    }
    run_one "WORLD_SIZE=0 is out of range" "WORLD_SIZE 0" WORLD_SIZE=0 RANK=0 MASTER_ADDR=127.0.0.1 MASTER_PORT=1
    run_one "RANK=2 is not below WORLD_SIZE=2" "RANK out of range" WORLD_SIZE=2 RANK=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=1
    run_one "MASTER_ADDR is not set" "no MASTER_ADDR" WORLD_SIZE=2 RANK=0 MASTER_PORT=1
    run_one "MASTER_PORT='x' is not a whole number" "MASTER_PORT not a number" WORLD_SIZE=2 RANK=0 MASTER_ADDR=127.0.0.1 MASTER_PORT=x
    port=$(free_port)
    (rank 0 1 "$port" "${pretrain[@]}" --out "$work/bad" --backend nccl)
    expect_in "$work/rank0.log" "this build has no NCCL" "--backend nccl on a CPU build"
    # A rank that never comes.
    port=$(free_port)
    (rank 0 2 "$port" "${pretrain[@]}" --out "$work/bad" --dist-timeout 2); rc=$?
    [[ $rc -eq 1 ]] || fail "missing rank: exit $rc"
    expect_in "$work/rank0.log" "rank 1 of WORLD_SIZE=2 did not join" "missing rank 1 named"
    # The port in use by another program: rank 0 names MASTER_PORT, rank 1 fails too.
    port=$(free_port)
    python3 -c 'import socket, sys, time; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(60)' "$port" &
    holder=$!
    sleep 0.5
    rank 0 2 "$port" "${pretrain[@]}" --out "$work/bad" --dist-timeout 3 & p0=$!
    rank 1 2 "$port" "${pretrain[@]}" --out "$work/bad" --dist-timeout 3 & p1=$!
    wait $p0; rc0=$?
    wait $p1; rc1=$?
    kill $holder 2>/dev/null
    [[ $rc0 -eq 1 && $rc1 -eq 1 ]] || fail "port in use: exits $rc0 / $rc1"
    expect_in "$work/rank0.log" "cannot host the rendezvous on MASTER_PORT=$port" "port in use: rank 0 names MASTER_PORT"
    expect_in "$work/rank1.log" "MASTER_PORT=$port" "port in use: rank 1 names MASTER_PORT"
    # Mismatched configurations: both ranks name rank 1; nothing is written.
    port=$(free_port)
    rank 0 2 "$port" "${pretrain[@]}" --out "$work/bad" --epochs 2 & p0=$!
    rank 1 2 "$port" "${pretrain[@]}" --out "$work/bad" --epochs 3 & p1=$!
    wait $p0; rc0=$?
    wait $p1; rc1=$?
    [[ $rc0 -eq 1 && $rc1 -eq 1 ]] || fail "mismatched configs: exits $rc0 / $rc1"
    expect_in "$work/rank0.log" "the configuration of rank 1 differs from rank 0's" "mismatched configs: rank 0 names rank 1"
    expect_in "$work/rank1.log" "the configuration of rank 1 differs from rank 0's" "mismatched configs: rank 1 names rank 1"
    [[ ! -e "$work/bad" ]] && ok "mismatched configs: nothing written" || fail "mismatched configs: $work/bad was written"
    # A global batch that does not split.
    run_one "batch 4 (the global batch) is not divisible by WORLD_SIZE=3" "batch not divisible" \
      WORLD_SIZE=3 RANK=0 MASTER_ADDR=127.0.0.1 MASTER_PORT=1
    ;;
  *) echo "unknown case $case_name"; exit 2 ;;
esac
[[ $failures -eq 0 ]] || { echo "$failures failure(s)"; exit 1; }
echo "all passed"
