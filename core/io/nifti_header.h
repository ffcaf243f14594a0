#pragma once
// The spatial fields of a NIfTI-1 header, kept verbatim from an input so that an output on the same
// grid carries the same world affines in every tool (ITK reads one, nibabel / FSLeyes the other).
#include <array>
#include <cstdint>
#include <string>

namespace p2r {

/// sform, qform, pixdim and spatial units of a NIfTI-1 header, as stored (float32 fields).
struct NiftiSpatialHeader {
  int16_t qform_code = 0, sform_code = 0;
  float qfac = 1;                                   ///< pixdim[0]: -1 flips the qform's third axis
  std::array<float, 3> pixdim{1, 1, 1};             ///< pixdim[1..3]
  std::array<float, 3> quatern{0, 0, 0};           ///< quatern_b, c, d
  std::array<float, 3> qoffset{0, 0, 0};           ///< qoffset_x, y, z
  std::array<float, 12> srow{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};  ///< srow_x, srow_y, srow_z
  uint8_t spatial_units = 2;                        ///< xyzt_units & 7 (2: mm)

  /// The header of the grid whose voxel (u, v, w) lies at index offset + scale * (u, v, w) of this
  /// one (a crop and resize along the axes): affines composed with that map, codes kept.
  NiftiSpatialHeader regridded(const std::array<double, 3>& scale, const std::array<double, 3>& offset) const;
};

/// Reads the spatial fields of a little-endian NIfTI-1 header (348 bytes at least); false for any
/// other header (NIfTI-2, big-endian, too short).
bool parse_nifti1_spatial_header(const std::string& header_bytes, NiftiSpatialHeader& out);

/// Overwrites the spatial fields of a little-endian NIfTI-1 header in place (header_bytes holds at
/// least 348 bytes; false, unchanged, for another kind of header).
bool store_nifti1_spatial_header(const NiftiSpatialHeader& header, std::string& header_bytes);

}  // namespace p2r
