#include "core/analysis/equivariance_error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/analysis/backbone_inference.h"
#include "core/analysis/feature_equivariance.h"
#include "core/common/error.h"

namespace p2r {

void SpatialTransform::validate() const {
  P2R_CHECK(std::isfinite(rotation_deg), "spatial transform: rotation " << rotation_deg << " is not a finite number");
  P2R_CHECK(std::isfinite(scale) && scale > 0, "spatial transform: scale must be a positive number, got " << scale);
  P2R_CHECK(std::isfinite(shift_x) && std::isfinite(shift_y),
            "spatial transform: shift (" << shift_x << ", " << shift_y << ") is not finite");
}

std::string SpatialTransform::describe() const {
  std::ostringstream text;
  const char* sep = "";
  if (rotation_deg != 0) text << "rotate " << rotation_deg << " deg", sep = ", ";
  if (scale != 1) text << sep << "scale " << scale, sep = ", ";
  if (shift_x != 0 || shift_y != 0) text << sep << "shift (" << shift_x << ", " << shift_y << ")", sep = ", ";
  if (flip) text << sep << "flip";
  return text.str().empty() ? "identity" : text.str();
}

ErrorSummary summarise_error(const std::vector<float>& map) {
  std::vector<float> finite;
  finite.reserve(map.size());
  double sum = 0;
  for (float v : map)
    if (std::isfinite(v)) finite.push_back(v), sum += v;
  ErrorSummary s;
  s.valid = int64_t(finite.size());
  if (finite.empty()) {
    s.mean = s.median = std::numeric_limits<double>::quiet_NaN();
    return s;
  }
  s.mean = sum / double(finite.size());
  const size_t mid = finite.size() / 2;
  std::nth_element(finite.begin(), finite.begin() + mid, finite.end());
  s.median = finite[mid];
  if (finite.size() % 2 == 0) s.median = 0.5 * (s.median + *std::max_element(finite.begin(), finite.begin() + mid));
  return s;
}

EquivarianceMaps backbone_equivariance_error(const std::string& run_dir, const float* image, int size,
                                             const SpatialTransform& phi, const ExtractOptions& options) {
  phi.validate();
  P2R_CHECK(image != nullptr && size > 0, "equivariance error: no image");
  InferenceBackbone backbone(run_dir, size, options);
  const torch::Tensor x = torch::from_blob(const_cast<float*>(image), {1, 1, size, size}, torch::kFloat32);
  const FeatureErrors errors =
      feature_equivariance_errors([&](const torch::Tensor& images) { return backbone.features(images); }, x, phi);
  EquivarianceMaps out;
  out.width = out.height = size;
  const float* s = errors.spatial.data_ptr<float>();
  const float* r = errors.reversal.data_ptr<float>();
  out.spatial.assign(s, s + int64_t(size) * size);
  out.reversal.assign(r, r + int64_t(size) * size);
  out.spatial_summary = summarise_error(out.spatial);
  out.reversal_summary = summarise_error(out.reversal);
  out.device = backbone.device_name();
  return out;
}

}  // namespace p2r
