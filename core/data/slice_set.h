#pragma once
// Preprocessed 2D slices (images, labels) with the provenance needed to map them back to their volume.
#include <cstdint>
#include <string>
#include <vector>

#include "core/io/volume.h"
#include "core/io/dataset_layout.h"

namespace p2r {

/// How slices are cropped before resizing.
enum class CropMode {
  Center,    ///< label-free default: a fixed physical field of view (fov_mm square) at the image centre
  PaperRoi,  ///< paper reproduction only: label bounding box + margin_voxels (uses labels!)
  Motion,    ///< label-free: a square around the moving heart of each subject's frames (motion_roi.h)
};
/// "center" / "paper-roi" / "motion".
const char* crop_mode_name(CropMode mode);
/// Parses "center" / "paper-roi" / "motion"; throws p2r::Error otherwise.
CropMode parse_crop_mode(const std::string& text);

/// Settings of slice preparation; stored in every prepared file.
struct PrepareConfig {
  CropMode crop = CropMode::Center;
  double fov_mm = 240.0;        ///< side of the square field of view of the center crop (motion: largest side)
  double motion_margin_mm = 20.0;   ///< motion crop: margin around the moving region
  double motion_min_side_mm = 100.0;///< motion crop: smallest side of the square
  int margin_voxels = 10;       ///< paper-roi margin around the label bounding box
  int size = 128;               ///< output slices are size x size
  double percentile_low = 1.0;  ///< intensity mapped to 0
  double percentile_high = 99.0;///< intensity mapped to 1 (values outside are clipped)
  /// Throws p2r::Error describing the first invalid field.
  void validate() const;
};

/// In-plane crop window in voxel index coordinates of the original volume: voxel centres x in
/// [x0, x0 + width) map onto the output grid. May extend beyond the image (padded with 0).
struct CropBox {
  double x0 = 0, y0 = 0, width = 0, height = 0;
};

/// Where one prepared volume came from; its slices are [first_slice, first_slice + slice_count).
struct VolumeRecord {
  std::string subject, group, split;
  int frame = 0;
  Phase phase = Phase::Unknown;
  std::string image_path, label_path;
  Geometry geometry;   ///< of the original volume
  CropBox crop;
  std::string crop_source;  ///< how crop was chosen: "center", "paper-roi", "motion" or "center (motion ROI: why not)"
  float intensity_low = 0, intensity_high = 1;  ///< raw intensities mapped to 0 and 1
  bool has_label = false;
  int first_slice = 0, slice_count = 0;
};

/// Everything a slice carries: its volume's record and its z index in that volume.
struct SliceRef {
  int volume = 0;  ///< index into SliceSet::volumes
  int z = 0;       ///< slice index in the original volume
};

/// N prepared slices of size x size: images in [0, 1] (float, row-major y then x), labels uint8
/// (ACDC convention; all 0 for unlabelled slices), and per-slice provenance.
struct SliceSet {
  PrepareConfig config;
  std::string source_root;          ///< dataset root the slices were prepared from
  int size = 0;
  std::vector<float> images;        ///< N * size * size
  std::vector<uint8_t> labels;      ///< N * size * size
  std::vector<VolumeRecord> volumes;
  std::vector<SliceRef> slices;

  int slice_count() const { return int(slices.size()); }
  int64_t pixels_per_slice() const { return int64_t(size) * size; }
  /// Pointer to slice i's image / labels (size*size values). No bounds check.
  const float* image(int i) const { return images.data() + i * pixels_per_slice(); }
  const uint8_t* label(int i) const { return labels.data() + i * pixels_per_slice(); }
  /// True when slice i comes from a labelled volume.
  bool has_label(int i) const { return volumes[slices[i].volume].has_label; }
  /// The record of slice i's volume.
  const VolumeRecord& volume_of(int i) const { return volumes[slices[i].volume]; }
  /// Ordered unique subject ids.
  std::vector<std::string> subject_ids() const;
  /// Appends the volumes and slices of other (same size required; throws p2r::Error otherwise).
  void append(const SliceSet& other);
  /// The subset holding only the given volumes (indices into volumes), renumbered.
  SliceSet select_volumes(const std::vector<int>& volume_indices) const;
  /// Throws p2r::Error when array sizes and provenance disagree.
  void validate() const;
};

}  // namespace p2r
