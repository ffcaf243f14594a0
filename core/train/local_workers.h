#pragma once
// The local launcher of a data-parallel job: ranks started as child processes on this machine
// (what `torchrun --nproc-per-node N` does for a single node): the CLI's --nproc-per-node and the
// studio's multi-process pretraining. No Torch.
#include <string>
#include <vector>

#include "core/train/distributed_env.h"

namespace p2r {

/// How one worker ended.
struct WorkerExit {
  int rank = 0;
  int pid = 0;
  int exit_code = 0;     ///< exit status (0: success), or -1 when killed by a signal
  int signal = 0;        ///< the signal that killed it (0: none)
  bool stopped = false;  ///< killed by the launcher, which gave up waiting (not a failure of its own)
  std::string log;       ///< the file its stdout and stderr went to ("" : the launcher's)
};

/// Where rank `rank` of a job of `workers` ranks on this machine sits: RANK and LOCAL_RANK `rank`,
/// WORLD_SIZE and LOCAL_WORLD_SIZE `workers`, MASTER_ADDR 127.0.0.1, MASTER_PORT `port`.
DistributedEnv local_rank_env(int rank, int workers, int port);

/// The ranks of one job on this machine that run as child processes. Not thread-safe. The
/// destructor kills (SIGKILL) and reaps every worker still running: no zombies, no orphans.
class LocalWorkers {
 public:
  /// A job of `workers` ranks meeting at 127.0.0.1:master_port (0: a port free now). Throws
  /// p2r::Error when workers < 1 or no port is free.
  LocalWorkers(int workers, int master_port);
  ~LocalWorkers();
  LocalWorkers(const LocalWorkers&) = delete;
  LocalWorkers& operator=(const LocalWorkers&) = delete;

  /// The job's rendezvous port.
  int port() const { return m_port; }
  /// Where rank `rank` sits (local_rank_env).
  DistributedEnv env(int rank) const { return local_rank_env(rank, m_workers, m_port); }
  /// Starts rank `rank` as program with arguments args (argv[1..]) and an environment of its own:
  /// this process's, with env(rank)'s variables in place of any it had (this process's environment
  /// is not changed). Its stdout and stderr go to log when not empty (created or truncated). Throws
  /// p2r::Error naming the rank and the program when it cannot start.
  void start(int rank, const std::string& program, const std::vector<std::string>& args, const std::string& log = "");
  /// The started workers that ended since the last call (reaped); does not block.
  std::vector<WorkerExit> poll();
  /// Waits up to grace_s seconds (< 0: without limit) for every started worker to end, kills the
  /// rest (marked stopped), reaps them all; returns every started worker's exit in start order.
  std::vector<WorkerExit> finish(double grace_s = -1);

 private:
  struct Worker {
    WorkerExit exit;
    bool ended = false;
  };
  bool reap(Worker& w, bool block);
  int m_workers = 0, m_port = 0;
  std::vector<Worker> m_started;
};

/// Starts `workers` copies of `program` with arguments args (argv[1..]) as ranks 0..workers-1
/// (LocalWorkers, MASTER_PORT `master_port`, 0: a free port) and waits for all of them. Throws
/// p2r::Error when a worker cannot be started or no port is free.
std::vector<WorkerExit> run_local_workers(const std::string& program, const std::vector<std::string>& args,
                                          int workers, int master_port);

/// One line per worker that failed by itself ("worker rank 1 (pid 123) was killed by signal 9
/// (Killed)", then the last line of its log when it has one); empty when none did.
std::string describe_worker_failures(const std::vector<WorkerExit>& exits);

}  // namespace p2r
