#pragma once
// Where a step's time goes: per-op self time under LibTorch's profiler. Torch-free facade.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace p2r {

/// One ATen op or autograd node: CPU time spent in it and not in the ops it called, and its calls.
struct OpCost {
  std::string name;
  double self_ms = 0;
  int64_t calls = 0;
};

/// Runs `work` under LibTorch's CPU profiler and returns the self time of every op it ran (summed
/// over the run, forward ops, autograd backward nodes and optimiser ops alike), largest first.
/// On CUDA the figures are host time (launches), not kernel time.
std::vector<OpCost> profile_ops(const std::function<void()>& work);

}  // namespace p2r
