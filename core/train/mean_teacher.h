#pragma once
// Mean Teacher (Tarvainen and Valpola 2017) for segmentation: an exponential moving average of the
// student's weights as teacher, and a consistency loss between their class probabilities on
// unlabelled slices under different augmentations. Internal: includes Torch.
#include <cstdint>

#include <torch/torch.h>

#include "core/model/segmentation_net.h"
#include "core/train/pretrain_config.h"

namespace p2r {

/// The EMA decay at step (0-based): min(1 - 1 / (step + 1), decay), so early teachers follow the
/// student closely (as in the original code).
double ema_decay_at(int64_t step, double decay);

/// teacher = a * teacher + (1 - a) * student for every parameter, a = ema_decay_at(step, decay).
/// Buffers (BatchNorm statistics) are left alone: the teacher keeps its own, updated by its
/// forward passes in training mode, as in the original code.
void ema_update(torch::nn::Module& teacher, const torch::nn::Module& student, double decay, int64_t step);

/// Copies every parameter and buffer of student into teacher (same architecture).
void copy_weights(torch::nn::Module& teacher, const torch::nn::Module& student);

/// The sigmoid ramp-up of the consistency weight: exp(-5 (1 - t)^2), t = clamp(epoch / rampup, 0, 1)
/// (Laine and Aila 2017); 1 when rampup is 0.
double sigmoid_rampup(double epoch, int rampup);

/// Squared difference of class probabilities, summed over classes and averaged over the pixels
/// where mask [B, H, W] is true: student logits [B, K, H, W] against teacher probabilities
/// (targets, no gradient). 0 when no pixel is valid.
torch::Tensor consistency_loss(const torch::Tensor& student_logits, const torch::Tensor& teacher_probs,
                               const torch::Tensor& mask);

/// The consistency term of one batch of unlabelled images x [B, 1, S, S]: the teacher (training
/// mode, no gradient) sees one intensity augmentation of x, the student another intensity
/// augmentation of x warped by a random affine; the teacher's probabilities are warped the same way
/// and compared where the warp stays inside the image. Forward passes under precision's autocast.
torch::Tensor mean_teacher_consistency(SegmentationNet& student, SegmentationNet& teacher, const torch::Tensor& x,
                                       const AugmentConfig& augment, at::Generator& gen,
                                       const std::string& precision);

}  // namespace p2r
