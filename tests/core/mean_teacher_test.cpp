// Mean Teacher's pieces: the EMA update is the formula, the ramp-up and decay schedules, the
// consistency loss (zero for equal probabilities, masked pixels ignored, a hand-computed value),
// and one consistency term pulls the student towards the teacher.
#include <gtest/gtest.h>

#include <cmath>

#include <torch/torch.h>

#include "core/io/volume.h"
#include "core/train/mean_teacher.h"
#include "core/train/pretrain_step.h"

namespace p2r {
namespace {

ModelConfig tiny() {
  ModelConfig m;
  m.base = 4;
  m.levels = 2;
  m.n_ft = 6;
  return m;
}

TEST(MeanTeacher, EmaUpdateEqualsTheFormula) {
  torch::manual_seed(3);
  SegmentationNet teacher(tiny(), kNumClasses), student(tiny(), kNumClasses);
  std::vector<torch::Tensor> before;
  for (auto& p : teacher->parameters()) before.push_back(p.detach().clone());
  auto buffers_before = teacher->buffers()[0].clone();
  for (auto& b : student->buffers()) b.fill_(7);  // buffers are not averaged
  const int64_t step = 500;
  const double decay = 0.99, a = ema_decay_at(step, decay);
  EXPECT_DOUBLE_EQ(a, 0.99);
  ema_update(*teacher, *student, decay, step);
  auto t = teacher->parameters(), s = student->parameters();
  ASSERT_EQ(t.size(), before.size());
  for (size_t i = 0; i < t.size(); ++i)
    EXPECT_TRUE(torch::allclose(t[i], a * before[i] + (1 - a) * s[i], 1e-6, 1e-7)) << "parameter " << i;
  EXPECT_TRUE(torch::equal(teacher->buffers()[0], buffers_before));
  // Early steps follow the student: a = 1 - 1/(step + 1).
  EXPECT_DOUBLE_EQ(ema_decay_at(0, decay), 0.0);
  EXPECT_DOUBLE_EQ(ema_decay_at(9, decay), 0.9);
  ema_update(*teacher, *student, decay, 0);
  for (size_t i = 0; i < t.size(); ++i) EXPECT_TRUE(torch::equal(teacher->parameters()[i], s[i]));
  copy_weights(*teacher, *student);
  EXPECT_TRUE(torch::equal(teacher->buffers()[0], student->buffers()[0]));
}

TEST(MeanTeacher, SigmoidRampUp) {
  EXPECT_NEAR(sigmoid_rampup(0, 30), std::exp(-5.0), 1e-12);
  EXPECT_NEAR(sigmoid_rampup(15, 30), std::exp(-5.0 * 0.25), 1e-12);
  EXPECT_DOUBLE_EQ(sigmoid_rampup(30, 30), 1.0);
  EXPECT_DOUBLE_EQ(sigmoid_rampup(90, 30), 1.0);
  EXPECT_DOUBLE_EQ(sigmoid_rampup(0, 0), 1.0);
}

TEST(MeanTeacher, ConsistencyLossByHand) {
  // One image, 2 classes, 2 pixels: logits (0, 0) -> (0.5, 0.5) and (ln 3, 0) -> (0.75, 0.25).
  auto logits = torch::tensor({0.0f, std::log(3.0f), 0.0f, 0.0f}).view({1, 2, 1, 2});
  auto target = torch::tensor({1.0f, 0.75f, 0.0f, 0.25f}).view({1, 2, 1, 2});
  auto both = torch::ones({1, 1, 2}, torch::kBool), first = torch::tensor({true, false}).view({1, 1, 2});
  // pixel 1: (0.5-1)^2 + (0.5-0)^2 = 0.5; pixel 2: 0.
  EXPECT_NEAR(consistency_loss(logits, target, both).item<double>(), 0.25, 1e-6);
  EXPECT_NEAR(consistency_loss(logits, target, first).item<double>(), 0.5, 1e-6);
  EXPECT_EQ(consistency_loss(logits, target, torch::zeros({1, 1, 2}, torch::kBool)).item<double>(), 0.0);
  EXPECT_NEAR(consistency_loss(logits, torch::softmax(logits, 1), both).item<double>(), 0.0, 1e-7);
}

TEST(MeanTeacher, ConsistencyStepPullsTheStudentTowardsTheTeacher) {
  torch::manual_seed(4);
  SegmentationNet student(tiny(), kNumClasses), teacher(tiny(), kNumClasses);
  auto x = torch::rand({4, 1, 16, 16});
  AugmentConfig augment;
  augment.p_reversal = 0;
  augment.rotation_deg = 20;
  torch::optim::SGD sgd(student->parameters(), 0.5);
  auto loss_at = [&](uint64_t stream) {
    at::Generator gen = step_generator(11, stream);
    return mean_teacher_consistency(student, teacher, x, augment, gen, "fp32");
  };
  const double first = loss_at(0).item<double>();
  EXPECT_GT(first, 0.0);
  for (int i = 0; i < 30; ++i) {
    auto loss = loss_at(uint64_t(i));
    sgd.zero_grad();
    loss.backward();
    sgd.step();
  }
  for (auto& p : teacher->parameters()) EXPECT_FALSE(p.grad().defined()) << "the teacher gets no gradient";
  EXPECT_LT(loss_at(0).item<double>(), 0.5 * first);
}

}  // namespace
}  // namespace p2r
