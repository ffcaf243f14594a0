// U-Net pieces and checkpoint round trip.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/common/precision.h"
#include "core/model/checkpoint.h"
#include "core/model/model_layout.h"
#include "core/model/precision_scope.h"
#include "core/model/unet.h"
#include "core/train/pretrain_bench.h"

namespace p2r {
namespace {

ModelConfig tiny_model() {
  ModelConfig m;
  m.base = 4;
  m.levels = 3;
  m.n_ft = 8;
  m.proj_dim = 6;
  return m;
}

TEST(UNet, UpShuffleEqualsTransposedConv) {
  torch::manual_seed(1);
  torch::nn::ConvTranspose2d ref(torch::nn::ConvTranspose2dOptions(6, 3, 2).stride(2));
  UpShuffle up(6, 3);
  up->load_transposed(ref->weight.detach(), ref->bias.detach());
  auto x = torch::randn({2, 6, 5, 7});
  EXPECT_TRUE(torch::allclose(up->forward(x), ref->forward(x), 1e-5, 1e-5));
}

TEST(UNet, ShapesAndBadInput) {
  Pix2RepNet net(tiny_model());
  auto y = net->forward(torch::rand({2, 1, 16, 16}));
  EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 6, 16, 16}));
  EXPECT_EQ(net->m_backbone->forward(torch::rand({1, 1, 8, 8})).size(1), 8);
  EXPECT_THROW(net->forward(torch::rand({1, 1, 10, 10})), Error);
}

TEST(UNet, ExpandWidensABaseWideLastBlockByOneByOneConv) {
  ModelConfig wide = tiny_model();
  wide.expand = 1;
  wide.n_ft = 40;
  UNet net(wide);
  ASSERT_TRUE(net->m_expand);
  auto f = net->forward(torch::rand({2, 1, 16, 16}));
  EXPECT_EQ(f.sizes(), (std::vector<int64_t>{2, 40, 16, 16}));
  EXPECT_GE(f.min().item<float>(), 0.f);  // ends in ReLU like the paper's block
  // The last DoubleConv stays base wide, so the 1x1 conv holds the only base x n_ft weight.
  int64_t wide_weights = 0;
  for (const auto& p : net->named_parameters())
    if (p.value().size(0) == 40 && p.value().dim() == 4) wide_weights += p.value().numel();
  EXPECT_EQ(wide_weights, 40 * wide.base);
  EXPECT_NE(model_signature(wide), model_signature(tiny_model()));
  EXPECT_FALSE(UNet(tiny_model())->m_expand);
}

// bf16 runs channels-last wherever it runs (CPU matrix units, cuDNN); the layout changes where the
// numbers sit, never what they are.
TEST(UNet, LayoutFollowsPrecisionNotTheResult) {
  EXPECT_EQ(model_memory_format("bf16"), torch::MemoryFormat::ChannelsLast);
  EXPECT_EQ(model_memory_format("fp32"), torch::MemoryFormat::Contiguous);
  torch::manual_seed(5);
  UNet net(tiny_model());
  net->eval();
  const torch::Tensor x = torch::rand({2, 1, 16, 16});
  const torch::Tensor nchw = net->forward(x);
  set_memory_format(*net, torch::MemoryFormat::ChannelsLast);
  for (const auto& p : net->parameters()) {
    if (p.dim() == 4) {
      EXPECT_TRUE(p.is_contiguous(torch::MemoryFormat::ChannelsLast));
    }
  }
  EXPECT_TRUE(torch::allclose(net->forward(x), nchw, 1e-5, 1e-6));

  StepBenchConfig b;  // the step benchmark's --layout override: same loss either way
  b.model = tiny_model();
  b.size = 16;
  b.batch = 2;
  b.samples = 20;
  b.steps = 1;
  b.threads = 1;
  b.precision = "fp32";
  b.layout = "nhwc";
  const StepBenchResult nhwc = bench_pretrain_step(b);
  b.layout = "auto";
  const StepBenchResult automatic = bench_pretrain_step(b);
  EXPECT_EQ(nhwc.layout, "nhwc");
  EXPECT_EQ(automatic.layout, "nchw");
  EXPECT_NEAR(nhwc.last_loss, automatic.last_loss, 1e-4);
  b.layout = "nwhc";
  EXPECT_THROW(bench_pretrain_step(b), Error);
}

