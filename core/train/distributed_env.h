#pragma once
// How a pretraining process joins a data-parallel job: the variables torchrun and SLURM scripts set
// (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT) and the launch options.
// No Torch.
#include <functional>
#include <optional>
#include <string>

#include "core/train/pretrain_config.h"

namespace p2r {

/// Where this process sits in a data-parallel job.
struct DistributedEnv {
  int rank = 0;              ///< RANK: 0 .. world_size - 1; rank 0 hosts the rendezvous store and writes the run folder
  int world_size = 1;        ///< WORLD_SIZE: processes in the job
  int local_rank = 0;        ///< LOCAL_RANK: index on this machine (picks the GPU)
  int local_world_size = 1;  ///< LOCAL_WORLD_SIZE: processes on this machine (share its cores); 1 when unset
  std::string master_addr;   ///< MASTER_ADDR: host of rank 0's TCPStore
  int master_port = 0;       ///< MASTER_PORT: its port
};

/// The job described by the environment, or nullopt when WORLD_SIZE is unset (one process).
/// Throws p2r::Error naming the variable that is missing, not a number or out of range.
std::optional<DistributedEnv> distributed_env_from_environment();

/// How to join: the collective backend and how long a collective or the rendezvous may wait.
struct DistributedOptions {
  bool use_environment = false;  ///< join the job the environment describes (the CLI); false: one process
  /// This process's place in a job, given by its launcher (the studio's rank 0, which must not
  /// setenv in a threaded process); used instead of the environment when set
  std::optional<DistributedEnv> env;
  std::string backend = "auto";  ///< "auto" (NCCL on CUDA, Gloo on the CPU), "gloo" or "nccl"
  int timeout_s = 300;           ///< a rank that has not answered a collective after this long fails the job
  /// Called about every 50 ms while this rank waits for the others to join; it may throw to give up
  /// at once (the studio: Cancel, or a worker process that ended). Empty: wait up to timeout_s.
  std::function<void()> while_joining;
};

/// The job this process joins: options.env when set, else the environment's with
/// options.use_environment, else nullopt (one process). Throws as distributed_env_from_environment.
std::optional<DistributedEnv> distributed_env_of(const DistributedOptions& options);

/// Whether method's loss is split over data-parallel ranks (pix2rep, pix2rep-v2; not SimCLR and
/// Chaitanya, whose batch-level losses are not split yet).
bool data_parallel_method(PretrainMethod method);

/// Intra-op threads of each of `ranks` processes sharing `threads` threads: threads / ranks, at
/// least 1 (every rank gets the same count, as their configurations must be equal).
int threads_per_rank(int threads, int ranks);

/// Throws p2r::Error naming the option when backend or timeout_s is invalid.
void validate_distributed_options(const DistributedOptions& options);

}  // namespace p2r
