#pragma once
// The source slices behind prepared ones, read from the files the prepared data records, for the
// native view: scanner intensities on the source grid, and the source labels where they exist.
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/slice_set.h"
#include "core/io/volume.h"

namespace p2r::studio {

/// One source slice: width x height values (row-major), labels (empty when unlabelled).
struct SourceSlice {
  int width = 0, height = 0;
  std::vector<float> values;
  std::vector<uint8_t> labels;
};

class SourceSlices {
 public:
  /// The source of prepared slice i of data, or nullptr when its file cannot be read (data made in
  /// memory, a moved or changed file, a build without NIfTI support; problem() says why). The last
  /// file read is kept, so browsing a volume (or a cine file's frames) reads it once.
  const SourceSlice* slice(const SliceSet& data, int i);
  /// The slice the last successful slice() gave (nullptr before any).
  const SourceSlice* current() const { return m_slice.width > 0 ? &m_slice : nullptr; }
  /// Why the last slice() gave nullptr ("" when it did not).
  const std::string& problem() const { return m_problem; }

 private:
  std::string m_image_path, m_label_path;
  std::vector<Volume> m_frames;  // every time point of m_image_path
  LabelVolume m_labels;
  SourceSlice m_slice;
  std::string m_problem;
};

}  // namespace p2r::studio
