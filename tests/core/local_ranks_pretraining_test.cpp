// Pretraining with rank 0 in this process and the other ranks child processes of the pix2rep
// program (the studio's "workers"): refusals before anything starts, a 2-rank run from slices in
// memory, Cancel, a worker that fails before joining; never a child process left behind.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "core/common/error.h"
#include "core/model/run_folder.h"
#include "core/train/local_ranks_pretraining.h"
#include "tests/core/pretrain_fixtures.h"
#include "tests/core/test_support.h"

namespace p2r {
namespace {
namespace fs = std::filesystem;

using test::error_of;
using test::read_bytes;

LocalRanks two_ranks(const std::string& program = std::string(PIX2REP_BIN_DIR) + "/pix2rep") {
  return LocalRanks{2, program, ""};
}


TEST(LocalRanksPretraining, RefusedBeforeAnythingStarts) {
  PretrainConfig c = tiny_pretrain_config("ranks_refused", PretrainMethod::SimCLR);
  const auto refused = [&](const PretrainConfig& config, const LocalRanks& ranks) {
    return error_of([&] { run_pretraining_on_local_ranks(config, pretrain_phantom(), ranks, null_progress()); });
  };
  EXPECT_NE(refused(c, two_ranks()).find("workers 2: data-parallel pretraining supports pix2rep and pix2rep-v2, not simclr"),
            std::string::npos);
  c.method = PretrainMethod::Pix2RepV2;
  EXPECT_NE(refused(c, two_ranks("/nonexistent/pix2rep")).find("is missing: /nonexistent/pix2rep"), std::string::npos);
  EXPECT_NE(refused(c, LocalRanks{3, two_ranks().program, ""}).find("batch 4 (the global batch) is not divisible by 3"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(c.out_dir));  // nothing written
}

TEST(LocalRanksPretraining, TwoRanksTrainSlicesHeldInMemory) {
  PretrainConfig c = tiny_pretrain_config("ranks_two", PretrainMethod::Pix2RepV2);
  const PretrainResult r = run_pretraining_on_local_ranks(c, pretrain_phantom(), two_ranks(), null_progress());
  EXPECT_EQ(r.world_size, 2);
  EXPECT_EQ(r.epochs.size(), 2u);
  const std::string config = read_bytes(config_path(c.out_dir));
  EXPECT_NE(config.find("\"world_size\": 2"), std::string::npos) << config;
  EXPECT_NE(config.find("\"threads\": 1"), std::string::npos) << config;  // 2 threads split over 2 ranks
  EXPECT_NE(config.find(run_data_path(c.out_dir)), std::string::npos) << config;  // the slices the workers read
  EXPECT_TRUE(fs::exists(run_data_path(c.out_dir)));
  EXPECT_TRUE(fs::exists(fs::path(run_workers_path(c.out_dir)) / "rank-1.log"));
  EXPECT_TRUE(test::no_child_processes());
  fs::remove_all(c.out_dir);
}

TEST(LocalRanksPretraining, CancelStopsEveryRank) {
  PretrainConfig c = tiny_pretrain_config("ranks_cancel", PretrainMethod::Pix2Rep);
  CancelAfter stop(1);
  EXPECT_THROW(run_pretraining_on_local_ranks(c, pretrain_phantom(), two_ranks(), stop), Cancelled);
  EXPECT_TRUE(fs::exists(checkpoint_path(c.out_dir)));  // rank 0 saved the step every rank stopped after
  EXPECT_TRUE(test::no_child_processes());
  CancelAfter before_joining(0);  // Cancel while rank 0 waits for the others
  PretrainConfig waiting = tiny_pretrain_config("ranks_cancel_waiting", PretrainMethod::Pix2Rep);
  EXPECT_THROW(run_pretraining_on_local_ranks(waiting, pretrain_phantom(), two_ranks("/bin/true"), before_joining),
               Cancelled);
  EXPECT_TRUE(test::no_child_processes());
  fs::remove_all(c.out_dir);
  fs::remove_all(waiting.out_dir);
}

TEST(LocalRanksPretraining, WorkerThatFailsBeforeJoiningIsNamedAtOnce) {
  const std::string program = test::process_scratch_path("local_ranks", "failing_worker.sh");
  test::write_bytes(program, "#!/bin/sh\necho 'pix2rep: error: cannot read the prepared file' >&2\nexit 1\n");
  ::chmod(program.c_str(), 0755);
  PretrainConfig c = tiny_pretrain_config("ranks_failing", PretrainMethod::Pix2RepV2);
  const std::string message =
      error_of([&] { run_pretraining_on_local_ranks(c, pretrain_phantom(), two_ranks(program), null_progress()); });
  EXPECT_NE(message.find("rank 0: worker rank 1 ended before every rank joined"), std::string::npos) << message;
  EXPECT_NE(message.find("exited with status 1: pix2rep: error: cannot read the prepared file"), std::string::npos)
      << message;
  EXPECT_TRUE(test::no_child_processes());
  fs::remove_all(c.out_dir);
}

}  // namespace
}  // namespace p2r
