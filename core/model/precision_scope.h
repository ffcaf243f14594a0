#pragma once
// Running a network's forward pass in the precision a run resolved ("fp32" or "bf16"). Internal:
// includes Torch.
#include <string>

#include <torch/torch.h>

namespace p2r {

/// For its lifetime, autocasts the forward pass on device to bfloat16 when precision is "bf16"
/// (weights, optimiser and losses stay fp32); does nothing for "fp32".
class PrecisionScope {
 public:
  PrecisionScope(const torch::Device& device, const std::string& precision);
  ~PrecisionScope();
  PrecisionScope(const PrecisionScope&) = delete;
  PrecisionScope& operator=(const PrecisionScope&) = delete;

 private:
  bool m_active = false;
  at::DeviceType m_type = at::kCPU;
  bool m_was_enabled = false;
  at::ScalarType m_dtype = at::kFloat;
};

}  // namespace p2r
