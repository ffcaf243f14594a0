#include "core/model/model_layout.h"

namespace p2r {

torch::MemoryFormat model_memory_format(const torch::Device& device) {
  return device.is_cpu() ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
}

torch::Tensor in_model_layout(const torch::Tensor& x) {
  return x.dim() == 4 ? x.contiguous(model_memory_format(x.device())) : x;
}

void move_to_device(torch::nn::Module& module, const torch::Device& device) {
  module.to(device);
  torch::NoGradGuard guard;
  for (auto& p : module.parameters())
    if (p.dim() == 4) p.set_data(in_model_layout(p.data()));
}

}  // namespace p2r
