#pragma once
// Pretraining checkpoint file: network weights and buffers, Adam state, step counter and loss
// history in one file written atomically. Internal: includes Torch.
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/model/unet.h"

namespace p2r {

/// Training position and history stored beside the weights.
struct CheckpointState {
  int64_t global_step = 0;            ///< optimiser steps done
  std::string signature;              ///< model_signature() of the config that made it
  std::vector<float> step_losses;     ///< training loss of every step so far
  std::vector<double> epoch_rows;     ///< per finished epoch: epoch, step, train, val, seconds (5 each)
};

/// Short text naming everything that fixes the parameter shapes, e.g. "unet1-16x6-ft64-proj64x1".
std::string model_signature(const ModelConfig& config);

/// Writes net, optimizer (may be null), heads (a method's extra modules beside net, may be null)
/// and state to path atomically; throws p2r::Error on failure.
void save_checkpoint(const std::string& path, Pix2RepNet& net, torch::optim::Optimizer* optimizer,
                     const CheckpointState& state, torch::nn::Module* heads = nullptr);

/// Loads path into net (and optimizer and heads when not null) built from the same configuration;
/// readers of the backbone pass no heads and ignore them. Throws p2r::Error for a missing or corrupt
/// file or one whose signature differs from expected_signature.
CheckpointState load_checkpoint(const std::string& path, Pix2RepNet& net, torch::optim::Optimizer* optimizer,
                                const std::string& expected_signature, torch::nn::Module* heads = nullptr);

}  // namespace p2r