// Folding BatchNorm into the convolutions changes nothing in eval mode: two identical U-Nets with
// trained-looking statistics (random means, variances, scales, shifts), one folded.
TEST(UNet, FoldingBatchNormsKeepsTheEvalOutput) {
  for (const int expand : {0, 1}) {
    ModelConfig config = tiny_model();
    config.expand = expand;
    if (expand) config.n_ft = 24;
    torch::manual_seed(4);
    UNet plain(config);
    torch::manual_seed(4);
    UNet folded(config);
    {
      torch::NoGradGuard no_grad;
      torch::manual_seed(5);
      for (auto& b : plain->named_buffers())
        if (b.key().find("running_") != std::string::npos) b.value().uniform_(0.2, 1.5);
      for (auto& p : plain->named_parameters()) p.value().add_(torch::randn_like(p.value()) * 0.3);
      auto src = plain->named_buffers();
      for (auto& b : folded->named_buffers()) b.value().copy_(src[b.key()]);
      auto params = plain->named_parameters();
      for (auto& p : folded->named_parameters()) p.value().copy_(params[p.key()]);
    }
    plain->eval();
    folded->eval();
    folded->fold_for_inference();
    for (const auto& b : folded->named_buffers()) EXPECT_EQ(b.key().find("running_"), std::string::npos) << b.key();
    torch::NoGradGuard no_grad;
    const torch::Tensor x = torch::rand({2, 1, 16, 16});
    const torch::Tensor want = plain->forward(x), got = folded->forward(x);
    EXPECT_TRUE(torch::allclose(got, want, 1e-4, 1e-5)) << (got - want).abs().max().item<float>();
    EXPECT_GT(want.abs().max().item<float>(), 0.1f);
    // As InferenceBackbone runs it in bf16 (weights, biases included, converted; no autocast): no
    // further from fp32 than the unfolded net under bf16 autocast, as training runs it. Only CPUs
    // with bf16 units run it so (precision.h refuses bf16 elsewhere).
    if (cpu_bf16_features().empty()) continue;
    torch::Tensor autocast;
    {
      PrecisionScope scope(torch::kCPU, "bf16");
      autocast = plain->forward(x).to(torch::kFloat);
    }
    folded->to(torch::kBFloat16);
    const torch::Tensor half = folded->forward(x.to(torch::kBFloat16)).to(torch::kFloat);
    const float autocast_error = (autocast - want).abs().max().item<float>();
    EXPECT_LE((half - want).abs().max().item<float>(), 2 * autocast_error + 1e-3f) << autocast_error;
  }
}

TEST(Checkpoint, SaveLoadGivesIdenticalOutputs) {
  const auto dir = std::filesystem::temp_directory_path() / "p2r_ckpt_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "checkpoint.pt").string();
  torch::manual_seed(3);
  Pix2RepNet a(tiny_model());
  torch::optim::Adam opt(a->parameters(), torch::optim::AdamOptions(1e-3));
  auto x = torch::rand({2, 1, 16, 16});
  a->forward(x).pow(2).mean().backward();  // moves BN running stats and creates Adam state
  opt.step();
  a->eval();
  CheckpointState st;
  st.global_step = 7;
  st.signature = model_signature(tiny_model());
  st.step_losses = {1.f, 0.5f};
  save_checkpoint(path, a, &opt, st);

  torch::manual_seed(99);
  Pix2RepNet b(tiny_model());
  torch::optim::Adam opt_b(b->parameters(), torch::optim::AdamOptions(1e-3));
  CheckpointState got = load_checkpoint(path, b, &opt_b, st.signature);
  b->eval();
  EXPECT_EQ(got.global_step, 7);
  EXPECT_EQ(got.step_losses, st.step_losses);
  EXPECT_TRUE(torch::equal(a->forward(x), b->forward(x)));

  ModelConfig other = tiny_model();
  other.base = 5;
  Pix2RepNet c(other);
  EXPECT_THROW(load_checkpoint(path, c, nullptr, model_signature(other)), Error);
  EXPECT_THROW(load_checkpoint((dir / "missing.pt").string(), b, nullptr, st.signature), Error);
  {
    std::ofstream bad((dir / "bad.pt").string());
    bad << "not a checkpoint";
  }
  EXPECT_THROW(load_checkpoint((dir / "bad.pt").string(), b, nullptr, st.signature), Error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace p2r
