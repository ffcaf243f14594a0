#pragma once
// The processes of one data-parallel pretraining job on LibTorch's c10d: TCPStore rendezvous, a
// Gloo (CPU) or NCCL (CUDA builds) process group, and the collectives the trainer needs.
// Internal: includes Torch.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/model/batch_reducer.h"
#include "core/train/distributed_env.h"

namespace p2r {

/// Communication done so far by one process.
struct CommunicationStats {
  double seconds = 0;          ///< wall time spent in collectives (waiting for slower ranks included)
  int64_t gradient_bytes = 0;  ///< gradients (and the values riding with them) all-reduced by this process
};

/// One process's membership of the job. Every collective must be called by every rank in the same
/// order; a rank that died, hung or left makes the others' next collective throw p2r::Error
/// (within options.timeout_s) naming the rank(s) that stopped answering. Not thread-safe.
class DataParallelGroup : public BatchReducer {
 public:
  /// Joins the job env describes: rank 0 starts a c10d::TCPStore on MASTER_PORT, every rank connects
  /// to MASTER_ADDR:MASTER_PORT and the backend (options.backend; "auto": NCCL for a CUDA device,
  /// else Gloo) connects the ranks. Throws p2r::Error naming MASTER_PORT (in use), MASTER_ADDR
  /// (unreachable), the ranks missing after the timeout, or a backend this build lacks.
  DataParallelGroup(const DistributedEnv& env, const DistributedOptions& options, const torch::Device& device);
  ~DataParallelGroup() override;

  int rank() const;
  int size() const;
  /// Where this process sits in the job.
  const DistributedEnv& env() const;

  /// Compares `text` (e.g. the run's config) across ranks by its hash; throws p2r::Error on every
  /// rank naming `what` and the ranks that disagree with rank 0.
  void check_same_on_every_rank(const std::string& what, const std::string& text);
  /// Overwrites every rank's tensors (in place, same shapes on every rank) with rank 0's.
  void broadcast_from_rank0(const std::vector<torch::Tensor>& tensors);
  /// Averages over ranks the defined gradients of params (in place, one all-reduce per bucket of at
  /// most 64 MB) and `values` (e.g. the step's loss, riding in the first bucket); returns their averages.
  std::vector<double> average_gradients(const std::vector<torch::Tensor>& params, const std::vector<double>& values);
  /// Sum of a number over ranks.
  double sum_value(double value);

  torch::Tensor sum(const torch::Tensor& local) override;
  torch::Tensor gather_rows(const torch::Tensor& local) override;

  /// All-reduce (sum) of t without autograd: a new tensor on t's device.
  torch::Tensor all_reduce_sum(const torch::Tensor& t);
  /// Rows of every rank, concatenated in rank order, without autograd; also returns each rank's count.
  torch::Tensor all_gather_rows(const torch::Tensor& t, std::vector<int64_t>* counts);

  /// Communication so far.
  const CommunicationStats& stats() const;

 private:
  struct State;
  std::unique_ptr<State> m;
};

}  // namespace p2r
