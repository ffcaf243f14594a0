// Jobs (core/jobs) and the studio's job-side logic: note parsing, snapshots, states, cancellation,
// captured errors, one-at-a-time running, frame-time percentiles, tool script parsing, layout.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "app/studio/frame_stats.h"
#include "app/studio/script_runner.h"
#include "app/studio/studio_jobs.h"
#include "app/studio/studio_layout.h"
#include "core/common/error.h"
#include "core/jobs/job_runner.h"
#include "core/jobs/training_jobs.h"

using namespace p2r;
using namespace p2r::studio;

namespace {

void wait_finished(const Job& job) {
  for (int i = 0; i < 2000 && !job.finished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

}  // namespace

TEST(Jobs, NoteMetricsAreKeyValuePairs) {
  const auto m = parse_note_metrics("epoch 2/5 loss 0.31 val 0.25");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].first, "loss");
  EXPECT_DOUBLE_EQ(m[0].second, 0.31);
  EXPECT_EQ(m[1].first, "val");
  const auto s = parse_note_metrics("loss 0.5 val Dice 0.8 (best 0.8 @2)");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[1].first, "Dice");
  EXPECT_EQ(s[2].first, "best");
  EXPECT_TRUE(parse_note_metrics("patient001").empty());
}

TEST(Jobs, ProgressKeepsSeriesAndEta) {
  JobProgress p;
  p.set_repeated_keys({"val"});
  p.begin("train", 10);
  p.update(1, "loss 1.0 val 2.0");
  p.update(2, "loss 0.5 val 2.0");  // val unchanged: not repeated
  const auto series = p.series();
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].y, (std::vector<double>{1.0, 0.5}));
  EXPECT_EQ(series[1].x, (std::vector<double>{1.0}));
  const ProgressSnapshot snap = p.snapshot();
  EXPECT_EQ(snap.done, 2);
  EXPECT_DOUBLE_EQ(snap.fraction(), 0.2);
  EXPECT_GE(snap.eta_s, 0.0);
}

TEST(Jobs, SucceedsFailsAndCancels) {
  Job ok("t", "ok", "", [](JobProgress& p) {
    p.begin("x", 1);
    p.update(1, "");
    return std::string("done");
  });
  ok.start();
  wait_finished(ok);
  EXPECT_EQ(ok.state(), JobState::Succeeded);
  EXPECT_EQ(ok.summary(), "done");

  Job bad("t", "bad", "", [](JobProgress&) -> std::string { P2R_FAIL("patient042: label file has the wrong shape"); });
  bad.start();
  wait_finished(bad);
  EXPECT_EQ(bad.state(), JobState::Failed);
  EXPECT_EQ(bad.error(), "patient042: label file has the wrong shape");

  std::atomic<bool> started{false};
  Job slow("t", "slow", "", [&](JobProgress& p) -> std::string {
    started = true;
    while (!p.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    throw Cancelled();
  });
  slow.start();
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(slow.state(), JobState::Running);
  slow.cancel();
  wait_finished(slow);
  EXPECT_EQ(slow.state(), JobState::Cancelled);
}

TEST(Jobs, RunnerRunsOneAtATimeInOrder) {
  JobRunner runner;
  std::atomic<bool> release{false};
  Job& first = runner.submit(std::make_unique<Job>("a", "first", "", [&](JobProgress&) {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return std::string();
  }));
  Job& second = runner.submit(std::make_unique<Job>("b", "second", "dir", [](JobProgress&) { return std::string(); }));
  EXPECT_EQ(first.state(), JobState::Running);
  EXPECT_EQ(second.state(), JobState::Queued);
  runner.poll();
  EXPECT_EQ(second.state(), JobState::Queued);
  release = true;
  wait_finished(first);
  runner.poll();
  wait_finished(second);
  EXPECT_EQ(second.state(), JobState::Succeeded);
  EXPECT_EQ(runner.last_succeeded("b"), &second);
  EXPECT_FALSE(runner.busy());
  runner.clear_finished();
  EXPECT_TRUE(runner.jobs().empty());
}

TEST(Jobs, CancelledWhileQueuedNeverRuns) {
  JobRunner runner;
  std::atomic<bool> release{false}, ran{false};
  runner.submit(std::make_unique<Job>("a", "blocker", "", [&](JobProgress& p) -> std::string {
    while (!release && !p.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return std::string();
  }));
  Job& queued = runner.submit(std::make_unique<Job>("b", "queued", "", [&](JobProgress&) {
    ran = true;
    return std::string();
  }));
  runner.cancel_all();
  EXPECT_EQ(queued.state(), JobState::Cancelled);
  EXPECT_FALSE(ran);
}

TEST(Jobs, TrainingJobsRefuseBadInput) {
  EXPECT_THROW(make_pretrain_job(PretrainConfig{}, nullptr), Error);
  auto data = std::make_shared<SliceSet>();
  PretrainConfig config;
  config.out_dir = "";
  EXPECT_THROW(make_pretrain_job(config, data), Error);
  StudioJobs jobs;
  SegmentConfig seg = segment_defaults(SegmentMode::Probe);
  seg.subjects = {"patient001"};
  EXPECT_EQ(jobs.launch_segmentation(seg, data), nullptr);  // no backbone yet
  EXPECT_NE(jobs.launch_error.find("backbone"), std::string::npos);
}

TEST(Jobs, DescribeExceptionCutsBacktraces) {
  const std::runtime_error e("shape mismatch\nException raised from foo at bar.cpp:12\nframe #0 ...");
  EXPECT_EQ(describe_exception(e), "shape mismatch");
}

TEST(StudioTools, FrameTimePercentiles) {
  std::vector<double> ms;
  for (int i = 1; i <= 100; ++i) ms.push_back(i);
  const FrameTimeSummary s = summarise_frame_times(ms);
  EXPECT_EQ(s.frames, 100);
  EXPECT_DOUBLE_EQ(s.p50_ms, 51);
  EXPECT_DOUBLE_EQ(s.p95_ms, 96);
  EXPECT_DOUBLE_EQ(s.max_ms, 100);
}

TEST(StudioTools, ScriptParsesJobCommands) {
  const auto commands = parse_script("tools on\npretrain epochs=1 max_slices=16\nwait_job\nsegment\n", "s.txt");
  ASSERT_EQ(commands.size(), 4u);
  EXPECT_EQ(commands[1].args, (std::vector<std::string>{"epochs=1", "max_slices=16"}));
  EXPECT_TRUE(commands[2].args.empty());
  EXPECT_THROW(parse_script("wait_job now\n", "s.txt"), Error);
}

TEST(StudioTools, RightColumnOnlyWhenShown) {
  const StudioLayout plain = compute_layout(1280, 800, 20);
  const StudioLayout tools = compute_layout(1280, 800, 20, true);
  EXPECT_EQ(plain.jobs.w, 0.f);
  EXPECT_EQ(plain.image.w, tools.image.w + tools.jobs.w);
  EXPECT_EQ(tools.jobs.x + tools.jobs.w, 1280.f);
  EXPECT_EQ(tools.model.y, tools.jobs.h);
}
