#include "core/model/synced_batch_norm.h"

#include "core/common/error.h"

namespace p2r {
namespace {
thread_local BatchReducer* t_reducer = nullptr;
}  // namespace

SyncedBatchNormScope::SyncedBatchNormScope(BatchReducer& reducer) {
  P2R_CHECK(t_reducer == nullptr, "SyncedBatchNormScope: a scope is already active on this thread");
  t_reducer = &reducer;
}

SyncedBatchNormScope::~SyncedBatchNormScope() { t_reducer = nullptr; }

torch::Tensor synced_batch_norm(SyncedBatchNorm2dImpl& bn, const torch::Tensor& x) {
  if (!bn.is_training() || t_reducer == nullptr)
    return torch::batch_norm(x, bn.weight, bn.bias, bn.running_mean, bn.running_var, bn.is_training(), bn.momentum,
                             bn.eps, /*cudnn_enabled=*/true);
  // Per-channel statistics of every process's rows, in fp32 (two passes, as torch::batch_norm).
  const torch::Tensor xf = x.to(torch::kFloat);
  const int64_t c = xf.size(1);
  std::vector<int64_t> dims{0};
  for (int64_t d = 2; d < xf.dim(); ++d) dims.push_back(d);
  std::vector<int64_t> shape(size_t(xf.dim()), 1);
  shape[1] = c;
  const torch::Tensor local_count = torch::full({1}, double(xf.numel() / c), xf.options());
  const torch::Tensor sums = t_reducer->sum(torch::cat({xf.sum(dims), local_count}));  // [C + 1]
  const torch::Tensor count = sums.slice(0, c, c + 1);
  const torch::Tensor mean = sums.slice(0, 0, c) / count;                              // [C]
  const torch::Tensor centred = xf - mean.view(shape);
  const torch::Tensor var = t_reducer->sum(centred.pow(2).sum(dims)) / count;          // [C], biased
  const torch::Tensor y = centred * torch::rsqrt(var + bn.eps).view(shape) * bn.weight.view(shape) + bn.bias.view(shape);
  {
    torch::NoGradGuard no_grad;
    const double n = count.item<double>();
    bn.running_mean.mul_(1 - bn.momentum).add_(mean.detach(), bn.momentum);
    bn.running_var.mul_(1 - bn.momentum).add_(var.detach() * (n / std::max(1.0, n - 1)), bn.momentum);
  }
  return y.to(x.scalar_type());
}

SyncedBatchNorm2dImpl::SyncedBatchNorm2dImpl(int64_t channels) : channels(channels) { reset(); }

void SyncedBatchNorm2dImpl::reset() {
  weight = register_parameter("weight", torch::ones({channels}));
  bias = register_parameter("bias", torch::zeros({channels}));
  running_mean = register_buffer("running_mean", torch::zeros({channels}));
  running_var = register_buffer("running_var", torch::ones({channels}));
  num_batches_tracked = register_buffer("num_batches_tracked", torch::tensor(int64_t(0), torch::kLong));
}

torch::Tensor SyncedBatchNorm2dImpl::forward(const torch::Tensor& x) {
  if (is_training()) {
    torch::NoGradGuard no_grad;
    num_batches_tracked.add_(1);
  }
  return synced_batch_norm(*this, x);
}

void SyncedBatchNorm2dImpl::pretty_print(std::ostream& stream) const {
  stream << "p2r::SyncedBatchNorm2d(" << channels << ", eps=" << eps << ", momentum=" << momentum << ")";
}

}  // namespace p2r
