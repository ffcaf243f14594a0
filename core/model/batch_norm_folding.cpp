#include "core/model/batch_norm_folding.h"

#include "core/model/synced_batch_norm.h"

namespace p2r {
namespace nn = torch::nn;

namespace {

// conv then bn (eval) as one conv: w' = w * s, b' = (b - mean) * s + beta, s = gamma / sqrt(var + eps).
nn::Conv2d folded_conv(const nn::Conv2dImpl& conv, const SyncedBatchNorm2dImpl& bn) {
  torch::NoGradGuard no_grad;
  const auto& o = conv.options;
  nn::Conv2d out(nn::Conv2dOptions(o.in_channels(), o.out_channels(), o.kernel_size())
                     .stride(o.stride())
                     .padding(o.padding())
                     .dilation(o.dilation())
                     .groups(o.groups())
                     .padding_mode(o.padding_mode())
                     .bias(true));
  const torch::Tensor scale = bn.weight.to(torch::kFloat) / (bn.running_var.to(torch::kFloat) + bn.eps).sqrt();
  const torch::Tensor bias =
      conv.bias.defined() ? conv.bias.to(torch::kFloat) : torch::zeros_like(bn.running_mean, torch::kFloat);
  out->to(conv.weight.device());
  out->weight.copy_(conv.weight.to(torch::kFloat) * scale.view({-1, 1, 1, 1}));
  out->bias.copy_((bias - bn.running_mean.to(torch::kFloat)) * scale + bn.bias.to(torch::kFloat));
  return out;
}

}  // namespace

nn::Sequential fold_batch_norms(const nn::Sequential& layers) {
  const std::vector<nn::AnyModule> in(layers->begin(), layers->end());
  nn::Sequential out;
  for (size_t i = 0; i < in.size(); ++i) {
    const auto* conv = in[i].ptr()->as<nn::Conv2d>();
    const auto* bn = i + 1 < in.size() ? in[i + 1].ptr()->as<SyncedBatchNorm2d>() : nullptr;
    if (conv != nullptr && bn != nullptr) {
      out->push_back(folded_conv(*conv, *bn));
      ++i;
    } else {
      out->push_back(in[i]);
    }
  }
  return out;
}

}  // namespace p2r
