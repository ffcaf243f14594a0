#include "core/jobs/training_jobs.h"

#include <cmath>
#include <ctime>
#include <filesystem>
#include <sstream>

#include "core/common/error.h"
#include "core/train/pretrainer.h"
#include "core/train/segment_trainer.h"

namespace fs = std::filesystem;

namespace p2r {
namespace {

std::string pretrain_summary(const PretrainResult& r) {
  std::ostringstream out;
  out.precision(4);
  out << r.steps_done << "/" << r.total_steps << " steps";
  if (!r.epochs.empty()) {
    out << ", epoch " << r.epochs.back().epoch << " loss " << r.epochs.back().train_loss;
    if (!std::isnan(r.epochs.back().val_loss)) out << " val " << r.epochs.back().val_loss;
  }
  if (r.world_size > 1) out << ", " << r.world_size << " ranks";
  out << " -> " << r.out_dir;
  return out.str();
}

}  // namespace

std::unique_ptr<Job> make_pretrain_job(PretrainConfig config, std::shared_ptr<const SliceSet> data,
                                       std::optional<LocalRanks> ranks) {
  P2R_CHECK(data, "no data is open");
  P2R_CHECK(!config.out_dir.empty(), "no output folder given");
  config.validate();
  std::ostringstream title;
  title << "pretrain " << method_name(config.method) << " " << config.epochs << " ep";
  if (ranks) title << ", " << ranks->workers << " workers";
  const std::string out_dir = config.out_dir;
  auto job = std::make_unique<Job>("pretrain", title.str(), out_dir, [config, data, ranks](JobProgress& progress) {
    progress.log("pretraining into " + config.out_dir);
    if (!ranks) return pretrain_summary(run_pretraining(config, *data, progress));
    progress.log("ranks 1.." + std::to_string(ranks->workers - 1) + " run " + ranks->program + " (output in " +
                 run_workers_path(config.out_dir) + ")");
    return pretrain_summary(run_pretraining_on_local_ranks(config, *data, *ranks, progress));
  });
  job->progress().set_repeated_keys({"val"});  // the pretrainer repeats the last validation loss
  return job;
}

std::unique_ptr<Job> make_resume_job(const std::string& out_dir, std::shared_ptr<const SliceSet> data,
                                     int epochs, int threads) {
  P2R_CHECK(data, "no data is open");
  P2R_CHECK(!out_dir.empty(), "no run folder given to resume");
  auto job = std::make_unique<Job>("pretrain", "resume " + fs::path(out_dir).filename().string(), out_dir,
                               [out_dir, data, epochs, threads](JobProgress& progress) {
                                 P2R_CHECK(fs::exists(checkpoint_path(out_dir)),
                                           "cannot resume " << out_dir << ": it holds no checkpoint.pt");
                                 progress.log("resuming " + out_dir);
                                 return pretrain_summary(resume_pretraining(out_dir, *data, progress, {epochs, "", threads > 0 ? threads : -1}));
                               });
  job->progress().set_repeated_keys({"val"});
  return job;
}

std::unique_ptr<Job> make_segment_job(SegmentConfig config, std::shared_ptr<const SliceSet> data) {
  P2R_CHECK(data, "no data is open");
  P2R_CHECK(!config.out_dir.empty(), "no output folder given");
  config.validate();
  const std::string kind = segment_mode_name(config.mode);
  std::ostringstream title;
  title << kind << " " << config.subjects.size() << " subj " << config.epochs << " ep";
  const std::string out_dir = config.out_dir;
  return std::make_unique<Job>(kind, title.str(), out_dir, [config, data](JobProgress& progress) {
    progress.log(std::string(segment_mode_name(config.mode)) + " into " + config.out_dir);
    const SegmentResult r = run_segment_training(config, *data, progress);
    std::ostringstream out;
    out.precision(3);
    out << "best val Dice " << r.best_val_dice << " at epoch " << r.best_epoch << "/" << r.epochs_run << " ("
        << r.train_slices << " train / " << r.val_slices << " val slices) -> " << r.out_dir;
    return out.str();
  });
}

std::string new_run_folder(const std::string& parent, const std::string& kind) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  const fs::path base = fs::path(parent) / (kind + "-" + stamp);
  fs::path candidate = base;
  for (int n = 2; fs::exists(candidate); ++n) candidate = base.string() + "-" + std::to_string(n);
  return candidate.string();
}

}  // namespace p2r
