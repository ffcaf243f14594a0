#pragma once
// What a backbone learned about spatial transforms and intensity reversal, per pixel: the
// equivariance error 1 - cos(f(phi . x), phi . f(x)) of a spatial transform phi and the reversal
// error 1 - cos(f(x), f(1 - x)), with their mean and median. Torch-free declaration; the work is a
// Torch source of the core (feature_equivariance.h computes the maps for any feature map f).
#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/embedding_extractor.h"

namespace p2r {

/// A spatial transform phi in the convention of the pretraining augmentation (train/augment.h,
/// affine_theta): phi . x samples x at theta p, theta = [s R(rotation) | shift] diag(flip ? -1 : 1, 1)
/// in normalised coordinates (align_corners = true), so the content turns by -rotation, scale < 1
/// zooms in, and a positive shift moves the content left / up.
struct SpatialTransform {
  double rotation_deg = 0;          ///< rotation of the sampling grid, degrees
  double scale = 1;                 ///< side of the sampled region relative to the image (> 0)
  double shift_x = 0, shift_y = 0;  ///< translation of the sampling grid, pixels
  bool flip = false;                ///< horizontal flip (before rotation and zoom)
  /// Throws p2r::Error naming the value when a number is not finite or scale <= 0.
  void validate() const;
  /// "rotate 30 deg, scale 0.9, shift (2, 0), flip" (only what differs from the identity; "identity").
  std::string describe() const;
};

/// Mean and median of the finite values of an error map; NaN (and valid 0) when none is finite.
struct ErrorSummary {
  double mean = 0, median = 0;
  int64_t valid = 0;  ///< finite values summarised
};
ErrorSummary summarise_error(const std::vector<float>& map);

/// Per-pixel errors of one slice, row-major [height * width], values in [0, 2] (1 - cosine of two
/// embeddings; a zero embedding has cosine 0 with anything).
struct EquivarianceMaps {
  int width = 0, height = 0;
  std::vector<float> spatial;   ///< 1 - cos(f(phi . x), phi . f(x)); NaN where phi samples outside x
  std::vector<float> reversal;  ///< 1 - cos(f(x), f(1 - x)) (the augmentation's intensity reversal)
  ErrorSummary spatial_summary, reversal_summary;
  std::string device;           ///< as extract_backbone_features reports it ("cpu", "cuda:0 bf16")
};

/// Runs the backbone of the pretraining run in run_dir (as the embedding extractor does: device,
/// precision and layout of options, eval mode) on the slice image [size * size] in [0, 1], on phi of
/// it and on its reversal, and returns the two error maps. Throws p2r::Error for a bad phi, a
/// missing/corrupt run, a bad device or a size the U-Net cannot take. Thread-safe (own model).
EquivarianceMaps backbone_equivariance_error(const std::string& run_dir, const float* image, int size,
                                             const SpatialTransform& phi, const ExtractOptions& options);

}  // namespace p2r
