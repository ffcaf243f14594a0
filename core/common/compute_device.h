#pragma once
// Where LibTorch computes: the device, the intra-op threads, the allocator. Internal: includes Torch
// (include only from .cpp files of the core and tests).
#include <string>

#include <torch/torch.h>

namespace p2r {

/// Resolves "auto" / "cpu" / "cuda" to a device; throws p2r::Error when CUDA is asked for but absent.
torch::Device resolve_device(const std::string& name);

/// Keeps large allocations on the glibc heap (no mmap/munmap page faults every step); process-wide;
/// P2R_DEFAULT_MALLOC=1 in the environment turns it off.
void tune_allocator();

/// Sets LibTorch's intra-op threads (0: all hardware threads) and calls tune_allocator(); returns
/// the count in effect.
int configure_threads(int threads);

}  // namespace p2r
