#pragma once
// Self-supervised losses: InfoNCE / NT-Xent (Pix2Rep, SimCLR), Barlow Twins (Pix2Rep-v2) and the
// grouped contrast of Chaitanya et al. Internal: Torch.
#include <torch/torch.h>

#include "core/model/batch_reducer.h"

namespace p2r {

/// Flat indices (int64, on mask's device) of all true pixels of mask [B, H, W].
torch::Tensor valid_pixel_indices(const torch::Tensor& mask);

/// min(count, #valid) distinct flat indices drawn uniformly from the true pixels of mask [B, H, W]
/// with the CPU generator gen; throws p2r::Error when fewer than 2 pixels are valid.
torch::Tensor sample_valid_pixels(const torch::Tensor& mask, int64_t count, at::Generator& gen);

/// ceil(count / B) distinct flat indices per image of mask [B, H, W] (fewer where an image has
/// fewer valid pixels), drawn uniformly with gen; throws p2r::Error when fewer than 2 in all.
torch::Tensor sample_valid_pixels_per_image(const torch::Tensor& mask, int64_t count, at::Generator& gen);

/// Rows of maps [B, D, H, W] at flat pixel indices idx [N] of B*H*W: -> [N, D].
torch::Tensor gather_pixels(const torch::Tensor& maps, const torch::Tensor& idx);

/// Symmetric InfoNCE of twin embeddings a, b [N, D] (row i of a and b are positives, the other
/// 2N-2 rows negatives), cosine similarity / tau; mean over the 2N anchors. Differentiable.
torch::Tensor info_nce_loss(const torch::Tensor& a, const torch::Tensor& b, double tau);

/// Positive pairs of rows with group ids groups [R] (int64): [R, R] bool, true where i != j and
/// groups[i] == groups[j].
torch::Tensor group_positive_mask(const torch::Tensor& groups);

/// Contrastive loss of embeddings z [R, D] whose rows of equal groups [R] are positives (Chaitanya
/// et al.'s global loss): s = cosine / tau; for every ordered positive pair (i, j) the term
/// -log(exp(s_ij) / (exp(s_ij) + sum over k of another group than i of exp(s_ik))), mean over the
/// pairs. With groups pairing the two views of each sample it is NT-Xent (info_nce_loss).
torch::Tensor group_contrastive_loss(const torch::Tensor& z, const torch::Tensor& groups, double tau);

/// Barlow Twins loss of a, b [N, D]: each feature standardised over N (biased variance, eps 1e-5),
/// C = a^T b / N [D, D], loss = sum_i (1 - C_ii)^2 + lambda * sum_{i != j} C_ij^2. Differentiable.
/// With a reducer, N, the means, variances and C are those of every process's rows together (as
/// Barlow Twins' own distributed code all-reduces C), so W processes give one process's loss.
torch::Tensor barlow_twins_loss(const torch::Tensor& a, const torch::Tensor& b, double lambda,
                                BatchReducer* reducer = nullptr);

}  // namespace p2r
