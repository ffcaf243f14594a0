// pretrain subcommand: Pix2Rep / Pix2Rep-v2 / SimCLR / Chaitanya pretraining into a checkpoint
// folder, or resume one; one rank of a data-parallel job (WORLD_SIZE...) or the local launcher of one
// (--nproc-per-node).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>

#include "app/cli/commands.h"
#include "app/cli/precision_option.h"
#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/train/pretrain_config.h"
#include "core/train/pretrain_recipe.h"
#include "core/train/local_workers.h"
#include "core/train/pretrainer.h"

namespace p2r::cli {
namespace {

struct PretrainArgs {
  std::string data, method = "pix2rep", config_file, preset = "cpu-small", out, resume, device, precision;
  int epochs = 0, batch = 0, threads = -1, max_slices = -1, checkpoint_every = -1, snapshot_every = -1;
  double lr = 0;
  int64_t seed = -1;
  std::vector<std::string> recipe;  ///< --set KEY=VALUE
  int nproc_per_node = 0;           ///< > 0: start this many local ranks of this command
  bool sync_batch_norm = false, local_negatives = false;
  DistributedOptions dist;  ///< use_environment: a rank of the job the environment describes
};

// This process's arguments (argv[1..]) without --nproc-per-node and its value: what each worker runs.
std::vector<std::string> worker_arguments() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string all{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::vector<std::string> args;
  for (size_t begin = 0; begin < all.size();) {
    const size_t end = all.find('\0', begin);
    args.push_back(all.substr(begin, end - begin));
    begin = end == std::string::npos ? all.size() : end + 1;
  }
  std::vector<std::string> out;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--nproc-per-node") {
      ++i;
      continue;
    }
    if (args[i].rfind("--nproc-per-node=", 0) != 0) out.push_back(args[i]);
  }
  return out;
}

// --nproc-per-node N: N ranks of this command on this machine; fails naming the workers that failed.
void launch_local_workers(const PretrainArgs& a) {
  P2R_CHECK(std::getenv("WORLD_SIZE") == nullptr,
            "--nproc-per-node starts its own job; it cannot run inside one (WORLD_SIZE is set)");
  const char* port = std::getenv("MASTER_PORT");
  const std::vector<WorkerExit> exits =
      run_local_workers("/proc/self/exe", worker_arguments(), a.nproc_per_node, port ? std::atoi(port) : 0);
  const std::string failures = describe_worker_failures(exits);
  if (std::all_of(exits.begin(), exits.end(), [](const WorkerExit& w) { return w.exit_code == 130; }))
    throw Cancelled();  // every rank stopped on Ctrl-C after the same step (rank 0 saved it)
  P2R_CHECK(failures.empty(), "data-parallel pretraining failed (" << a.nproc_per_node << " workers):\n" << failures);
}

void print_summary(const PretrainResult& r) {
  std::printf("pretraining in %s: %lld/%lld steps, %d train / %d val slices\n", r.out_dir.c_str(),
              (long long)r.steps_done, (long long)r.total_steps, r.train_slices, r.val_slices);
  for (const auto& e : r.epochs)
    std::printf("  epoch %3d  step %6lld  train %.4f  val %.4f  %.1f s\n", e.epoch, (long long)e.step, e.train_loss,
                e.val_loss, e.seconds);
  std::printf("checkpoint: %s\n", checkpoint_path(r.out_dir).c_str());
  if (r.steps_run > 0) std::printf("%.1f ms per step (validation and checkpoints included)\n", 1e3 * r.step_seconds);
  if (r.world_size > 1 && r.steps_run > 0)
    std::printf("data parallel: %d ranks, %.1f ms per step in collectives (%.1f %%), %.2f MB of gradients "
                "all-reduced per step\n",
                r.world_size, 1e3 * r.communication_seconds, 100 * r.communication_seconds / r.step_seconds,
                double(r.gradient_bytes) / 1e6);
}

