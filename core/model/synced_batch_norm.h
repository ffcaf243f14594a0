#pragma once
// BatchNorm whose training statistics may span every process of a data-parallel group
// (SyncBatchNorm). Internal: includes Torch.
#include <torch/torch.h>

#include "core/model/batch_reducer.h"

namespace p2r {

/// For its lifetime, every SyncedBatchNorm2d in training mode on this thread normalises with the
/// mean and variance of the whole batch across reducer's processes (nesting is refused).
class SyncedBatchNormScope {
 public:
  explicit SyncedBatchNormScope(BatchReducer& reducer);
  ~SyncedBatchNormScope();
  SyncedBatchNormScope(const SyncedBatchNormScope&) = delete;
  SyncedBatchNormScope& operator=(const SyncedBatchNormScope&) = delete;
};

struct SyncedBatchNorm2dImpl;

/// BatchNorm of x [N, C] or [N, C, H, W] with bn's affine parameters and running statistics:
/// torch::batch_norm, except in training inside a SyncedBatchNormScope, where the statistics are
/// those of every process's x together (running variance unbiased over the global count).
/// Leaves bn.num_batches_tracked alone.
torch::Tensor synced_batch_norm(SyncedBatchNorm2dImpl& bn, const torch::Tensor& x);

/// BatchNorm2d (momentum 0.1, eps 1e-5, affine, running statistics) with nn::BatchNorm2d's
/// parameters, buffers, initialisation and checkpoint keys, whose forward is synced_batch_norm.
/// (A subclass of nn::BatchNorm2dImpl cannot link: Debian's LibTorch does not export its base.)
struct SyncedBatchNorm2dImpl : torch::nn::Cloneable<SyncedBatchNorm2dImpl> {
  explicit SyncedBatchNorm2dImpl(int64_t channels);
  void reset() override;
  /// [N, C, H, W] -> same; counts the batch in num_batches_tracked in training, as nn::BatchNorm2d.
  torch::Tensor forward(const torch::Tensor& x);
  void pretty_print(std::ostream& stream) const override;
  int64_t channels;
  double momentum = 0.1, eps = 1e-5;
  torch::Tensor weight, bias, running_mean, running_var, num_batches_tracked;
};
TORCH_MODULE(SyncedBatchNorm2d);

}  // namespace p2r
