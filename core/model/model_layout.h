#pragma once
// The memory layout backbones run in. oneDNN runs bfloat16 convolutions on the CPU's matrix units
// (AMX, AVX-512-BF16) only on channels-last (NHWC) tensors (../shared/docs/PLATFORM.md, pitfall
// 11), and cuDNN's bf16 convolutions on an H200 ran the paper's step 1.27x faster in NHWC; in fp32
// on AVX2 CPUs NHWC measured slower than the contiguous layout (docs/pretraining.md).
// Internal: includes Torch.
#include <string>

#include <torch/torch.h>

namespace p2r {

/// Channels-last for bf16 (CPU or CUDA); contiguous (NCHW) otherwise.
torch::MemoryFormat model_memory_format(const std::string& precision);

/// Moves module to device and puts its 4-D parameters, and the input of every U-Net in it, in
/// model_memory_format(precision).
void move_to_device(torch::nn::Module& module, const torch::Device& device, const std::string& precision = "fp32");

/// Puts module's 4-D parameters, and the input of every U-Net in it, in format (on their device).
void set_memory_format(torch::nn::Module& module, torch::MemoryFormat format);

}  // namespace p2r