void run(const PretrainArgs& a) {
  validate_distributed_options(a.dist);
  if (a.nproc_per_node > 0) return launch_local_workers(a);
  // In a job, rank 0 reports; the other ranks print only errors.
  const std::optional<DistributedEnv> env = distributed_env_from_environment();
  const bool reports = !env || env->rank == 0;
  TerminalProgress progress(reports);
  if (!a.resume.empty()) {
    P2R_CHECK(a.out.empty() && a.config_file.empty() && a.recipe.empty() && !a.sync_batch_norm && !a.local_negatives &&
                  a.batch == 0 && a.lr == 0 && a.seed < 0 && a.max_slices < 0 && a.checkpoint_every < 0 &&
                  a.snapshot_every < 0 && a.device.empty() && a.precision.empty(),
              "--resume DIR continues the run with its own config.json (only --epochs, --data and --threads "
              "change it); do not combine it with --out/--config/--set/--batch/--lr/--seed/--max-slices/"
              "--checkpoint-every/--snapshot-every/--device/--precision/--sync-batch-norm/--local-negatives");
    const PretrainResult r = resume_pretraining(a.resume, progress, {a.epochs, a.data, a.threads}, a.dist);
    if (reports) print_summary(r);
    return;
  }
  P2R_CHECK(!a.data.empty(), "--data PREPARED is required (or --resume DIR)");
  P2R_CHECK(!a.out.empty(), "--out DIR is required");
  PretrainConfig c = pretrain_preset(a.preset, parse_method(a.method));
  if (!a.config_file.empty()) c = load_pretrain_config(a.config_file, c);
  std::vector<RecipeOverride> recipe;
  for (const std::string& text : a.recipe) recipe.push_back(parse_recipe_override(text));
  apply_recipe_overrides(c, recipe);
  c.method = parse_method(a.method);
  c.data_path = a.data;
  c.out_dir = a.out;
  if (a.epochs) c.epochs = a.epochs;
  if (a.batch) c.batch = a.batch;
  if (a.lr != 0) c.lr = a.lr;
  if (a.seed >= 0) c.seed = uint64_t(a.seed);
  if (a.threads >= 0) c.threads = a.threads;
  if (a.max_slices >= 0) c.max_slices = a.max_slices;
  if (a.checkpoint_every >= 0) c.checkpoint_every = a.checkpoint_every;
  if (a.snapshot_every >= 0) c.snapshot_every = a.snapshot_every;
  if (!a.device.empty()) c.device = a.device;
  if (!a.precision.empty()) c.precision = a.precision;
  if (a.sync_batch_norm) c.sync_batch_norm = true;
  if (a.local_negatives) c.global_negatives = false;
  c.validate();
  const PretrainResult r = run_pretraining(c, progress, a.dist);
  if (reports) print_summary(r);
}

}  // namespace

void add_pretrain_command(CLI::App& app) {
  auto a = std::make_shared<PretrainArgs>();
  a->dist.use_environment = true;
  CLI::App* cmd = app.add_subcommand("pretrain", "self-supervised pretraining (Pix2Rep InfoNCE, Pix2Rep-v2 Barlow "
                                                 "Twins, SimCLR on the encoder, Chaitanya et al. global + local) of "
                                                 "a U-Net on a prepared file; uses no labels");
  cmd->add_option("--data", a->data, "prepared file (pix2rep prepare); with --resume: where the run's prepared "
                                     "file is now, when it moved");
  std::string methods;
  for (const std::string& name : pretrain_method_names()) methods += (methods.empty() ? "" : " | ") + name;
  cmd->add_option("--method", a->method, methods + " (docs/pretraining.md)");
  cmd->add_option("--config", a->config_file, "JSON file overriding preset fields");
  cmd->add_option("--preset", a->preset, "cpu | cpu-small | paper (docs/pretraining.md)")
      ->check(CLI::IsMember(pretrain_preset_names()));
  cmd->add_option("--epochs", a->epochs, "number of epochs (with --resume: new planned total)");
  cmd->add_option("--out", a->out, "output folder (config.json, checkpoint.pt, log.csv)");
  cmd->add_option("--resume", a->resume, "continue the run in this folder");
  cmd->add_option("--batch", a->batch, "batch size");
  cmd->add_option("--lr", a->lr, "Adam learning rate");
  cmd->add_option("--seed", a->seed, "random seed");
  cmd->add_option("--threads", a->threads, "intra-op threads (0: all cores; with --resume: this machine's instead of the run's)");
  cmd->add_option("--device", a->device, "auto | cpu | cuda");
  add_precision_option(cmd, a->precision);
  cmd->add_option("--max-slices", a->max_slices, "use at most this many training slices (0: all)");
  cmd->add_option("--checkpoint-every", a->checkpoint_every, "also checkpoint every N steps");
  cmd->add_option("--snapshot-every", a->snapshot_every,
                  "keep the backbone every N epochs as OUT/snapshots/epoch-NNNN, a run folder of its own (0: none; "
                  "preset: cpu-small 5, cpu 10, paper 0)");
  cmd->add_option("--set", a->recipe, "recipe override KEY=VALUE over the preset (repeatable):\n" + recipe_keys_help())
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--nproc-per-node", a->nproc_per_node,
                  "start this many data-parallel ranks on this machine (docs/distributed.md); under torchrun or "
                  "srun, set RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT instead");
  cmd->add_option("--backend", a->dist.backend, "data-parallel backend: auto (NCCL on CUDA, Gloo on the CPU) | gloo | nccl");
  cmd->add_option("--dist-timeout", a->dist.timeout_s,
                  "seconds a rank waits for the others (rendezvous, collectives) before failing, naming them");
  cmd->add_flag("--sync-batch-norm", a->sync_batch_norm,
                "data parallel: BatchNorm statistics over the global batch (default: each rank's part, as DDP)");
  cmd->add_flag("--local-negatives", a->local_negatives,
                "data-parallel pix2rep: contrast each rank's sampled pixels among themselves (default: all-gather, "
                "negatives from the global batch)");
  // Unset numbers keep the preset's (or, with --resume, the run's) value; --help says so.
  for (const char* name : {"--epochs", "--batch", "--lr", "--seed", "--threads", "--max-slices", "--checkpoint-every",
                           "--snapshot-every"})
    cmd->get_option(name)->default_str("preset");
  cmd->callback([a] { run(*a); });
}

}  // namespace p2r::cli
