#include "core/train/pretrain_step.h"

#include "core/common/error.h"
#include "core/model/precision_scope.h"
#include "core/train/augment.h"
#include "core/train/losses.h"

namespace p2r {

TwinFeatures embed_twin_features(Pix2RepNet& net, const torch::Tensor& x, const AugmentConfig& augment,
                                 at::Generator& gen, const BatchShard& shard) {
  const int64_t b = x.size(0), h = x.size(2), w = x.size(3);
  // The random numbers of the whole batch, so that every shard sees what one process would.
  torch::Tensor v1 = augment_intensity(x, augment, gen);
  torch::Tensor v2 = augment_intensity(x, augment, gen);
  torch::Tensor theta = random_affine(b, augment, gen);
  TwinFeatures t;
  t.grid = affine_sampling_grid(theta, h, w, x.device());  // [B, H, W, 2]
  v2 = warp(v2, t.grid);
  t.batch_mask = validity_mask(t.grid);
  t.first = shard.first;
  const int64_t count = shard.count < 0 ? b - shard.first : shard.count;
  if (shard.first != 0 || count != b) {  // this process's rows
    v1 = v1.slice(0, shard.first, shard.first + count);
    v2 = v2.slice(0, shard.first, shard.first + count);
    t.grid = t.grid.slice(0, shard.first, shard.first + count);
  }
  t.f1 = net->m_backbone->trunk(v1);
  t.f2 = net->m_backbone->trunk(v2);
  t.mask = t.batch_mask.slice(0, shard.first, shard.first + count);
  return t;
}

TwinEmbeddings project_twin_maps(Pix2RepNet& net, const TwinFeatures& t) {
  UNet& backbone = net->m_backbone;
  return {warp(net->m_head->forward(backbone->widen(t.f1)), t.grid), net->m_head->forward(backbone->widen(t.f2)),
          t.mask};
}

PixelPairs project_twin_pixels(Pix2RepNet& net, const TwinFeatures& t, const torch::Tensor& idx) {
  const int64_t h = t.f1.size(2), w = t.f1.size(3), hw = h * w;
  // View 2: its own pixels.
  PixelPairs pairs;
  pairs.b = net->m_head->forward_pixels(net->m_backbone->widen_pixels(gather_pixels(t.f2, idx)));
  // View 1: grid_sample's bilinear interpolation (align_corners, zero padding) of the head's output,
  // i.e. the head at the four neighbours of each position, weighted; a neighbour outside the image
  // weighs 0, as zero padding makes it.
  const torch::Tensor g = t.grid.reshape({-1, 2}).index_select(0, idx).to(torch::kFloat);  // [N, 2]
  const torch::Tensor px = (g.select(1, 0) + 1) * (0.5 * double(w - 1));
  const torch::Tensor py = (g.select(1, 1) + 1) * (0.5 * double(h - 1));
  const torch::Tensor x0 = px.floor(), y0 = py.floor();
  const torch::Tensor fx = px - x0, fy = py - y0;
  const torch::Tensor base = idx.div(hw, "floor") * hw;  // the sample's first flat index
  std::vector<torch::Tensor> corners, weights;
  for (int dy = 0; dy < 2; ++dy)
    for (int dx = 0; dx < 2; ++dx) {
      const torch::Tensor cx = x0 + dx, cy = y0 + dy;
      const torch::Tensor inside = (cx >= 0) & (cx <= double(w - 1)) & (cy >= 0) & (cy <= double(h - 1));
      const torch::Tensor wgt = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy) * inside.to(torch::kFloat);
      const torch::Tensor flat = base + cy.clamp(0, double(h - 1)).to(torch::kLong) * w +
                                 cx.clamp(0, double(w - 1)).to(torch::kLong);
      corners.push_back(flat);
      weights.push_back(wgt);
    }
  const int64_t n = idx.size(0);
  const torch::Tensor z =
      net->m_head->forward_pixels(net->m_backbone->widen_pixels(gather_pixels(t.f1, torch::cat(corners))));  // [4N, D]
  // The interpolation in fp32 (under autocast z is bf16, whose 8-bit weights would round).
  pairs.a = (z.view({4, n, -1}).to(torch::kFloat) * torch::stack(weights).unsqueeze(2)).sum(0);
  return pairs;
}

TwinEmbeddings embed_twin_views(Pix2RepNet& net, const torch::Tensor& x, const AugmentConfig& augment,
                                at::Generator& gen) {
  return project_twin_maps(net, embed_twin_features(net, x, augment, gen));
}

PixelPairs twin_pixel_pairs(Pix2RepNet& net, const TwinFeatures& t, const PretrainConfig& config, at::Generator& gen) {
  if (config.method == PretrainMethod::Pix2Rep || config.bt_sampled) {
    const torch::Tensor drawn = config.sample_per_image ? sample_valid_pixels_per_image(t.batch_mask, config.samples, gen)
                                                        : sample_valid_pixels(t.batch_mask, config.samples, gen);
    const int64_t first = t.first * t.mask[0].numel(), end = first + t.mask.numel();
    const torch::Tensor mine = drawn.masked_select((drawn >= first) & (drawn < end)) - first;  // flat, in t's rows
    return project_twin_pixels(net, t, mine);
  }
  torch::Tensor idx = valid_pixel_indices(t.mask);
  P2R_CHECK(idx.size(0) >= 2, "fewer than 2 pixels lie inside both views");
  const TwinEmbeddings maps = project_twin_maps(net, t);
  return {gather_pixels(maps.z1, idx), gather_pixels(maps.z2, idx)};
}

torch::Tensor pair_loss(const PixelPairs& pairs, const PretrainConfig& config, BatchReducer* reducer) {
  torch::Tensor a = pairs.a.to(torch::kFloat), b = pairs.b.to(torch::kFloat);  // no-op without autocast
  if (config.method == PretrainMethod::Pix2Rep) {
    if (reducer != nullptr && config.global_negatives) {  // every process's pairs: [N, 2D] gathered once
      const torch::Tensor both = reducer->gather_rows(torch::cat({a, b}, 1));
      a = both.slice(1, 0, a.size(1));
      b = both.slice(1, a.size(1));
    }
    return info_nce_loss(a, b, config.tau);
  }
  return barlow_twins_loss(a, b, config.bt_lambda, reducer);
}


torch::Tensor pretrain_loss(Pix2RepNet& net, const torch::Tensor& x, const PretrainConfig& config, at::Generator& gen,
                            const BatchShard& shard) {
  PixelPairs pairs;
  {
    PrecisionScope scope(x.device(), config.precision);
    const TwinFeatures twins = embed_twin_features(net, x, config.augment, gen, shard);
    pairs = twin_pixel_pairs(net, twins, config, gen);
  }
  return pair_loss(pairs, config, shard.reducer);
}

at::Generator step_generator(uint64_t seed, uint64_t stream) {
  // splitmix64 of the pair, so neighbouring steps get unrelated streams.
  uint64_t z = seed * 0x9E3779B97F4A7C15ull + stream + 0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return at::detail::createCPUGenerator(z);
}

}  // namespace p2r
