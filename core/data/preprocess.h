#pragma once
// Turning one volume into prepared slices (normalise, crop, resize) and mapping slices back.
#include <string>
#include <utility>
#include <vector>

#include "core/data/slice_set.h"
#include "core/io/volume.h"

namespace p2r {

struct MotionRoi;

/// One volume's prepared slices: record.crop/intensity filled; images and labels are
/// slice_count * size * size (labels all 0 when there is no label volume).
struct PreparedVolume {
  VolumeRecord record;
  std::vector<float> images;
  std::vector<uint8_t> labels;
};

/// Intensities at percentiles low and high (0..100) of values. Throws p2r::Error when empty.
std::pair<float, float> intensity_percentiles(const std::vector<float>& values, double low, double high);

/// Label-free crop: a square of fov_mm x fov_mm at the in-plane image centre.
CropBox center_crop_box(const Geometry& geometry, double fov_mm);

/// Paper-reproduction crop: bounding box of all labels > 0 over the volume plus margin voxels,
/// clipped to the image. Throws p2r::Error when the volume has no foreground label.
CropBox label_roi_box(const LabelVolume& labels, int margin);

/// True when every voxel with a label > 0 lies inside box (voxel centre inside the window).
bool crop_contains_labels(const LabelVolume& labels, const CropBox& box);

/// Bilinear resampling of box of in-plane image src (width sx, height sy, row-major) onto
/// size x size pixels in dst; outside the image is 0.
void resample_image_slice(const float* src, int sx, int sy, const CropBox& box, int size, float* dst);

/// Nearest-neighbour resampling of a label slice, as resample_image_slice; outside the image is 0.
void resample_label_slice(const uint8_t* src, int sx, int sy, const CropBox& box, int size, uint8_t* dst);

/// Maps a prepared-space label slice (size x size) back onto the original in-plane grid
/// (sx x sy, nearest neighbour); voxels outside the crop get 0.
void map_label_slice_to_volume(const uint8_t* slice, int size, const CropBox& box, int sx, int sy, uint8_t* dst);

/// Normalises image by its percentiles (clipped to [0, 1]), crops by config.crop and resizes every
/// z slice. labels may be null (unlabelled); PaperRoi requires labels and throws p2r::Error without.
/// Motion uses motion's box (of the subject's frames), or the centre crop when it has none or is null.
/// Throws p2r::Error when labels and image shapes differ. record fields other than crop, intensity
/// range, geometry, has_label and slice_count are left as given in base.
PreparedVolume prepare_volume(const Volume& image, const LabelVolume* labels, const PrepareConfig& config,
                              const VolumeRecord& base, const MotionRoi* motion = nullptr);

/// prepare_volume with a crop box the caller chose (e.g. around a model's predicted heart);
/// crop_source records how it was chosen. Same checks and outputs as prepare_volume.
PreparedVolume prepare_volume_in_box(const Volume& image, const LabelVolume* labels, const PrepareConfig& config,
                                     const VolumeRecord& base, const CropBox& box, const std::string& crop_source);
/// Appends a prepared volume's record and slices to set (sizes must agree; throws p2r::Error).
void append_prepared_volume(SliceSet& set, PreparedVolume&& volume);

/// Maps prepared-space labels of volume `volume_index` of set (slice_count * size * size values,
/// in slice order) back to a label volume on the original grid and geometry.
LabelVolume labels_to_original_space(const SliceSet& set, int volume_index, const std::vector<uint8_t>& slices);

}  // namespace p2r
