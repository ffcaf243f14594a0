#pragma once
// A 3D image or label map on a voxel grid with its physical geometry.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/io/nifti_header.h"

namespace p2r {

/// Grid geometry of a 3D volume as stored in NIfTI/ITK: size in voxels (x, y, z), spacing in mm,
/// origin in mm, direction cosines row-major 3x3 (ITK's LPS world), and the spatial fields of the
/// NIfTI header it was read from, which a NIfTI written on this grid carries unchanged.
struct Geometry {
  std::array<int, 3> size{0, 0, 0};
  std::array<double, 3> spacing{1, 1, 1};
  std::array<double, 3> origin{0, 0, 0};
  std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1};
  std::optional<NiftiSpatialHeader> nifti;  ///< absent for grids not read from a NIfTI-1 file

  /// Number of voxels (product of size).
  int64_t voxel_count() const { return int64_t(size[0]) * size[1] * size[2]; }
  /// Linear index of voxel (x, y, z); x varies fastest, as in NIfTI.
  int64_t index(int x, int y, int z) const { return x + int64_t(size[0]) * (y + int64_t(size[1]) * z); }
  /// "216x256x10 @ 1.37x1.37x10 mm" for messages.
  std::string describe() const;
  /// The grid of `new_size` voxels whose voxel (u, v, w) lies at index coordinates
  /// offset + scale * (u, v, w) of this grid (a crop and resize along the axes): spacing, origin and
  /// the NIfTI header's affines follow, directions are kept.
  Geometry regridded(const std::array<int, 3>& new_size, const std::array<double, 3>& scale,
                     const std::array<double, 3>& offset) const;
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
