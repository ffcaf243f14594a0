#pragma once
// The memory layout networks run in. On the CPU oneDNN runs convolutions on channels-last (NHWC)
// tensors without reordering between layers, and its bfloat16 kernels on AMX / AVX-512-BF16 only
// in NHWC (../shared/docs/PLATFORM.md, pitfall 11); on CUDA the contiguous (NCHW) layout is kept.
// Internal: includes Torch.
#include <torch/torch.h>

namespace p2r {

/// Channels-last on the CPU, contiguous elsewhere.
torch::MemoryFormat model_memory_format(const torch::Device& device);

/// x [B, C, H, W] in model_memory_format(x.device()) (no copy when it already is).
torch::Tensor in_model_layout(const torch::Tensor& x);

/// Moves module to device and puts its 4-D parameters and buffers in model_memory_format(device).
void move_to_device(torch::nn::Module& module, const torch::Device& device);

}  // namespace p2r
