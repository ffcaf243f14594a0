#include "core/train/mean_teacher.h"

#include <algorithm>
#include <cmath>

#include "core/model/precision_scope.h"
#include "core/train/augment.h"

namespace p2r {

double ema_decay_at(int64_t step, double decay) { return std::min(1.0 - 1.0 / double(step + 1), decay); }

void ema_update(torch::nn::Module& teacher, const torch::nn::Module& student, double decay, int64_t step) {
  torch::NoGradGuard no_grad;
  const double a = ema_decay_at(step, decay);
  auto t = teacher.parameters(), s = student.parameters();
  for (size_t i = 0; i < t.size(); ++i) t[i].mul_(a).add_(s[i], 1.0 - a);
}

void copy_weights(torch::nn::Module& teacher, const torch::nn::Module& student) {
  torch::NoGradGuard no_grad;
  auto tp = teacher.parameters(), sp = student.parameters();
  for (size_t i = 0; i < tp.size(); ++i) tp[i].copy_(sp[i]);
  auto tb = teacher.buffers(), sb = student.buffers();
  for (size_t i = 0; i < tb.size(); ++i) tb[i].copy_(sb[i]);
}

double sigmoid_rampup(double epoch, int rampup) {
  if (rampup <= 0) return 1.0;
  const double t = std::clamp(epoch / double(rampup), 0.0, 1.0);
  return std::exp(-5.0 * (1.0 - t) * (1.0 - t));
}

torch::Tensor consistency_loss(const torch::Tensor& student_logits, const torch::Tensor& teacher_probs,
                               const torch::Tensor& mask) {
  auto per_pixel = (torch::softmax(student_logits, 1) - teacher_probs.detach()).pow(2).sum(1);  // [B, H, W]
  auto m = mask.to(per_pixel.dtype());
  return (per_pixel * m).sum() / m.sum().clamp_min(1.0);
}

torch::Tensor mean_teacher_consistency(SegmentationNet& student, SegmentationNet& teacher, const torch::Tensor& x,
                                       const AugmentConfig& augment, at::Generator& gen,
                                       const std::string& precision) {
  const int64_t S = x.size(-1);
  auto grid = affine_sampling_grid(random_affine(x.size(0), augment, gen), S, S, x.device());
  auto teacher_view = augment_intensity(x, augment, gen);
  auto student_view = augment_intensity(warp(x, grid), augment, gen);
  torch::Tensor target;
  {
    torch::NoGradGuard no_grad;
    PrecisionScope scope(x.device(), precision);
    teacher->train();
    target = warp(torch::softmax(teacher->forward(teacher_view).to(torch::kFloat), 1), grid);
  }
  torch::Tensor logits;
  {
    PrecisionScope scope(x.device(), precision);
    logits = student->forward(student_view);
  }
  return consistency_loss(logits.to(torch::kFloat), target, validity_mask(grid));
}

}  // namespace p2r
