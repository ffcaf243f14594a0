#include "core/analysis/backbone_inference.h"

#include "core/common/compute_device.h"
#include "core/common/error.h"
#include "core/common/precision.h"
#include "core/model/model_layout.h"
#include "core/model/run_folder.h"
#include "core/model/segmentation_net.h"

namespace p2r {

InferenceBackbone::InferenceBackbone(const std::string& run_dir, int side, const ExtractOptions& options)
    : m_config(pretrained_model_config(run_dir)) {
  const int divisor = 1 << (m_config.levels - 1);
  P2R_CHECK(side > 0 && side % divisor == 0, "slices of " << side << " x " << side << " cannot go through a "
                                                          << m_config.levels
                                                          << "-level U-Net (side must be a multiple of " << divisor
                                                          << ")");
  configure_threads(options.threads);
  m_device = resolve_device(options.device);
  m_precision = resolve_precision(options.precision, m_device.is_cuda());
  m_net = UNet(m_config);
  load_pretrained_backbone(run_dir, m_net);
  m_net->eval();
  m_net->fold_for_inference();
  move_to_device(*m_net, m_device, m_precision);
  // bf16 weights rather than autocast: no cast of every weight at every forward pass.
  if (m_precision == "bf16") m_net->to(torch::kBFloat16);
}

torch::Tensor InferenceBackbone::features(const torch::Tensor& images) {
  c10::InferenceMode guard;
  const auto dtype = m_precision == "bf16" ? torch::kBFloat16 : torch::kFloat32;
  return m_net->forward(images.to(m_device, dtype)).to(torch::kCPU, torch::kFloat32).contiguous();
}

std::string InferenceBackbone::device_name() const {
  return m_precision == "fp32" ? m_device.str() : m_device.str() + " " + m_precision;
}

}  // namespace p2r
