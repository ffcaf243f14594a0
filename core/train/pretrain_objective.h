#pragma once
// What a pretraining step trains, for every method: the networks of a run and the loss of one
// batch under the step's objective; shared by the trainer and the step bench. Internal: Torch.
#include <vector>

#include <torch/torch.h>

#include "core/model/unet.h"
#include "core/train/image_heads.h"
#include "core/train/pretrain_config.h"
#include "core/train/pretrain_step.h"

namespace p2r {

/// The loss a step trains.
enum class PretrainObjective {
  Dense,             ///< Pix2Rep / Pix2Rep-v2: pretrain_loss
  SimCLR,            ///< simclr_loss
  GlobalPartitions,  ///< Chaitanya's first stage: global_partition_loss
  LocalRegions,      ///< Chaitanya's second stage: local_region_loss
};

/// The objective of 0-based step `step` of a run with steps_per_epoch steps per epoch (Chaitanya:
/// the global stage for its first global_stage_epochs() epochs, then the local stage).
PretrainObjective objective_at(const PretrainConfig& config, int64_t step, int64_t steps_per_epoch);

/// "dense", "simclr", "global", "local" (progress notes).
const char* objective_name(PretrainObjective objective);

/// The networks of a run: the U-Net and its pixel head (the checkpoint's "net", which
/// load_pretrained_backbone reads) and, for SimCLR and Chaitanya, their heads (built after net, so
/// that net starts from the same weights as a Pix2Rep run of the same seed).
struct PretrainNets {
  explicit PretrainNets(const PretrainConfig& config);
  /// Every trainable parameter: net's, then the heads'.
  std::vector<torch::Tensor> parameters() const;
  /// Training or evaluation mode of every module.
  void train(bool on);
  /// The heads as a module for the checkpoint (null without heads).
  torch::nn::Module* heads_module();
  Pix2RepNet net;
  ImageHeads heads{nullptr};
};

/// Moves every network to device in the layout of precision (model_layout.h).
void move_to_device(PretrainNets& nets, const torch::Device& device, const std::string& precision);

/// The loss of one batch x [B, 1, H, W] under objective (partitions [B] int64: GlobalPartitions only);
/// shard (data-parallel rows of the batch): Dense only.
torch::Tensor objective_loss(PretrainNets& nets, PretrainObjective objective, const torch::Tensor& x,
                             const torch::Tensor& partitions, const PretrainConfig& config, at::Generator& gen,
                             const BatchShard& shard = {});

}  // namespace p2r
