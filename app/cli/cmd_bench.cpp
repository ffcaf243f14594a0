// bench subcommand: timing of one pretraining step, comparable with shared/bench/reference_step.py.
#include <cstdio>
#include <memory>

#include "app/cli/commands.h"
#include "app/cli/precision_option.h"
#include "core/train/pretrain_bench.h"
#include "core/train/pretrain_config.h"

namespace p2r::cli {

void add_bench_command(CLI::App& app) {
  CLI::App* bench = app.add_subcommand("bench", "timings");
  bench->require_subcommand(1);
  add_query_bench_command(*bench);
#ifdef PIX2REP_HAS_FAISS
  add_tsne_bench_command(*bench);
#endif
#ifdef PIX2REP_HAS_ITK
  add_scribble_bench_command(*bench);
#endif
  auto c = std::make_shared<StepBenchConfig>();
  CLI::App* step = bench->add_subcommand("pretrain-step", "median ms of one pretraining step (both views forward, "
                                                          "loss, backward, Adam) on random images");
  step->add_option("--base", c->model.base, "channels of the first U-Net level");
  step->add_option("--levels", c->model.levels, "U-Net resolutions");
  step->add_option("--nft", c->model.n_ft, "backbone output features");
  step->add_option("--expand", c->model.expand, "1: base-wide last block, then a 1x1 conv-BN-ReLU to nft")
      ->check(CLI::Range(0, 1));
  step->add_option("--proj", c->model.proj_dim, "projection head width");
  step->add_option("--size", c->size, "image side");
  step->add_option("--batch", c->batch, "batch size");
  step->add_option("--samples", c->samples, "InfoNCE pixels per batch");
  step->add_option("--steps", c->steps, "timed steps (after 2 warm-up steps)");
  step->add_option("--threads", c->threads, "intra-op threads (0: all cores)");
  step->add_option("--method", c->method, "pix2rep | pix2rep-v2 | simclr | chaitanya (its global stage)")
      ->check(CLI::IsMember(pretrain_method_names()));
  step->add_option("--device", c->device, "auto | cpu | cuda");
  add_precision_option(step, c->precision);
  step->add_option("--layout", c->layout,
                   "auto | nchw | nhwc: the backbones' memory layout (auto: NHWC for bf16, NCHW for fp32)")
      ->check(CLI::IsMember({"auto", "nchw", "nhwc"}));
  step->add_flag("--profile", c->profile, "then print the 15 ops of largest self time per step (CPU)");
  step->callback([c] {
    StepBenchResult r = bench_pretrain_step(*c);
    std::printf("cpp-libtorch %s device=%s %s %s threads=%d base=%d levels=%d nft=%d expand=%d size=%d batch=%d",
                c->method.c_str(), r.device.c_str(), r.precision.c_str(), r.layout.c_str(), r.threads, c->model.base,
                c->model.levels, c->model.n_ft, c->model.expand, c->size, c->batch);
    std::printf(": %.1f ms/step (loss %.3f)\n", r.median_ms, r.last_loss);
    if (r.ops.empty()) return;
    double total = 0;
    for (const OpCost& op : r.ops) total += op.self_ms;
    std::printf("%-44s %10s %7s %6s\n", "op (self time per step)", "ms", "share", "calls");
    for (size_t i = 0; i < r.ops.size() && i < 15; ++i)
      std::printf("%-44.44s %10.1f %6.1f%% %6lld\n", r.ops[i].name.c_str(), r.ops[i].self_ms,
                  100.0 * r.ops[i].self_ms / total, static_cast<long long>(r.ops[i].calls));
    std::printf("%-44s %10.1f (profiled; the median above is unprofiled)\n", "all ops", total);
  });
}

}  // namespace p2r::cli
