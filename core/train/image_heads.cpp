#include "core/train/image_heads.h"

#include "core/common/error.h"

namespace p2r {
namespace nn = torch::nn;

ImageHeadsImpl::ImageHeadsImpl(const PretrainConfig& c) {
  const int bottleneck = c.model.base << (c.model.levels - 1);
  m_global = register_module("g1", nn::Sequential(nn::Linear(bottleneck, bottleneck), nn::ReLU(),
                                                      nn::Linear(bottleneck, c.image_proj_dim)));
  if (c.method == PretrainMethod::Chaitanya) {
    const int width = c.model.base << (c.model.levels - 1 - c.local_decoder_blocks());
    m_local = register_module(
        "g2", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(width, width, 1).bias(false)), nn::BatchNorm2d(width),
                                nn::ReLU(), nn::Conv2d(nn::Conv2dOptions(width, width, 1).bias(false))));
  }
}

torch::Tensor ImageHeadsImpl::global(const torch::Tensor& pooled) { return m_global->forward(pooled); }

torch::Tensor ImageHeadsImpl::local(const torch::Tensor& maps) {
  P2R_CHECK(m_local, "the local head exists only for chaitanya");
  return m_local->forward(maps);
}

bool has_image_heads(PretrainMethod method) {
  return method == PretrainMethod::SimCLR || method == PretrainMethod::Chaitanya;
}

}  // namespace p2r
