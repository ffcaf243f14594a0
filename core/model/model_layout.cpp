#include "core/model/model_layout.h"

#include "core/model/unet.h"

namespace p2r {

torch::MemoryFormat model_memory_format(const std::string& precision) {
  return precision == "bf16" ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
}

void move_to_device(torch::nn::Module& module, const torch::Device& device, const std::string& precision) {
  module.to(device);
  set_memory_format(module, model_memory_format(precision));
}

void set_memory_format(torch::nn::Module& module, torch::MemoryFormat format) {
  torch::NoGradGuard guard;
  for (auto& p : module.parameters())
    if (p.dim() == 4) p.set_data(p.data().contiguous(format));
  for (const auto& m : module.modules(/*include_self=*/true))
    if (auto* unet = m->as<UNetImpl>()) unet->memory_format = format;
}

}  // namespace p2r
