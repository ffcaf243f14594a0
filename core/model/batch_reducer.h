#pragma once
// Sums and gathers over the processes that each run one part of a batch (data-parallel training).
// Internal: includes Torch.
#include <torch/torch.h>

namespace p2r {

/// Cross-process reductions of one batch's parts, differentiable: the backward pass sums each
/// process's incoming gradient over all processes, so every process gets the gradient of the sum of
/// all processes' losses with respect to its own part. Called by every process in the same order.
class BatchReducer {
 public:
  virtual ~BatchReducer() = default;
  /// The element-wise sum of local (same shape and dtype on every process) over all processes.
  virtual torch::Tensor sum(const torch::Tensor& local) = 0;
  /// The rows [N_r, ...] of every process r concatenated in rank order (N_r may differ).
  virtual torch::Tensor gather_rows(const torch::Tensor& local) = 0;
};

}  // namespace p2r
