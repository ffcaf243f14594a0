// U-Net pieces and checkpoint round trip.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/model/checkpoint.h"
#include "core/model/unet.h"

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
