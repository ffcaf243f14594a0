// pretrain subcommand: Pix2Rep / Pix2Rep-v2 / SimCLR / Chaitanya pretraining into a checkpoint
// folder, or resume one.
#include <cmath>
#include <cstdio>
#include <memory>

#include "app/cli/commands.h"
#include "app/cli/precision_option.h"
#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/train/pretrain_config.h"
#include "core/train/pretrain_recipe.h"
#include "core/train/pretrainer.h"

namespace p2r::cli {
namespace {

struct PretrainArgs {
  std::string data, method = "pix2rep", config_file, preset = "cpu-small", out, resume, device, precision;
  int epochs = 0, batch = 0, threads = -1, max_slices = -1, checkpoint_every = -1;
  double lr = 0;
  int64_t seed = -1;
  std::vector<std::string> recipe;  ///< --set KEY=VALUE
};

void print_summary(const PretrainResult& r) {
  std::printf("pretraining in %s: %lld/%lld steps, %d train / %d val slices\n", r.out_dir.c_str(),
              (long long)r.steps_done, (long long)r.total_steps, r.train_slices, r.val_slices);
  for (const auto& e : r.epochs)
    std::printf("  epoch %3d  step %6lld  train %.4f  val %.4f  %.1f s\n", e.epoch, (long long)e.step, e.train_loss,
                e.val_loss, e.seconds);
  std::printf("checkpoint: %s\n", checkpoint_path(r.out_dir).c_str());
}

void run(const PretrainArgs& a) {
  TerminalProgress progress;
  if (!a.resume.empty()) {
    P2R_CHECK(a.out.empty() && a.config_file.empty() && a.recipe.empty(),
              "--resume DIR continues the run with its own config.json; do not combine it with --out/--config/--set");
    print_summary(resume_pretraining(a.resume, progress, a.epochs, a.data));
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
  if (!a.device.empty()) c.device = a.device;
  if (!a.precision.empty()) c.precision = a.precision;
  c.validate();
  print_summary(run_pretraining(c, progress));
}

}  // namespace

void add_pretrain_command(CLI::App& app) {
  auto a = std::make_shared<PretrainArgs>();
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
  cmd->add_option("--threads", a->threads, "intra-op threads (0: all cores)");
  cmd->add_option("--device", a->device, "auto | cpu | cuda");
  add_precision_option(cmd, a->precision);
  cmd->add_option("--max-slices", a->max_slices, "use at most this many training slices (0: all)");
  cmd->add_option("--checkpoint-every", a->checkpoint_every, "also checkpoint every N steps");
  cmd->add_option("--set", a->recipe, "recipe override KEY=VALUE over the preset (repeatable):\n" + recipe_keys_help())
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  // Unset numbers keep the preset's (or, with --resume, the run's) value; --help says so.
  for (const char* name : {"--epochs", "--batch", "--lr", "--seed", "--threads", "--max-slices", "--checkpoint-every"})
    cmd->get_option(name)->default_str("preset");
  cmd->callback([a] { run(*a); });
}

}  // namespace p2r::cli
