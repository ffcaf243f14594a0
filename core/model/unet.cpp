#include "core/model/unet.h"

#include "core/common/error.h"
#include "core/model/batch_norm_folding.h"
#include "core/model/synced_batch_norm.h"

namespace p2r {
namespace nn = torch::nn;

DoubleConvImpl::DoubleConvImpl(int cin, int cout) {
  m_seq = register_module(
      "seq", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(cin, cout, 3).padding(1).bias(false)),
                            SyncedBatchNorm2d(cout), nn::ReLU(nn::ReLUOptions(true)),
                            nn::Conv2d(nn::Conv2dOptions(cout, cout, 3).padding(1).bias(false)),
                            SyncedBatchNorm2d(cout), nn::ReLU(nn::ReLUOptions(true))));
}

torch::Tensor DoubleConvImpl::forward(const torch::Tensor& x) { return m_seq->forward(x); }

UpShuffleImpl::UpShuffleImpl(int cin, int cout) : m_cout(cout) {
  m_conv = register_module("conv", nn::Conv2d(nn::Conv2dOptions(cin, 4 * cout, 1)));
  // Initialise like the ConvTranspose2d it replaces (fan-in of the transposed conv = cout * 4).
  torch::NoGradGuard guard;
  auto w = torch::empty({cin, cout, 2, 2});
  auto b = torch::empty({cout});
  nn::init::kaiming_uniform_(w, std::sqrt(5.0));
  const double bound = 1.0 / std::sqrt(double(cout) * 4.0);
  b.uniform_(-bound, bound);
  load_transposed(w, b);
}

void UpShuffleImpl::load_transposed(const torch::Tensor& weight, const torch::Tensor& bias) {
  // pixel_shuffle maps channel c*4 + a*2 + b to channel c at (2y + a, 2x + b), so the 1x1 weight is
  // [cin, cout, 2, 2] -> [cout, 2, 2, cin] -> [4*cout, cin, 1, 1].
  torch::NoGradGuard guard;
  const int64_t cin = weight.size(0);
  m_conv->weight.copy_(weight.permute({1, 2, 3, 0}).reshape({4 * m_cout, cin, 1, 1}));
  m_conv->bias.copy_(bias.repeat_interleave(4));
}

torch::Tensor UpShuffleImpl::forward(const torch::Tensor& x) {
  return torch::pixel_shuffle(m_conv->forward(x), 2);
}

UNetImpl::UNetImpl(const ModelConfig& config) : m_config(config) {
  std::vector<int> ch;
  for (int i = 0; i < config.levels; ++i) ch.push_back(config.base << i);
  const int last_out = config.expand ? ch[0] : config.n_ft;  // channels of the last DoubleConv
  m_inc = register_module("inc", DoubleConv(config.in_channels, ch[0]));
  for (int i = 0; i + 1 < config.levels; ++i)
    m_downs.push_back(register_module("down" + std::to_string(i), DoubleConv(ch[i], ch[i + 1])));
  for (int i = config.levels - 2; i >= 0; --i) {
    const int out = i == 0 ? last_out : ch[i];
    m_ups.push_back(register_module("up" + std::to_string(i), UpShuffle(ch[i + 1], ch[i + 1] / 2)));
    m_convs.push_back(register_module("conv" + std::to_string(i), DoubleConv(ch[i] + ch[i + 1] / 2, out)));
  }
  if (config.levels == 1) {  // no decoder: map base to n_ft with one more DoubleConv
    m_convs.push_back(register_module("conv0", DoubleConv(ch[0], last_out)));
  }
  if (config.expand) {
    m_expand = register_module(
        "expand", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(ch[0], config.n_ft, 1).bias(false)),
                                 SyncedBatchNorm2d(config.n_ft), nn::ReLU(nn::ReLUOptions(true))));
  }
}

torch::Tensor UNetImpl::forward(const torch::Tensor& x) { return widen(trunk(x)); }

torch::Tensor UNetImpl::widen(const torch::Tensor& trunk_maps) {
  return m_expand ? m_expand->forward(trunk_maps) : trunk_maps;
}

