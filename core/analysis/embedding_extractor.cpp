#include "core/analysis/embedding_extractor.h"

#include <algorithm>

#include "core/common/compute_device.h"
#include "core/common/error.h"
#include "core/common/precision.h"
#include "core/model/model_layout.h"
#include "core/model/precision_scope.h"
#include "core/model/run_folder.h"
#include "core/model/segmentation_net.h"
#include "core/model/unet.h"

namespace p2r {

int backbone_feature_dim(const std::string& run_dir) { return pretrained_model_config(run_dir).n_ft; }

std::string extract_backbone_features(const std::string& run_dir, const SliceSet& data, const ExtractOptions& options,
                                      const std::function<void(int slice, const float* features)>& consume,
                                      ProgressSink& progress) {
  P2R_CHECK(options.batch >= 1, "embedding batch must be at least 1, got " << options.batch);
  P2R_CHECK(data.slice_count() > 0, "no slices to embed");
  const ModelConfig config = pretrained_model_config(run_dir);
  const int divisor = 1 << (config.levels - 1);
  P2R_CHECK(data.size % divisor == 0, "slices of " << data.size << " x " << data.size << " cannot go through a "
                                                   << config.levels << "-level U-Net (side must be a multiple of "
                                                   << divisor << ")");
  configure_threads(options.threads);
  const torch::Device device = resolve_device(options.device);
  const std::string precision = resolve_precision(options.precision, device.is_cuda());
  UNet backbone(config);
  load_pretrained_backbone(run_dir, backbone);
  move_to_device(*backbone, device, precision);
  backbone->eval();
  c10::InferenceMode guard;
  PrecisionScope scope(device, precision);

  const int n = data.slice_count(), side = data.size;
  const int64_t per_image = data.pixels_per_slice();
  progress.begin("embed", n);
  for (int s0 = 0; s0 < n; s0 += options.batch) {
    if (progress.cancelled()) {
      progress.end();
      throw Cancelled();
    }
    const int b = std::min(options.batch, n - s0);
    // [b, 1, H, W] view of the host images -> device.
    torch::Tensor x = torch::from_blob(const_cast<float*>(data.image(s0)), {b, 1, side, side}, torch::kFloat32)
                          .to(device, torch::kFloat32);
    torch::Tensor f = backbone->forward(x).to(torch::kCPU, torch::kFloat32).contiguous();  // [b, n_ft, H, W]
    const float* p = f.data_ptr<float>();
    for (int i = 0; i < b; ++i) consume(s0 + i, p + int64_t(i) * config.n_ft * per_image);
    progress.update(s0 + b, "");
  }
  progress.end();
  return precision == "fp32" ? device.str() : device.str() + " " + precision;
}

}  // namespace p2r
