#pragma once
// The local launcher of a data-parallel job: N copies of this program on this machine, each a rank
// (what `torchrun --nproc-per-node N` does for a single node). No Torch.
#include <string>
#include <vector>

namespace p2r {

/// How one worker ended.
struct WorkerExit {
  int rank = 0;
  int pid = 0;
  int exit_code = 0;  ///< exit status (0: success), or -1 when killed by a signal
  int signal = 0;     ///< the signal that killed it (0: none)
};

/// Starts `workers` copies of `program` with arguments args (argv[1..]), worker i with RANK and
/// LOCAL_RANK i, WORLD_SIZE and LOCAL_WORLD_SIZE `workers`, MASTER_ADDR 127.0.0.1 and MASTER_PORT
/// `master_port` (0: a free port the system picks) added to this process's environment, and
/// waits for all of them. Throws p2r::Error when a worker cannot be started or no port is free.
std::vector<WorkerExit> run_local_workers(const std::string& program, const std::vector<std::string>& args,
                                          int workers, int master_port);

/// One line per failed worker ("worker rank 1 (pid 123) was killed by signal 9 (Killed)"); empty
/// when every worker exited 0.
std::string describe_worker_failures(const std::vector<WorkerExit>& exits);

}  // namespace p2r
