#include "core/train/segmenter.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <torch/torch.h>

#include "core/common/compute_device.h"
#include "core/common/error.h"
#include "core/common/precision.h"
#include "core/model/model_layout.h"
#include "core/model/precision_scope.h"
#include "core/model/segmentation_net.h"

namespace p2r {

struct Segmenter::Impl {
  std::string dir;
  SegmentConfig config;
  SegmentationNet net{nullptr};
  torch::Device device{torch::kCPU};
  std::string precision;
};

Segmenter::Segmenter(const std::string& dir, const std::string& device, const std::string& precision)
    : m_impl(std::make_unique<Impl>()) {
  P2R_CHECK(std::filesystem::is_directory(dir), dir << ": segmentation model folder does not exist");
  std::ifstream in(segment_config_path(dir));
  P2R_CHECK(in.good(), segment_config_path(dir) << ": missing (not a segmentation run folder?)");
  std::stringstream text;
  text << in.rdbuf();
  m_impl->dir = dir;
  try {
    m_impl->config = segment_config_from_json(text.str(), SegmentConfig());
  } catch (const Error& e) {
    P2R_FAIL(segment_config_path(dir) << ": " << e.message());
  }
  m_impl->device = resolve_device(device);
  m_impl->precision = resolve_precision(precision, m_impl->device.is_cuda());
  m_impl->net = SegmentationNet(m_impl->config.model, int(m_impl->config.classes.size()));
  load_segmentation_model(segment_model_path(dir), m_impl->net, m_impl->config.model);
  m_impl->net->eval();
  m_impl->net->m_backbone->fold_for_inference();  // the same labels, one memory pass fewer per layer
  move_to_device(*m_impl->net, m_impl->device, m_impl->precision);
}

Segmenter::~Segmenter() = default;
Segmenter::Segmenter(Segmenter&&) noexcept = default;
Segmenter& Segmenter::operator=(Segmenter&&) noexcept = default;

const SegmentConfig& Segmenter::config() const { return m_impl->config; }
const std::string& Segmenter::dir() const { return m_impl->dir; }

std::vector<uint8_t> Segmenter::predict(const SliceSet& set, const std::vector<int>& slices,
                                        ProgressSink& progress) const {
  const int divisor = 1 << (m_impl->config.model.levels - 1);
  P2R_CHECK(set.size % divisor == 0, "slices of " << set.size << " pixels do not fit this model (multiple of "
                                                  << divisor << " needed)");
  for (int s : slices) P2R_CHECK(s >= 0 && s < set.slice_count(), "slice index " << s << " out of range 0.."
                                                                                  << set.slice_count() - 1);
  const int64_t S = set.size, plane = S * S;
  std::vector<uint8_t> out(slices.size() * size_t(plane));
  c10::InferenceMode guard;
  PrecisionScope scope(m_impl->device, m_impl->precision);
  auto images = torch::from_blob(const_cast<float*>(set.images.data()), {set.slice_count(), 1, S, S}, torch::kFloat);
  const int64_t batch = 16;
  progress.begin("predict", int64_t(slices.size()));
  for (size_t b = 0; b < slices.size(); b += batch) {
    if (progress.cancelled()) {
      progress.end();
      throw Cancelled();
    }
    size_t e = std::min(slices.size(), b + batch);
    auto idx = torch::tensor(std::vector<int64_t>(slices.begin() + b, slices.begin() + e), torch::kLong);
    auto labels = m_impl->net->forward(images.index_select(0, idx).to(m_impl->device)).argmax(1);
    labels = labels.to(torch::kUInt8).cpu().contiguous();
    std::memcpy(out.data() + b * plane, labels.data_ptr<uint8_t>(), (e - b) * plane);
    progress.update(int64_t(e), "");
  }
  progress.end();
  return out;
}

std::vector<uint8_t> Segmenter::predict_volume(const SliceSet& set, int volume_index) const {
  P2R_CHECK(volume_index >= 0 && volume_index < int(set.volumes.size()), "volume index " << volume_index
                                                                                          << " out of range");
  const VolumeRecord& v = set.volumes[volume_index];
  std::vector<int> slices;
  for (int s = 0; s < v.slice_count; ++s) slices.push_back(v.first_slice + s);
  return predict(set, slices);
}

}  // namespace p2r
