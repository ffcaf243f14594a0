#pragma once
// The files of a pretraining run folder and of a segmentation run folder, and the model a
// pretraining run folder holds. No Torch.
#include <string>
#include <vector>

#include "core/model/model_config.h"

namespace p2r {

/// Files of a pretraining run folder.
std::string checkpoint_path(const std::string& out_dir);  ///< DIR/checkpoint.pt
std::string config_path(const std::string& out_dir);      ///< DIR/config.json
std::string log_path(const std::string& out_dir);         ///< DIR/log.csv
std::string provenance_path(const std::string& out_dir);  ///< DIR/provenance.json
/// DIR/data.p2rs: the slices a studio job of several ranks trained on, when they were in memory only
std::string run_data_path(const std::string& out_dir);
/// DIR/workers/: what a studio job of several ranks gave its worker processes (config.json) and
/// their output (rank-R.log)
std::string run_workers_path(const std::string& out_dir);
/// DIR/snapshots/epoch-NNNN: the backbone after that epoch (PretrainConfig::snapshot_every), itself
/// a run folder (config.json, checkpoint.pt without optimiser state) that every backbone reader opens
std::string snapshot_path(const std::string& out_dir, int epoch);
/// The snapshot folders of a run, by epoch (none: empty).
std::vector<std::string> snapshot_paths(const std::string& out_dir);
/// The epoch of a snapshot folder (its name, epoch-NNNN); throws p2r::Error for another name.
int snapshot_epoch(const std::string& snapshot_dir);
/// The run folder a snapshot folder belongs to, or "" when dir is not a snapshot folder.
std::string snapshot_run(const std::string& dir);

/// Files of a segmentation run folder.
std::string segment_model_path(const std::string& dir);   ///< DIR/model.pt (best validation epoch)
std::string segment_config_path(const std::string& dir);  ///< DIR/segment.json
std::string segment_log_path(const std::string& dir);     ///< DIR/log.csv

/// Model config of a pretraining run folder (the "model" object of its config.json). Throws
/// p2r::Error naming the folder or the file.
ModelConfig pretrained_model_config(const std::string& run_dir);

}  // namespace p2r
