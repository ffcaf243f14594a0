#include "core/train/pretrain_bench.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include <torch/torch.h>

#include "core/common/compute_device.h"
#include "core/common/error.h"
#include "core/common/precision.h"
#include "core/model/model_layout.h"
#include "core/train/pretrain_objective.h"
#include "core/train/pretrain_step.h"

namespace p2r {

StepBenchResult bench_pretrain_step(const StepBenchConfig& b) {
  PretrainConfig c;
  c.method = parse_method(b.method);
  c.model = b.model;
  c.batch = b.batch;
  c.samples = b.samples;
  c.device = b.device;
  c.precision = b.precision;
  c.threads = b.threads;
  c.validate();
  P2R_CHECK(b.steps >= 1, "--steps must be >= 1");
  P2R_CHECK(b.size > 0 && b.size % (1 << (b.model.levels - 1)) == 0,
            "--size " << b.size << " must be divisible by 2^(levels-1) = " << (1 << (b.model.levels - 1)));
  const torch::Device device = resolve_device(c.device);
  P2R_CHECK(!b.profile || device.is_cpu(), "--profile times CPU ops; on CUDA use Nsight Systems");
  P2R_CHECK(b.layout == "auto" || b.layout == "nchw" || b.layout == "nhwc",
            "unknown layout '" << b.layout << "' (expected auto, nchw or nhwc)");
  c.precision = resolve_precision(c.precision, device.is_cuda());
  StepBenchResult r;
  r.precision = c.precision;
  r.threads = configure_threads(c.threads);
  r.device = device.str();
  torch::manual_seed(0);
  PretrainNets nets(c);
  move_to_device(nets, device, c.precision);
  torch::MemoryFormat format = model_memory_format(c.precision);
  if (b.layout != "auto") {
    format = b.layout == "nhwc" ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
    set_memory_format(*nets.net, format);
    if (nets.heads) set_memory_format(*nets.heads, format);
  }
  r.layout = format == torch::MemoryFormat::ChannelsLast ? "nhwc" : "nchw";
  torch::optim::Adam optimizer(nets.parameters(), torch::optim::AdamOptions(c.lr));
  auto x = torch::rand({b.batch, 1, b.size, b.size}).to(device);
  const PretrainObjective objective = objective_at(c, 0, 1);  // Chaitanya: its global stage
  const torch::Tensor partitions = torch::arange(int64_t(b.batch), torch::kLong).remainder(c.partitions);
  auto run_step = [&](int step) {
    auto gen = step_generator(0, uint64_t(step));
    optimizer.zero_grad();
    auto loss = objective_loss(nets, objective, x, partitions, c, gen);
    loss.backward();
    optimizer.step();
    r.last_loss = loss.item<double>();  // synchronises with the device
  };
  std::vector<double> times;
  for (int step = 0; step < b.steps + 2; ++step) {
    auto t0 = std::chrono::steady_clock::now();
    run_step(step);
    if (step >= 2) times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(times.begin(), times.end());
  const size_t n = times.size();
  r.median_ms = n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
  if (b.profile) {
    r.ops = profile_ops([&] {
      for (int step = 0; step < b.steps; ++step) run_step(b.steps + 2 + step);
    });
    for (OpCost& op : r.ops) {
      op.self_ms /= b.steps;
      op.calls /= b.steps;
    }
  }
  return r;
}

}  // namespace p2r
