#include "core/train/local_workers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "core/common/error.h"

extern char** environ;

namespace p2r {
namespace {

// This process's environment without the variables a worker gets from the launcher.
std::vector<std::string> inherited_environment() {
  static const char* const kOwn[] = {"RANK=", "LOCAL_RANK=", "WORLD_SIZE=", "LOCAL_WORLD_SIZE=", "MASTER_ADDR=",
                                     "MASTER_PORT="};
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    bool own = false;
    for (const char* prefix : kOwn) own = own || std::strncmp(*e, prefix, std::strlen(prefix)) == 0;
    if (!own) env.emplace_back(*e);
  }
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// A TCP port of 127.0.0.1 free at the time of the call (bound to port 0, then released).
int free_local_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  P2R_CHECK(fd >= 0, "cannot open a socket to find a free port: " << std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  const int err = errno;
  ::close(fd);
  P2R_CHECK(ok, "cannot find a free TCP port on 127.0.0.1: " << std::strerror(err));
  return ntohs(addr.sin_port);
}

}  // namespace

std::vector<WorkerExit> run_local_workers(const std::string& program, const std::vector<std::string>& args,
                                          int workers, int master_port) {
  P2R_CHECK(workers >= 1, "--nproc-per-node " << workers << ": must be at least 1");
  const int port = master_port > 0 ? master_port : free_local_port();
  std::vector<std::string> argv{program};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> c_argv = c_strings(argv);
  std::vector<WorkerExit> exits;
  for (int rank = 0; rank < workers; ++rank) {
    std::vector<std::string> env = inherited_environment();
    for (const std::string& var : {"RANK=" + std::to_string(rank), "LOCAL_RANK=" + std::to_string(rank),
                                   "WORLD_SIZE=" + std::to_string(workers), "LOCAL_WORLD_SIZE=" + std::to_string(workers),
                                   std::string("MASTER_ADDR=127.0.0.1"), "MASTER_PORT=" + std::to_string(port)})
      env.push_back(var);
    std::vector<char*> c_env = c_strings(env);
    pid_t pid = 0;
    const int err = ::posix_spawn(&pid, program.c_str(), nullptr, nullptr, c_argv.data(), c_env.data());
    if (err != 0) {  // the workers already started fail their rendezvous within their timeout
      for (const WorkerExit& started : exits) ::waitpid(started.pid, nullptr, 0);
      P2R_FAIL("cannot start worker rank " << rank << " (" << program << "): " << std::strerror(err));
    }
    exits.push_back({rank, int(pid), 0, 0});
  }
  for (WorkerExit& w : exits) {
    int status = 0;
    while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status)) {
      w.exit_code = -1;
      w.signal = WTERMSIG(status);
    } else {
      w.exit_code = WEXITSTATUS(status);
    }
  }
  return exits;
}

std::string describe_worker_failures(const std::vector<WorkerExit>& exits) {
  std::ostringstream os;
  for (const WorkerExit& w : exits) {
    if (w.signal != 0)
      os << "worker rank " << w.rank << " (pid " << w.pid << ") was killed by signal " << w.signal << " ("
         << strsignal(w.signal) << ")\n";
    else if (w.exit_code != 0)
      os << "worker rank " << w.rank << " (pid " << w.pid << ") exited with status " << w.exit_code << "\n";
  }
  return os.str();
}

}  // namespace p2r
