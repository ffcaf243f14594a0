#pragma once
// A 3D image or label map on a voxel grid with its physical geometry.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace p2r {

/// Grid geometry of a 3D volume as stored in NIfTI/ITK: size in voxels (x, y, z), spacing in mm,
/// origin in mm, direction cosines row-major 3x3.
struct Geometry {
  std::array<int, 3> size{0, 0, 0};
  std::array<double, 3> spacing{1, 1, 1};
  std::array<double, 3> origin{0, 0, 0};
  std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1};

  /// Number of voxels (product of size).
  int64_t voxel_count() const { return int64_t(size[0]) * size[1] * size[2]; }
  /// Linear index of voxel (x, y, z); x varies fastest, as in NIfTI.
  int64_t index(int x, int y, int z) const { return x + int64_t(size[0]) * (y + int64_t(size[1]) * z); }
  /// "216x256x10 @ 1.37x1.37x10 mm" for messages.
  std::string describe() const;
};

/// Intensity volume, voxels as float in NIfTI order (x fastest).
struct Volume {
  Geometry geometry;
  std::vector<float> voxels;
};

/// Label volume in the ACDC convention (0 background, 1 RV, 2 myocardium, 3 LV), x fastest.
struct LabelVolume {
  Geometry geometry;
  std::vector<uint8_t> voxels;
};

/// Number of classes in the ACDC label convention.
constexpr int kNumClasses = 4;
/// Class names in label order: background, RV, MYO, LV.
const std::array<const char*, kNumClasses>& class_names();

}  // namespace p2r
