// The local launcher's pure parts (each rank's place, thread split, the environment chosen) and its
// child processes: environment, log, exit status, killing and reaping (no zombies).
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>

#include "core/common/error.h"
#include "core/train/local_workers.h"
#include "tests/core/test_support.h"

namespace p2r {
namespace {

using test::read_bytes;
using test::ScopedEnv;

TEST(LocalWorkers, ThreadsAreSplitEquallyAtLeastOneEach) {
  EXPECT_EQ(threads_per_rank(1, 2), 1);  // the studio: one thread for the job, each rank still gets one
  EXPECT_EQ(threads_per_rank(4, 2), 2);
  EXPECT_EQ(threads_per_rank(5, 2), 2);  // equal counts: the ranks' configurations must be equal
  EXPECT_EQ(threads_per_rank(8, 1), 8);
  EXPECT_EQ(threads_per_rank(2, 4), 1);
}

TEST(LocalWorkers, EachRankHasItsPlaceOnThisMachine) {
  const DistributedEnv e = local_rank_env(2, 3, 29400);
  EXPECT_EQ(e.rank, 2);
  EXPECT_EQ(e.local_rank, 2);
  EXPECT_EQ(e.world_size, 3);
  EXPECT_EQ(e.local_world_size, 3);
  EXPECT_EQ(e.master_addr, "127.0.0.1");
  EXPECT_EQ(e.master_port, 29400);
}

TEST(LocalWorkers, GivenPlaceComesBeforeTheEnvironment) {
  ScopedEnv world("WORLD_SIZE", "4"), rank("RANK", "3"), addr("MASTER_ADDR", "node0"), port("MASTER_PORT", "29500");
  DistributedOptions options;
  EXPECT_FALSE(distributed_env_of(options));  // neither given nor asked for: one process
  options.use_environment = true;
  EXPECT_EQ(distributed_env_of(options)->rank, 3);
  options.env = local_rank_env(0, 2, 1234);
  const std::optional<DistributedEnv> given = distributed_env_of(options);
  EXPECT_EQ(given->rank, 0);
  EXPECT_EQ(given->world_size, 2);
  EXPECT_EQ(given->master_port, 1234);
}

TEST(LocalWorkers, WorkerGetsItsVariablesAndLogsItsOutput) {
  ScopedEnv stale("RANK", "7");  // replaced in the worker's environment, kept in this process's
  const std::string log = test::process_scratch_path("local_workers", "rank-1.log");
  std::vector<WorkerExit> exits;
  int port = 0;
  {
    LocalWorkers workers(2, 0);
    port = workers.port();
    EXPECT_GT(port, 0);
    workers.start(1, "/bin/sh",
                  {"-c", "echo $RANK $LOCAL_RANK $WORLD_SIZE $LOCAL_WORLD_SIZE $MASTER_ADDR $MASTER_PORT; "
                         "echo gave up >&2; exit 3"},
                  log);
    exits = workers.finish();
  }
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].rank, 1);
  EXPECT_EQ(exits[0].exit_code, 3);
  EXPECT_FALSE(exits[0].stopped);
  EXPECT_EQ(read_bytes(log), "1 1 2 2 127.0.0.1 " + std::to_string(port) + "\ngave up\n");
  EXPECT_STREQ(std::getenv("RANK"), "7");
  const std::string said = describe_worker_failures(exits);
  EXPECT_NE(said.find("worker rank 1 (pid " + std::to_string(exits[0].pid) + ") exited with status 3: gave up"),
            std::string::npos)
      << said;
  EXPECT_TRUE(test::no_child_processes());
}

TEST(LocalWorkers, WorkersStillRunningAreKilledAndReaped) {
  {
    LocalWorkers workers(3, 0);
    workers.start(1, "/bin/sleep", {"60"});
    workers.start(2, "/bin/sh", {"-c", "kill -9 $$"});
    const std::vector<WorkerExit> exits = workers.finish(2);
    ASSERT_EQ(exits.size(), 2u);
    EXPECT_TRUE(exits[0].stopped);  // still running after the grace period
    EXPECT_EQ(exits[0].signal, SIGKILL);
    EXPECT_FALSE(exits[1].stopped);  // killed itself: a failure of its own
    EXPECT_EQ(exits[1].signal, SIGKILL);
    const std::string said = describe_worker_failures(exits);
    EXPECT_EQ(said.find("worker rank 1"), std::string::npos) << said;
    EXPECT_NE(said.find("worker rank 2"), std::string::npos) << said;
  }
  {
    LocalWorkers workers(2, 0);
    workers.start(1, "/bin/sleep", {"60"});
    EXPECT_TRUE(workers.poll().empty());
  }  // the destructor kills and reaps it
  EXPECT_TRUE(test::no_child_processes());
}

TEST(LocalWorkers, MissingProgramIsNamed) {
  LocalWorkers workers(2, 0);
  try {
    workers.start(1, "/nonexistent/pix2rep", {"pretrain"});
    FAIL() << "started a program that does not exist";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("cannot start worker rank 1 (/nonexistent/pix2rep)"), std::string::npos) << e.message();
  }
  EXPECT_TRUE(test::no_child_processes());
}

}  // namespace
}  // namespace p2r
