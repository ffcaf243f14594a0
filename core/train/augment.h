#pragma once
// Batched augmentations of Pix2Rep on the training device (internal: includes Torch).
#include <torch/torch.h>

#include "core/train/pretrain_config.h"

namespace p2r {

/// Random intensity augmentation of images [B, 1, H, W] in [0, 1] on any device; each sample draws
/// its own bias field, gamma, brightness/contrast, blur, noise and reversal with the configured
/// probabilities. Random numbers come from gen (CPU generator), so results are reproducible.
torch::Tensor augment_intensity(const torch::Tensor& x, const AugmentConfig& config, at::Generator& gen);

/// The intensity reversal of the augmentation: x -> 1 - x (images in [0, 1]), any shape and device.
torch::Tensor reverse_intensity(const torch::Tensor& x);

/// theta [B, 2, 3] (float, CPU; affine_grid convention) of per-sample rotations (radians), zooms,
/// translations (normalised coordinates) and flips (+1 or -1 on output x and y), all float [B] on
/// the CPU: theta = [R(angle) * scale | (tx, ty)] * diag(fx, fy).
torch::Tensor affine_theta(const torch::Tensor& angle, const torch::Tensor& scale, const torch::Tensor& tx,
                           const torch::Tensor& ty, const torch::Tensor& fx, const torch::Tensor& fy);

/// Random spatial transforms, one per sample: rotation, zoom/crop, h/v flips. Returns theta [B, 2, 3]
/// (float, CPU) mapping output normalised coordinates to input ones (affine_grid convention).
torch::Tensor random_affine(int64_t batch, const AugmentConfig& config, at::Generator& gen);

/// Sampling grid [B, H, W, 2] of theta for maps of size H x W (align_corners = true), on device.
torch::Tensor affine_sampling_grid(const torch::Tensor& theta, int64_t height, int64_t width,
                                   const torch::Device& device);

/// Resamples maps [B, C, H, W] at grid [B, H, W, 2] (bilinear, zeros outside, align_corners = true).
torch::Tensor warp(const torch::Tensor& maps, const torch::Tensor& grid);

/// Validity mask [B, H, W] (bool): true where grid samples inside the input field of view, i.e.
/// where the pixel has a partner in both views.
torch::Tensor validity_mask(const torch::Tensor& grid);

}  // namespace p2r
