#include "core/train/image_pretrain_step.h"

#include "core/common/error.h"
#include "core/model/precision_scope.h"
#include "core/train/augment.h"
#include "core/train/losses.h"

namespace p2r {
namespace {

// One spatially and intensity-augmented view of x.
torch::Tensor augmented_view(const torch::Tensor& x, const AugmentConfig& augment, at::Generator& gen) {
  const torch::Tensor v = augment_intensity(x, augment, gen);
  const torch::Tensor theta = random_affine(x.size(0), augment, gen);
  return warp(v, affine_sampling_grid(theta, x.size(2), x.size(3), x.device()));
}

// For its lifetime the encoder of backbone runs in eval mode (BatchNorm on running statistics).
class EncoderInEval {
 public:
  explicit EncoderInEval(UNet& backbone) : m_backbone(backbone), m_was_training(backbone->m_inc->is_training()) {
    set(false);
  }
  ~EncoderInEval() { set(m_was_training); }
  EncoderInEval(const EncoderInEval&) = delete;
  EncoderInEval& operator=(const EncoderInEval&) = delete;

 private:
  void set(bool training) {
    m_backbone->m_inc->train(training);
    for (auto& down : m_backbone->m_downs) down->train(training);
  }
  UNet& m_backbone;
  bool m_was_training;
};

}  // namespace

GlobalViews global_views(UNet& backbone, ImageHeads& heads, const torch::Tensor& x, const AugmentConfig& augment,
                         at::Generator& gen) {
  const int64_t b = x.size(0);
  const torch::Tensor v1 = augmented_view(x, augment, gen);
  const torch::Tensor v2 = augmented_view(x, augment, gen);
  const torch::Tensor pooled = backbone->encode(torch::cat({v1, v2})).back().mean({2, 3});  // [2B, C]
  const torch::Tensor z = heads->global(pooled);
  return {z.slice(0, 0, b), z.slice(0, b, 2 * b)};
}

torch::Tensor simclr_loss(UNet& backbone, ImageHeads& heads, const torch::Tensor& x, const PretrainConfig& config,
                          at::Generator& gen) {
  GlobalViews views;
  {
    PrecisionScope scope(x.device(), config.precision);
    views = global_views(backbone, heads, x, config.augment, gen);
  }
  return info_nce_loss(views.z1.to(torch::kFloat), views.z2.to(torch::kFloat), config.tau);
}

torch::Tensor global_partition_loss(UNet& backbone, ImageHeads& heads, const torch::Tensor& x,
                                    const torch::Tensor& partitions, const PretrainConfig& config, at::Generator& gen) {
  P2R_CHECK(partitions.size(0) == x.size(0), "global loss: " << partitions.size(0) << " partitions for "
                                                             << x.size(0) << " slices");
  GlobalViews views;
  {
    PrecisionScope scope(x.device(), config.precision);
    views = global_views(backbone, heads, x, config.augment, gen);
  }
  const torch::Tensor groups = torch::cat({partitions, partitions}).to(x.device());
  return group_contrastive_loss(torch::cat({views.z1, views.z2}).to(torch::kFloat), groups, config.tau);
}

torch::Tensor local_region_embeddings(const torch::Tensor& maps, int grid) {
  const int64_t h = maps.size(2), w = maps.size(3);
  P2R_CHECK(h >= grid + 2 && w >= grid + 2, "local regions: " << grid << " x " << grid << " regions of 3x3 need "
                                                             << "feature maps of at least " << grid + 2 << " pixels a "
                                                             << "side, got " << h << "x" << w
                                                             << " (lower local_grid or local_blocks)");
  auto corners = [&](int64_t side) {
    std::vector<int64_t> c;
    for (int i = 0; i < grid; ++i) c.push_back(int64_t(i) * (side - 3) / (grid - 1));
    return torch::tensor(c, torch::TensorOptions().dtype(torch::kLong).device(maps.device()));
  };
  const torch::Tensor pooled = torch::avg_pool2d(maps, 3, 1);  // [B, D, h-2, w-2], top-left indexed
  const torch::Tensor regions = pooled.index_select(2, corners(h)).index_select(3, corners(w));  // [B, D, G, G]
  return regions.flatten(2).transpose(1, 2);  // [B, G*G, D]
}

torch::Tensor local_region_loss(UNet& backbone, ImageHeads& heads, const torch::Tensor& x,
                                const PretrainConfig& config, at::Generator& gen) {
  const int64_t b = x.size(0);
  torch::Tensor regions;
  {
    PrecisionScope scope(x.device(), config.precision);
    const torch::Tensor views = torch::cat({augment_intensity(x, config.augment, gen),
                                            augment_intensity(x, config.augment, gen)});
    std::vector<torch::Tensor> levels;
    {
      EncoderInEval frozen(backbone);
      torch::NoGradGuard no_grad;
      levels = backbone->encode(views);
    }
    const torch::Tensor maps = heads->local(backbone->decode(levels, config.local_decoder_blocks()));
    regions = local_region_embeddings(maps, config.local_grid).to(torch::kFloat);  // [2B, K, D]
  }
  torch::Tensor total = torch::zeros({}, regions.options());
  for (int64_t i = 0; i < b; ++i) total = total + info_nce_loss(regions[i], regions[b + i], config.tau);
  return total / double(b);
}

}  // namespace p2r
