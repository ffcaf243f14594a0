// Pretraining runs on the phantom: loss goes down, interrupt + resume is exact, bad input is refused.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/common/precision.h"
#include "core/model/run_folder.h"
#include "core/model/segmentation_net.h"
#include "core/train/pretrain_step.h"
#include "core/train/pretrainer.h"
#include "tests/core/pretrain_fixtures.h"

namespace p2r {
namespace fs = std::filesystem;
namespace {

TEST(Pretrainer, ShortRunLowersTheLoss) {
  for (PretrainMethod method : {PretrainMethod::Pix2Rep, PretrainMethod::Pix2RepV2}) {
    PretrainConfig c = tiny_pretrain_config(std::string("lower_") + method_name(method), method);
    c.epochs = 4;
    PretrainResult r = run_pretraining(c, pretrain_phantom(), null_progress());
    ASSERT_EQ(r.epochs.size(), 4u);
    EXPECT_LT(r.epochs.back().train_loss, r.epochs.front().train_loss) << method_name(method);
    EXPECT_TRUE(std::isfinite(r.epochs.back().val_loss));
    EXPECT_TRUE(fs::exists(checkpoint_path(c.out_dir)));
    EXPECT_TRUE(fs::exists(log_path(c.out_dir)));
    fs::remove_all(c.out_dir);
  }
}

TEST(Pretrainer, InterruptAndResumeReproducesTheLossCurve) {
  PretrainConfig full = tiny_pretrain_config("full");
  PretrainResult a = run_pretraining(full, pretrain_phantom(), null_progress());
  PretrainConfig part = tiny_pretrain_config("part");
  CancelAfter stop(a.total_steps / 2 + 1);  // mid-epoch
  EXPECT_THROW(run_pretraining(part, pretrain_phantom(), stop), Cancelled);
  PretrainResult b = resume_pretraining(part.out_dir, pretrain_phantom(), null_progress());
  ASSERT_EQ(a.step_losses.size(), b.step_losses.size());
  for (size_t i = 0; i < a.step_losses.size(); ++i) EXPECT_NEAR(a.step_losses[i], b.step_losses[i], 1e-4) << i;
  EXPECT_NEAR(a.epochs.back().val_loss, b.epochs.back().val_loss, 1e-4);
  // More epochs on resume continue the same run, on this machine's thread count if given.
  ASSERT_NE(part.threads, 1);
  PretrainResult c = resume_pretraining(part.out_dir, pretrain_phantom(), null_progress(), {3, "", 1});
  EXPECT_EQ(c.epochs.size(), 3u);
  const PretrainConfig resumed = load_pretrain_config(config_path(part.out_dir), PretrainConfig{});
  EXPECT_EQ(resumed.epochs, 3);
  EXPECT_EQ(resumed.threads, 1);
  fs::remove_all(full.out_dir);
  fs::remove_all(part.out_dir);
}

// Snapshots: every snapshot_every epochs the backbone is kept as a run folder of its own, which
// the backbone readers open; the last one is the run's own backbone, earlier ones differ.
TEST(Pretrainer, SnapshotsKeepTheBackboneOfTheirEpoch) {
  PretrainConfig c = tiny_pretrain_config("snapshots");
  c.epochs = 2;
  c.snapshot_every = 1;
  run_pretraining(c, pretrain_phantom(), null_progress());
  const std::vector<std::string> snaps = snapshot_paths(c.out_dir);
  ASSERT_EQ(snaps.size(), 2u);
  EXPECT_EQ(snaps[0], snapshot_path(c.out_dir, 1));
  EXPECT_EQ(snaps[1], snapshot_path(c.out_dir, 2));
  EXPECT_EQ(snapshot_epoch(snaps[1]), 2);
  EXPECT_THROW(snapshot_epoch(c.out_dir), Error);
  EXPECT_EQ(std::distance(fs::directory_iterator(fs::path(c.out_dir) / "snapshots"), fs::directory_iterator()), 2)
      << "no temporary folder left";
  auto backbone_of = [&](const std::string& dir) {
    UNet net(pretrained_model_config(dir));
    load_pretrained_backbone(dir, net);
    return torch::cat([&] {
      std::vector<torch::Tensor> flat;
      for (const auto& p : net->parameters()) flat.push_back(p.detach().flatten());
      return flat;
    }());
  };
  const torch::Tensor final_weights = backbone_of(c.out_dir);
  EXPECT_TRUE(torch::equal(backbone_of(snaps[1]), final_weights));
  EXPECT_FALSE(torch::equal(backbone_of(snaps[0]), final_weights));
  EXPECT_TRUE(snapshot_paths(c.out_dir + "/none").empty());
  EXPECT_TRUE(fs::exists(provenance_path(snaps[0])));  // what readers of a run check
  EXPECT_EQ(snapshot_run(snaps[0] + "/"), fs::weakly_canonical(c.out_dir).string());
  EXPECT_EQ(snapshot_run(c.out_dir), "");
  try {
    resume_pretraining(snaps[0], pretrain_phantom(), null_progress(), {3});
    ADD_FAILURE() << "a snapshot was resumed";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("is a snapshot of the run"), std::string::npos) << e.message();
  }
  fs::remove_all(c.out_dir);
}

TEST(Pretrainer, BadInputIsRefusedAndKeepsTheCheckpoint) {
  PretrainConfig c = tiny_pretrain_config("bad");
  c.lr = 0;
  EXPECT_THROW(run_pretraining(c, pretrain_phantom(), null_progress()), Error);
  c = tiny_pretrain_config("bad");
  c.samples = 100000;
  EXPECT_THROW(run_pretraining(c, pretrain_phantom(), null_progress()), Error);
  EXPECT_THROW(parse_method("byol"), Error);
  if (!torch::cuda::is_available()) {
    c = tiny_pretrain_config("bad");
    c.device = "cuda";
    EXPECT_THROW(run_pretraining(c, pretrain_phantom(), null_progress()), Error);
  }
  c = tiny_pretrain_config("bad");
  c.data_path = "/nonexistent/file.p2rs";
  EXPECT_THROW(run_pretraining(c, null_progress()), Error);

  // A good first epoch, then a non-finite loss: error, and the checkpoint is untouched.
  c = tiny_pretrain_config("bad");
  c.epochs = 1;
  run_pretraining(c, pretrain_phantom(), null_progress());
  EXPECT_THROW(run_pretraining(c, pretrain_phantom(), null_progress()), Error);  // folder already holds a run
  const auto ckpt = checkpoint_path(c.out_dir);
  const auto stamp = fs::last_write_time(ckpt);
  SliceSet broken = pretrain_phantom();
  for (float& v : broken.images) v = std::nanf("");
  EXPECT_THROW(resume_pretraining(c.out_dir, broken, null_progress(), {2}), Error);
  EXPECT_EQ(fs::last_write_time(ckpt), stamp);
  EXPECT_NO_THROW(resume_pretraining(c.out_dir, pretrain_phantom(), null_progress(), {2}));

  // Incompatible configuration: the checkpoint does not fit the model of config.json.
  {
    std::ifstream in(config_path(c.out_dir));
    std::stringstream ss;
    ss << in.rdbuf();
    PretrainConfig changed = pretrain_config_from_json(ss.str(), PretrainConfig{});
    changed.model.base = 6;
    std::ofstream out(config_path(c.out_dir));
    out << pretrain_config_to_json(changed);
  }
  EXPECT_THROW(resume_pretraining(c.out_dir, pretrain_phantom(), null_progress(), {3}), Error);
  EXPECT_THROW(pretrain_config_from_json("{\"epochs\": 2, \"typo\": 1}", PretrainConfig{}), Error);
  EXPECT_THROW(pretrain_config_from_json("{\"epochs\": \"two\"}", PretrainConfig{}), Error);
  EXPECT_THROW(pretrain_config_from_json("{", PretrainConfig{}), Error);
  fs::remove_all(c.out_dir);
}

// bf16 autocast (CPU here; the same code path on CUDA): the loss of a batch stays close to fp32,
// gradients are fp32 and finite, autocast is off again afterwards, and a short run still learns.
TEST(Pretrainer, Bf16AutocastStepMatchesFp32AndTrains) {
  PretrainConfig c = tiny_pretrain_config("bf16", PretrainMethod::Pix2RepV2);
  torch::manual_seed(0);
  Pix2RepNet net(c.model);
  const torch::Tensor x = torch::rand({4, 1, 32, 32});
  auto gen32 = step_generator(1, 2), gen16 = step_generator(1, 2);
  const double fp32 = pretrain_loss(net, x, c, gen32).item<double>();
  c.precision = "bf16";
  torch::Tensor loss = pretrain_loss(net, x, c, gen16);
  EXPECT_EQ(loss.scalar_type(), torch::kFloat);
  EXPECT_NEAR(loss.item<double>(), fp32, 0.05 * std::abs(fp32));
  loss.backward();
  for (const auto& p : net->parameters()) {
    ASSERT_TRUE(p.grad().defined());
    EXPECT_EQ(p.grad().scalar_type(), torch::kFloat);
    EXPECT_TRUE(torch::isfinite(p.grad()).all().item<bool>());
  }
  EXPECT_FALSE(at::autocast::is_cpu_enabled());
  // A run asks for "auto" (bf16 only where the CPU has bfloat16 matrix units: any machine passes)
  // and records what it resolved to.
  c.epochs = 3;
  c.precision = "auto";
  const PretrainResult r = run_pretraining(c, pretrain_phantom(), null_progress());
  EXPECT_LT(r.epochs.back().train_loss, r.epochs.front().train_loss);
  std::ifstream config_file(config_path(c.out_dir));
  std::stringstream config_text;
  config_text << config_file.rdbuf();
  EXPECT_EQ(pretrain_config_from_json(config_text.str(), PretrainConfig{}).precision,
            resolve_precision("auto", /*cuda=*/false));
  c.precision = "fp16";
  EXPECT_THROW(c.validate(), Error);
  fs::remove_all(c.out_dir);
}

TEST(Pretrainer, PresetsAreValidAndRoundTripThroughJson) {
  for (const std::string& name : pretrain_preset_names()) {
    PretrainConfig p = pretrain_preset(name, PretrainMethod::Pix2RepV2);
    EXPECT_NO_THROW(p.validate());
    PretrainConfig q = pretrain_config_from_json(pretrain_config_to_json(p), PretrainConfig{});
    EXPECT_EQ(pretrain_config_to_json(p), pretrain_config_to_json(q));
  }
  PretrainConfig paper = pretrain_preset("paper", PretrainMethod::Pix2Rep);
  EXPECT_EQ(paper.model.base << (paper.model.levels - 1), 2048);
  EXPECT_EQ(paper.model.n_ft, 1024);
  EXPECT_EQ(paper.model.expand, 0);  // the published layout
  EXPECT_EQ(paper.model.proj_dim, 256);  // the official head: Conv1x1-BN-ReLU-Conv1x1, 256 wide
  EXPECT_EQ(paper.model.proj_bn, 1);
  PretrainConfig cpu = pretrain_preset("cpu", PretrainMethod::Pix2Rep);
  EXPECT_EQ(cpu.model.n_ft, 1024);
  EXPECT_EQ(cpu.model.expand, 1);
  EXPECT_EQ(cpu.augment.p_reversal, 0.0);
  EXPECT_EQ(64 % (1 << (cpu.model.levels - 1)), 0);  // runs on 64x64 slices
  EXPECT_EQ(cpu.epochs, 170);  // about an hour each on the 2-core AMX machine in bf16
  EXPECT_EQ(pretrain_preset("cpu", PretrainMethod::Pix2RepV2).epochs, 200);
  EXPECT_EQ(pretrain_preset("cpu", PretrainMethod::SimCLR).epochs, 110);
  EXPECT_THROW(pretrain_preset("huge", PretrainMethod::Pix2Rep), Error);
}

}  // namespace
}  // namespace p2r
