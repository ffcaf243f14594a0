#pragma once
// Pretraining runs (Pix2Rep / Pix2Rep-v2): torch-free facade used by the CLI and the studio's jobs.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/common/progress.h"
#include "core/data/slice_set.h"
#include "core/model/run_folder.h"
#include "core/train/distributed_env.h"
#include "core/train/pretrain_config.h"

namespace p2r {

/// One finished epoch of a run.
struct EpochRecord {
  int epoch = 0;          ///< 1-based
  int64_t step = 0;       ///< global steps done at its end
  double train_loss = 0;  ///< mean training loss of the epoch
  double val_loss = 0;    ///< validation loss (NaN without validation slices)
  double seconds = 0;     ///< wall time of the epoch
};

/// What a run did; the whole history, also the part before a resume.
struct PretrainResult {
  std::string out_dir;
  int64_t steps_done = 0, total_steps = 0;
  int train_slices = 0, val_slices = 0;
  std::vector<float> step_losses;
  std::vector<EpochRecord> epochs;
  // This (re)start in this process:
  int world_size = 1;              ///< ranks of the data-parallel job (1: one process)
  int64_t steps_run = 0;           ///< steps trained
  double step_seconds = 0;         ///< wall time per step (validation and checkpoints included)
  double communication_seconds = 0;  ///< time per step in collectives (waiting for other ranks included)
  int64_t gradient_bytes = 0;      ///< bytes of gradients all-reduced per step
};

/// Starts a run in config.out_dir (created; must not hold a checkpoint already) on the slices of
/// config.data_path (recorded as an absolute path, with the slices' content hash). Uses images only, never labels. Checkpoints at every epoch end, every
/// config.checkpoint_every steps and on cancellation. Throws p2r::Error (bad config, data, device,
/// non-finite loss: the last checkpoint stays intact) or p2r::Cancelled after saving a checkpoint.
/// With dist.env given, or dist.use_environment and WORLD_SIZE set, this process is one rank of a
/// data-parallel job (docs/distributed.md): each rank runs its part of every global batch, rank 0
/// alone writes the run folder; a rank that stops answering makes the others throw p2r::Error naming it.
PretrainResult run_pretraining(const PretrainConfig& config, ProgressSink& progress,
                               const DistributedOptions& dist = {});
/// Same on slices already in memory (config.data_path is only recorded; in a job, every rank must
/// give the same path and slices).
PretrainResult run_pretraining(const PretrainConfig& config, const SliceSet& data, ProgressSink& progress,
                               const DistributedOptions& dist = {});

/// What a resume may change of a run's config.json: the recipe stays; these are the plan and the machine.
struct ResumeSettings {
  int epochs = 0;         ///< > 0: the new planned epoch count
  std::string data_path;  ///< not empty: where the run's prepared file is now (same slices: content hash)
  int threads = -1;       ///< >= 0: intra-op threads of this machine (0: all cores); -1 keeps the run's
  /// The run's own settings, or epochs (and data_path, threads) changed.
  ResumeSettings(int epochs = 0, std::string data_path = "", int threads = -1)
      : epochs(epochs), data_path(std::move(data_path)), threads(threads) {}
};

/// Continues the run in out_dir exactly where its checkpoint stopped, with settings' changes (a
/// thread count other than the run's may change the last bits of reductions, not the recipe).
/// config.json records such changes with the first new checkpoint and stays untouched when the
/// resume fails before one. Same errors as run_pretraining, plus incompatible or corrupt
/// checkpoints and other data. Any world size resumes any run.
PretrainResult resume_pretraining(const std::string& out_dir, ProgressSink& progress, const ResumeSettings& settings = {},
                                  const DistributedOptions& dist = {});
/// Same on slices already in memory (they must be the slices the run started with; settings.data_path,
/// if given, is only recorded).
PretrainResult resume_pretraining(const std::string& out_dir, const SliceSet& data, ProgressSink& progress,
                                  const ResumeSettings& settings = {});

}  // namespace p2r
