#pragma once
// A trained segmentation model loaded for prediction. Torch-free facade (the GUI may include it).
#include <memory>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/data/slice_set.h"
#include "core/model/run_folder.h"
#include "core/train/segment_config.h"

namespace p2r {

/// Loads a segmentation run folder and predicts labels 0..K-1 of its classes (config().classes)
/// slice by slice.
/// Not thread-safe: use one Segmenter per thread.
class Segmenter {
 public:
  /// Loads DIR/segment.json and DIR/model.pt onto device ("auto", "cpu", "cuda") to predict in
  /// precision ("auto": bf16 where the device has it; "fp32"; "bf16"). Throws p2r::Error for a
  /// missing folder, a corrupt model, a model that does not fit its configuration, or bf16 on a
  /// device without it.
  explicit Segmenter(const std::string& dir, const std::string& device = "auto", const std::string& precision = "auto");
  ~Segmenter();
  Segmenter(Segmenter&&) noexcept;
  Segmenter& operator=(Segmenter&&) noexcept;

  /// Labels of the given slices of set: slices.size() * set.size^2 values in slice order.
  /// Throws p2r::Error for slice indices out of range or a slice size the U-Net cannot take.
  std::vector<uint8_t> predict(const SliceSet& set, const std::vector<int>& slices,
                               ProgressSink& progress = null_progress()) const;
  /// Labels of every slice of volume volume_index (prepared space), in slice order.
  std::vector<uint8_t> predict_volume(const SliceSet& set, int volume_index) const;
  /// The configuration the model was trained with (its classes: config().classes).
  const SegmentConfig& config() const;
  /// The model folder, as given to the constructor.
  const std::string& dir() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace p2r