torch::Tensor UNetImpl::widen_pixels(const torch::Tensor& trunk_rows) {
  return m_expand ? pointwise_rows(m_expand, trunk_rows) : trunk_rows;
}

void UNetImpl::fold_for_inference() {
  std::vector<DoubleConv> blocks{m_inc};
  blocks.insert(blocks.end(), m_downs.begin(), m_downs.end());
  blocks.insert(blocks.end(), m_convs.begin(), m_convs.end());
  for (auto& block : blocks) block->m_seq = block->replace_module("seq", fold_batch_norms(block->m_seq));
  if (m_expand) m_expand = replace_module("expand", fold_batch_norms(m_expand));
}

torch::Tensor UNetImpl::trunk(const torch::Tensor& x) { return decode(encode(x), int(m_convs.size())); }

std::vector<torch::Tensor> UNetImpl::encode(const torch::Tensor& x) {
  const int64_t div = int64_t(1) << (m_config.levels - 1);
  P2R_CHECK(x.dim() == 4 && x.size(2) % div == 0 && x.size(3) % div == 0,
            "U-Net with " << m_config.levels << " levels needs [B, C, H, W] input with H, W divisible by " << div
                          << ", got " << x.sizes());
  std::vector<torch::Tensor> levels{m_inc->forward(x.contiguous(memory_format))};
  for (auto& down : m_downs) levels.push_back(down->forward(torch::max_pool2d(levels.back(), 2)));
  return levels;
}

torch::Tensor UNetImpl::decode(std::vector<torch::Tensor> levels, int blocks) {
  torch::Tensor y = levels.back();
  levels.pop_back();
  if (m_ups.empty()) return blocks > 0 ? m_convs[0]->forward(y) : y;
  for (size_t k = 0; k < m_ups.size() && int(k) < blocks; ++k) {
    torch::Tensor skip = levels.back();
    levels.pop_back();
    y = m_convs[k]->forward(torch::cat({skip, m_ups[k]->forward(y)}, 1));  // [B, ch_i + ch_{i+1}/2, H_i, W_i]
  }
  return y;
}

ProjectionHeadImpl::ProjectionHeadImpl(const ModelConfig& config) {
  m_seq = register_module("seq", nn::Sequential());
  int cin = config.n_ft;
  for (int i = 0; i < config.proj_hidden_layers; ++i) {
    m_seq->push_back(nn::Conv2d(nn::Conv2dOptions(cin, config.proj_dim, 1)));
    if (config.proj_bn) m_seq->push_back(SyncedBatchNorm2d(config.proj_dim));
    m_seq->push_back(nn::ReLU(nn::ReLUOptions(true)));
    cin = config.proj_dim;
  }
  m_seq->push_back(nn::Conv2d(nn::Conv2dOptions(cin, config.proj_dim, 1)));
}

torch::Tensor ProjectionHeadImpl::forward(const torch::Tensor& x) { return m_seq->forward(x); }

torch::Tensor ProjectionHeadImpl::forward_pixels(const torch::Tensor& x) { return pointwise_rows(m_seq, x); }

torch::Tensor pointwise_rows(nn::Sequential& layers, const torch::Tensor& rows) {
  torch::Tensor y = rows;
  for (const auto& layer : layers->modules(/*include_self=*/false)) {
    if (const auto* conv = layer->as<nn::Conv2d>()) {
      y = torch::nn::functional::linear(y, conv->weight.flatten(1), conv->bias);
    } else if (auto* bn = layer->as<SyncedBatchNorm2d>()) {  // statistics over the given pixels
      y = synced_batch_norm(*bn, y);
    } else {
      P2R_CHECK(layer->as<nn::ReLU>(), "pointwise layers: unexpected layer " << layer->name());
      y = torch::relu(y);
    }
  }
  return y;
}

Pix2RepNetImpl::Pix2RepNetImpl(const ModelConfig& config) {
  m_backbone = register_module("backbone", UNet(config));
  m_head = register_module("head", ProjectionHead(config));
}

torch::Tensor Pix2RepNetImpl::forward(const torch::Tensor& x) { return m_head->forward(m_backbone->forward(x)); }

}  // namespace p2r
