#include "core/io/nifti_header.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace p2r {

namespace {

// Byte offsets of the NIfTI-1 header fields used here.
constexpr size_t kSizeofHdr = 0, kPixdim = 76, kXyztUnits = 123, kQformCode = 252, kSformCode = 254,
                 kQuatern = 256, kQoffset = 268, kSrow = 280, kHeaderSize = 348;

bool is_nifti1_le(const std::string& bytes) {
  if (bytes.size() < kHeaderSize) return false;
  int32_t sizeof_hdr;
  std::memcpy(&sizeof_hdr, bytes.data() + kSizeofHdr, 4);
  return sizeof_hdr == int32_t(kHeaderSize);
}

template <class T>
void get(const std::string& bytes, size_t at, T* dst, size_t count = 1) {
  std::memcpy(dst, bytes.data() + at, sizeof(T) * count);
}

template <class T>
void put(std::string& bytes, size_t at, const T* src, size_t count = 1) {
  std::memcpy(bytes.data() + at, src, sizeof(T) * count);
}

}  // namespace

NiftiSpatialHeader NiftiSpatialHeader::regridded(const std::array<double, 3>& scale,
                                                 const std::array<double, 3>& offset) const {
  NiftiSpatialHeader out = *this;
  // qform: R * diag(pixdim) * diag(1, 1, qfac) * index + qoffset (NIfTI-1 method 2).
  const double b = quatern[0], c = quatern[1], d = quatern[2];
  const double a = std::sqrt(std::max(0.0, 1.0 - (b * b + c * c + d * d)));
  const double r[3][3] = {{a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
                          {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
                          {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}};
  const double step[3] = {double(pixdim[0]), double(pixdim[1]), double(pixdim[2]) * (qfac < 0 ? -1.0 : 1.0)};
  for (int i = 0; i < 3; ++i) {
    double shift = 0;
    for (int j = 0; j < 3; ++j) shift += r[i][j] * step[j] * offset[j];
    out.qoffset[i] = float(double(qoffset[i]) + shift);
    out.pixdim[i] = float(double(pixdim[i]) * scale[i]);
  }
  // sform: rows (m00 m01 m02 t0 | ...); columns scale, the translation moves to the new first voxel.
  for (int i = 0; i < 3; ++i) {
    double t = srow[4 * i + 3];
    for (int j = 0; j < 3; ++j) {
      t += double(srow[4 * i + j]) * offset[j];
      out.srow[4 * i + j] = float(double(srow[4 * i + j]) * scale[j]);
    }
    out.srow[4 * i + 3] = float(t);
  }
  return out;
}

bool parse_nifti1_spatial_header(const std::string& bytes, NiftiSpatialHeader& out) {
  if (!is_nifti1_le(bytes)) return false;
  float pixdim[4];
  get(bytes, kPixdim, pixdim, 4);
  out.qfac = pixdim[0];
  out.pixdim = {pixdim[1], pixdim[2], pixdim[3]};
  uint8_t units;
  get(bytes, kXyztUnits, &units);
  out.spatial_units = uint8_t(units & 7);
  get(bytes, kQformCode, &out.qform_code);
  get(bytes, kSformCode, &out.sform_code);
  get(bytes, kQuatern, out.quatern.data(), 3);
  get(bytes, kQoffset, out.qoffset.data(), 3);
  get(bytes, kSrow, out.srow.data(), 12);
  return true;
}

bool store_nifti1_spatial_header(const NiftiSpatialHeader& header, std::string& bytes) {
  if (!is_nifti1_le(bytes)) return false;
  const float pixdim[4] = {header.qfac, header.pixdim[0], header.pixdim[1], header.pixdim[2]};
  put(bytes, kPixdim, pixdim, 4);
  uint8_t units;
  get(bytes, kXyztUnits, &units);
  units = uint8_t((units & ~7) | (header.spatial_units & 7));
  put(bytes, kXyztUnits, &units);
  put(bytes, kQformCode, &header.qform_code);
  put(bytes, kSformCode, &header.sform_code);
  put(bytes, kQuatern, header.quatern.data(), 3);
  put(bytes, kQoffset, header.qoffset.data(), 3);
  put(bytes, kSrow, header.srow.data(), 12);
  return true;
}

}  // namespace p2r
