#include "core/train/local_workers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/common/error.h"

extern char** environ;

namespace p2r {
namespace {

// This process's environment with `variables` ("NAME=value") in place of any it has of those names.
std::vector<std::string> environment_with(const std::vector<std::string>& variables) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    bool replaced = false;
    for (const std::string& v : variables) replaced = replaced || std::strncmp(*e, v.c_str(), v.find('=') + 1) == 0;
    if (!replaced) env.emplace_back(*e);
  }
  env.insert(env.end(), variables.begin(), variables.end());
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

// The variables of env, as a worker's environment holds them.
std::vector<std::string> env_variables(const DistributedEnv& e) {
  return {"RANK=" + std::to_string(e.rank),
          "LOCAL_RANK=" + std::to_string(e.local_rank),
          "WORLD_SIZE=" + std::to_string(e.world_size),
          "LOCAL_WORLD_SIZE=" + std::to_string(e.local_world_size),
          "MASTER_ADDR=" + e.master_addr,
          "MASTER_PORT=" + std::to_string(e.master_port)};
}

// The last non-empty line of the file at path ("" when none or unreadable), at most 300 characters.
std::string last_line(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  return last.size() > 300 ? last.substr(0, 300) + "..." : last;
}

}  // namespace

DistributedEnv local_rank_env(int rank, int workers, int port) {
  DistributedEnv e;
  e.rank = e.local_rank = rank;
  e.world_size = e.local_world_size = workers;
  e.master_addr = "127.0.0.1";
  e.master_port = port;
  return e;
}

LocalWorkers::LocalWorkers(int workers, int master_port) : m_workers(workers) {
  P2R_CHECK(workers >= 1, "--nproc-per-node " << workers << ": must be at least 1");
  m_port = master_port > 0 ? master_port : free_local_port();
}

LocalWorkers::~LocalWorkers() { finish(0); }

void LocalWorkers::start(int rank, const std::string& program, const std::vector<std::string>& args,
                         const std::string& log) {
  std::vector<std::string> argv{program};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> c_argv = c_strings(argv);
  std::vector<std::string> environment = environment_with(env_variables(env(rank)));
  std::vector<char*> c_env = c_strings(environment);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!log.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  }
  pid_t pid = 0;
  const int err = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  P2R_CHECK(err == 0, "cannot start worker rank " << rank << " (" << program << "): " << std::strerror(err));
  Worker w;
  w.exit.rank = rank;
  w.exit.pid = int(pid);
  w.exit.log = log;
  m_started.push_back(w);
}

// Collects w's exit status once it ended (block: waits for it); true when it has ended.
bool LocalWorkers::reap(Worker& w, bool block) {
  if (w.ended) return true;
  int status = 0;
  pid_t got = 0;
  while ((got = ::waitpid(w.exit.pid, &status, block ? 0 : WNOHANG)) < 0 && errno == EINTR) {
  }
  if (got == 0) return false;
  w.ended = true;
  if (got < 0) {  // reaped elsewhere (ECHILD): the status is lost
    w.exit.exit_code = -1;
  } else if (WIFSIGNALED(status)) {
    w.exit.exit_code = -1;
    w.exit.signal = WTERMSIG(status);
  } else {
    w.exit.exit_code = WEXITSTATUS(status);
  }
  return true;
}

std::vector<WorkerExit> LocalWorkers::poll() {
  std::vector<WorkerExit> ended;
  for (Worker& w : m_started)
    if (!w.ended && reap(w, false)) ended.push_back(w.exit);
  return ended;
}

std::vector<WorkerExit> LocalWorkers::finish(double grace_s) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                           std::max(grace_s, 0.0)));
  for (Worker& w : m_started) {
    if (grace_s < 0) reap(w, true);
    while (!reap(w, false) && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::vector<WorkerExit> exits;
  for (Worker& w : m_started) {
    if (!w.ended) {
      ::kill(w.exit.pid, SIGKILL);
      reap(w, true);
      w.exit.stopped = true;
    }
    exits.push_back(w.exit);
  }
  return exits;
}

std::vector<WorkerExit> run_local_workers(const std::string& program, const std::vector<std::string>& args,
                                          int workers, int master_port) {
  LocalWorkers job(workers, master_port);
  for (int rank = 0; rank < workers; ++rank) job.start(rank, program, args);
  return job.finish();
}

std::string describe_worker_failures(const std::vector<WorkerExit>& exits) {
  std::ostringstream os;
  for (const WorkerExit& w : exits) {
    if (w.stopped) continue;
    if (w.signal != 0)
      os << "worker rank " << w.rank << " (pid " << w.pid << ") was killed by signal " << w.signal << " ("
         << strsignal(w.signal) << ")";
    else if (w.exit_code != 0)
      os << "worker rank " << w.rank << " (pid " << w.pid << ") exited with status " << w.exit_code;
    else
      continue;
    const std::string said = w.log.empty() ? std::string() : last_line(w.log);
    os << (said.empty() ? "" : ": " + said) << "\n";
  }
  return os.str();
}

}  // namespace p2r
