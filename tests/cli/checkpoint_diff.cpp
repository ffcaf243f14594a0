// checkpoint_diff RUN_A RUN_B TOLERANCE [SKIP]: the largest absolute difference between the weights
// and BatchNorm statistics of two pretraining runs' checkpoints (same model; SKIP: a tensor name
// left out), and between their step losses; exit 0 when both are within TOLERANCE, 1 otherwise, 2
// on bad input. For the data-parallel tests (tests/cli/distributed.sh).
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <torch/torch.h>

#include "core/model/checkpoint.h"
#include "core/model/run_folder.h"
#include "core/model/unet.h"

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr, "usage: checkpoint_diff RUN_A RUN_B TOLERANCE [SKIP]\n");
    return 2;
  }
  try {
    const p2r::ModelConfig model = p2r::pretrained_model_config(argv[1]);
    p2r::Pix2RepNet a(model), b(model);
    const p2r::CheckpointState sa = p2r::load_checkpoint(p2r::checkpoint_path(argv[1]), a, nullptr, p2r::model_signature(model));
    const p2r::CheckpointState sb = p2r::load_checkpoint(p2r::checkpoint_path(argv[2]), b, nullptr, p2r::model_signature(model));
    double weights = 0, moved = 0;
    std::string worst;
    const std::string skip = argc == 5 ? argv[4] : "";
    auto compare = [&](const std::string& name, const torch::Tensor& x, const torch::Tensor& y) {
      if (name == skip) return;
      const double d = (x.to(torch::kDouble) - y.to(torch::kDouble)).abs().max().item<double>();
      if (d > weights) worst = name;
      weights = std::max(weights, d);
      moved = std::max(moved, x.to(torch::kDouble).abs().max().item<double>());
    };
    const auto pa = a->named_parameters(), pb = b->named_parameters();
    for (const auto& item : pa) compare(item.key(), item.value(), pb[item.key()]);
    const auto ba = a->named_buffers(), bb = b->named_buffers();
    for (const auto& item : ba) compare(item.key(), item.value(), bb[item.key()]);
    double losses = sa.step_losses.size() == sb.step_losses.size() ? 0 : INFINITY;
    for (size_t i = 0; i < sa.step_losses.size() && i < sb.step_losses.size(); ++i)
      losses = std::max(losses, double(std::abs(sa.step_losses[i] - sb.step_losses[i])));
    std::printf("steps %lld / %lld, max |weight diff| %.3g (%s; largest |weight| %.3g), max |loss diff| %.3g\n",
                (long long)sa.global_step, (long long)sb.global_step, weights, worst.c_str(), moved, losses);
    const double tol = std::atof(argv[3]);
    return sa.global_step == sb.global_step && weights <= tol && losses <= tol ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "checkpoint_diff: %s\n", e.what());
    return 2;
  }
}
