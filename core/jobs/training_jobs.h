#pragma once
// Jobs for the trainers: pretraining (new or resumed) and segmentation training (probe, fine-tune,
// supervised) on slices already in memory. Torch-free: the studio includes this.
#include <memory>
#include <optional>
#include <string>

#include "core/data/slice_set.h"
#include "core/jobs/job.h"
#include "core/train/local_ranks_pretraining.h"
#include "core/train/pretrain_config.h"
#include "core/train/segment_config.h"

namespace p2r {

/// A new pretraining run of config on data (config.out_dir required; must not hold a run yet).
/// Kind "pretrain"; its notes carry "loss" per step and "val" per epoch. The job keeps data alive.
/// With ranks, a data-parallel run of ranks->workers local processes (run_pretraining_on_local_ranks):
/// rank 0 on the job's thread reports, Cancel stops every rank, a failed rank fails the job.
std::unique_ptr<Job> make_pretrain_job(PretrainConfig config, std::shared_ptr<const SliceSet> data,
                                       std::optional<LocalRanks> ranks = std::nullopt);

/// Continues the pretraining run in out_dir on data (the slices it started with). epochs > 0
/// changes the planned epoch count; threads > 0 replaces the run's thread count (recorded in its
/// config.json with the first new checkpoint: an execution setting, not a result). Kind "pretrain".
std::unique_ptr<Job> make_resume_job(const std::string& out_dir, std::shared_ptr<const SliceSet> data,
                                     int epochs, int threads);

/// A segmentation training run (kind = the mode's name: "probe", "finetune", "supervised") of
/// config on data (config.out_dir required). Its notes carry "loss" and "Dice" per epoch.
std::unique_ptr<Job> make_segment_job(SegmentConfig config, std::shared_ptr<const SliceSet> data);

/// A run folder name that does not exist yet: parent/kind-YYYYmmdd-HHMMSS (with -2, -3... on a clash).
std::string new_run_folder(const std::string& parent, const std::string& kind);

}  // namespace p2r
