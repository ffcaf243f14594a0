// SyncedBatchNorm2d: the same module as nn::BatchNorm2d (initialisation, output, gradients, running
// statistics, checkpoint keys) in one process, and its cross-process formula (exercised with a
// reducer of one process) equal to torch's batch norm.
#include <functional>
#include <optional>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/model/synced_batch_norm.h"

namespace p2r {
namespace {

// The reducer of a job of one process: sums over one process are the tensors themselves.
struct OneProcess : BatchReducer {
  torch::Tensor sum(const torch::Tensor& local) override { return local; }
  torch::Tensor gather_rows(const torch::Tensor& local) override { return local; }
};

// Output, input gradient, affine gradients and running statistics of bn after one training step on x.
std::vector<torch::Tensor> training_step(torch::nn::Module& bn, const std::function<torch::Tensor(torch::Tensor)>& forward,
                                         const torch::Tensor& x0) {
  torch::Tensor x = x0.clone().requires_grad_(true);
  torch::Tensor y = forward(x);
  (y * torch::linspace(-1, 2, y.numel()).view(y.sizes())).sum().backward();
  std::vector<torch::Tensor> out{y.detach(), x.grad()};
  for (const torch::Tensor& p : bn.parameters()) out.push_back(p.grad());
  for (const torch::Tensor& b : bn.buffers()) out.push_back(b.to(torch::kDouble));
  return out;
}

TEST(SyncedBatchNorm, MatchesTorchBatchNormAloneAndThroughTheCrossProcessFormula) {
  torch::manual_seed(0);
  const torch::Tensor x = torch::randn({3, 5, 4, 6}) * 2 + 1;
  torch::nn::BatchNorm2d reference(5);
  const auto expected = training_step(*reference, [&](torch::Tensor t) { return reference->forward(t); }, x);
  for (bool synced : {false, true}) {
    SyncedBatchNorm2d bn(5);
    OneProcess one;
    std::optional<SyncedBatchNormScope> scope;
    if (synced) scope.emplace(one);
    const auto got = training_step(*bn, [&](torch::Tensor t) { return bn->forward(t); }, x);
    ASSERT_EQ(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i)
      EXPECT_TRUE(torch::allclose(got[i], expected[i], 1e-5, 1e-5)) << "synced " << synced << ", tensor " << i;
  }
  // The same checkpoint keys, so runs from before SyncedBatchNorm2d load unchanged.
  SyncedBatchNorm2d bn(5);
  std::vector<std::string> ours, torchs;
  for (const auto& item : bn->named_parameters()) ours.push_back(item.key());
  for (const auto& item : bn->named_buffers()) ours.push_back(item.key());
  for (const auto& item : reference->named_parameters()) torchs.push_back(item.key());
  for (const auto& item : reference->named_buffers()) torchs.push_back(item.key());
  EXPECT_EQ(ours, torchs);
}

}  // namespace
}  // namespace p2r
