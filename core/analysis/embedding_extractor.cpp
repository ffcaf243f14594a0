#include "core/analysis/embedding_extractor.h"

#include <algorithm>

#include "core/analysis/backbone_inference.h"
#include "core/common/error.h"
#include "core/model/run_folder.h"

namespace p2r {

int backbone_feature_dim(const std::string& run_dir) { return pretrained_model_config(run_dir).n_ft; }

std::string extract_backbone_features(const std::string& run_dir, const SliceSet& data, const ExtractOptions& options,
                                      const std::function<void(int slice, const float* features)>& consume,
                                      ProgressSink& progress) {
  P2R_CHECK(options.batch >= 1, "embedding batch must be at least 1, got " << options.batch);
  P2R_CHECK(data.slice_count() > 0, "no slices to embed");
  InferenceBackbone backbone(run_dir, data.size, options);
  const int n = data.slice_count(), side = data.size;
  const int64_t per_image = data.pixels_per_slice();
  progress.begin("embed", n);
  for (int s0 = 0; s0 < n; s0 += options.batch) {
    if (progress.cancelled()) {
      progress.end();
      throw Cancelled();
    }
    const int b = std::min(options.batch, n - s0);
    // [b, 1, H, W] view of the host images (features() moves it to the device).
    torch::Tensor x = torch::from_blob(const_cast<float*>(data.image(s0)), {b, 1, side, side}, torch::kFloat32);
    torch::Tensor f = backbone.features(x);  // [b, n_ft, H, W]
    const float* p = f.data_ptr<float>();
    for (int i = 0; i < b; ++i) consume(s0 + i, p + int64_t(i) * backbone.feature_dim() * per_image);
    progress.update(s0 + b, "");
  }
  progress.end();
  return backbone.device_name();
}

}  // namespace p2r
