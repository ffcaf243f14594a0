// Checks that NIfTI files line up: compares the world affines of an input and an output read two
// ways, with ITK (p2r::read_nifti) and with the minimal NIfTI-1 header reader below, which shares
// no code with the project (the way nibabel and FSLeyes read a header: sform when its code is set,
// else qform).
//
//   nifti_affine_check same INPUT OUTPUT
//       OUTPUT is on INPUT's grid: header geometry fields bit-identical, ITK geometry equal.
//   nifti_affine_check prepared PREPARED_FILE SUBJECT FRAME INPUT OUTPUT
//       OUTPUT is the prepared grid of SUBJECT/FRAME: every corner voxel of OUTPUT lies where the
//       matching point of INPUT (through the crop box and resize) lies, in both affines and in ITK
//       (in ITK only where INPUT's sform agrees with its pixdim: ITK reads ACDC's unit-column sform
//       with pixdim spacing, which no header of a crop can reproduce together with the standard).
//   nifti_affine_check acdc-like FILE
//       rewrites FILE's header as ACDC stores it (sform code 2 with unit columns, voxel size only in
//       pixdim, qform code 0), to make test inputs from the phantom.
// Exit 0 when every check holds; 1 with the differences otherwise.
#include <zlib.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "core/common/error.h"
#include "core/data/slice_cache.h"
#include "core/io/nifti.h"

namespace {

using Mat = std::array<double, 12>;  // 3x4 row-major: world = M * (i, j, k, 1)

struct Header {
  std::string bytes;  // decompressed header (first 352 bytes)
  int16_t qform_code = 0, sform_code = 0;
  float pixdim[8] = {};
  float quatern[3] = {}, qoffset[3] = {}, srow[12] = {};
};

int failures = 0;

void fail(const std::string& what) {
  std::printf("FAIL: %s\n", what.c_str());
  ++failures;
}

Header read_header(const std::string& path) {
  Header h;
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) {
    std::printf("cannot open %s\n", path.c_str());
    std::exit(2);
  }
  h.bytes.resize(352);
  const int n = gzread(f, h.bytes.data(), 352);
  gzclose(f);
  int32_t sizeof_hdr = 0;
  std::memcpy(&sizeof_hdr, h.bytes.data(), 4);
  if (n != 352 || sizeof_hdr != 348) {
    std::printf("%s: not a little-endian NIfTI-1 file\n", path.c_str());
    std::exit(2);
  }
  std::memcpy(h.pixdim, h.bytes.data() + 76, 32);
  std::memcpy(&h.qform_code, h.bytes.data() + 252, 2);
  std::memcpy(&h.sform_code, h.bytes.data() + 254, 2);
  std::memcpy(h.quatern, h.bytes.data() + 256, 12);
  std::memcpy(h.qoffset, h.bytes.data() + 268, 12);
  std::memcpy(h.srow, h.bytes.data() + 280, 48);
  return h;
}

Mat sform_of(const Header& h) {
  Mat m;
  for (int i = 0; i < 12; ++i) m[i] = h.srow[i];
  return m;
}

// NIfTI-1 "method 2": rotation from the quaternion, scaled by pixdim, third axis by qfac.
Mat qform_of(const Header& h) {
  const double b = h.quatern[0], c = h.quatern[1], d = h.quatern[2];
  const double a = std::sqrt(std::fmax(0.0, 1.0 - b * b - c * c - d * d));
  const double r[9] = {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
                       2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
                       2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b};
  const double qfac = h.pixdim[0] < 0 ? -1 : 1;
  const double s[3] = {h.pixdim[1], h.pixdim[2], h.pixdim[3] * qfac};
  Mat m;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) m[4 * i + j] = r[3 * i + j] * s[j];
    m[4 * i + 3] = h.qoffset[i];
  }
  return m;
}

std::array<double, 3> apply(const Mat& m, const std::array<double, 3>& p) {
  std::array<double, 3> w{};
  for (int i = 0; i < 3; ++i) w[i] = m[4 * i] * p[0] + m[4 * i + 1] * p[1] + m[4 * i + 2] * p[2] + m[4 * i + 3];
  return w;
}

std::array<double, 3> itk_world(const p2r::Geometry& g, const std::array<double, 3>& p) {
  std::array<double, 3> w{};
  for (int i = 0; i < 3; ++i) {
    w[i] = g.origin[i];
    for (int j = 0; j < 3; ++j) w[i] += g.direction[3 * i + j] * g.spacing[j] * p[j];
  }
  return w;
}

void expect_near(const char* what, const std::array<double, 3>& a, const std::array<double, 3>& b, double tol) {
  for (int i = 0; i < 3; ++i)
    if (std::fabs(a[i] - b[i]) > tol) {
      char buf[256];
      std::snprintf(buf, sizeof buf, "%s: (%.5f, %.5f, %.5f) vs (%.5f, %.5f, %.5f)", what, a[0], a[1], a[2], b[0], b[1],
                    b[2]);
      fail(buf);
      return;
    }
}

int check_same(const std::string& in_path, const std::string& out_path) {
  const Header in = read_header(in_path), out = read_header(out_path);
  if (in.qform_code != out.qform_code || in.sform_code != out.sform_code)
    fail("codes: qform " + std::to_string(in.qform_code) + "/" + std::to_string(out.qform_code) + ", sform " +
         std::to_string(in.sform_code) + "/" + std::to_string(out.sform_code));
  if (std::memcmp(in.pixdim, out.pixdim, 16) != 0) fail("pixdim[0..3] differ");
  if (std::memcmp(in.srow, out.srow, 48) != 0) fail("sform matrices differ");
  if (std::memcmp(in.quatern, out.quatern, 12) != 0 || std::memcmp(in.qoffset, out.qoffset, 12) != 0)
    fail("qform parameters differ");
  const p2r::Geometry gi = p2r::read_nifti(in_path).geometry, go = p2r::read_nifti(out_path).geometry;
  if (gi.size != go.size) fail("ITK sizes differ");
  for (int i = 0; i < 3; ++i) {
    if (std::fabs(gi.spacing[i] - go.spacing[i]) > 1e-5) fail("ITK spacing differs");
    if (std::fabs(gi.origin[i] - go.origin[i]) > 1e-4) fail("ITK origin differs");
  }
  for (int i = 0; i < 9; ++i)
    if (std::fabs(gi.direction[i] - go.direction[i]) > 1e-6) fail("ITK direction differs");
  std::printf("%s -> %s: sform %d qform %d, %s\n", in_path.c_str(), out_path.c_str(), out.sform_code, out.qform_code,
              failures ? "DIFFERENT" : "identical header geometry");
  return failures ? 1 : 0;
}

int check_prepared(const std::string& prepared, const std::string& subject, int frame, const std::string& in_path,
                   const std::string& out_path) {
  const p2r::SliceSet set = p2r::load_slice_set(prepared);
  const p2r::VolumeRecord* v = nullptr;
  for (const auto& r : set.volumes)
    if (r.subject == subject && r.frame == frame) v = &r;
  if (!v) {
    std::printf("%s: no volume %s frame %d\n", prepared.c_str(), subject.c_str(), frame);
    return 2;
  }
  const Header in = read_header(in_path), out = read_header(out_path);
  if (in.qform_code != out.qform_code || in.sform_code != out.sform_code) fail("codes differ");
  const p2r::Geometry gi = p2r::read_nifti(in_path).geometry, go = p2r::read_nifti(out_path).geometry;
  // ITK takes the voxel size from pixdim even where the sform says otherwise (ACDC: unit columns).
  bool itk_reads_standard = true;
  for (int c = 0; c < 3 && in.sform_code > 0; ++c) {
    const double norm = std::sqrt(double(in.srow[c]) * in.srow[c] + double(in.srow[4 + c]) * in.srow[4 + c] +
                                  double(in.srow[8 + c]) * in.srow[8 + c]);
    itk_reads_standard &= std::fabs(norm - in.pixdim[c + 1]) <= 1e-4 * in.pixdim[c + 1];
  }
  const int S = set.size, nz = v->slice_count;
  if (go.size != std::array<int, 3>{S, S, nz}) fail("output grid is not " + std::to_string(S) + "^2 x " +
                                                    std::to_string(nz));
  for (int u : {0, S - 1})
    for (int w : {0, S - 1})
      for (int z : {0, nz - 1}) {
        const std::array<double, 3> p_out{double(u), double(w), double(z)};
        const std::array<double, 3> p_in{v->crop.x0 - 0.5 + (u + 0.5) * v->crop.width / S,
                                         v->crop.y0 - 0.5 + (w + 0.5) * v->crop.height / S, double(z)};
        if (in.sform_code > 0) expect_near("sform corner", apply(sform_of(out), p_out), apply(sform_of(in), p_in), 1e-3);
        if (in.qform_code > 0) expect_near("qform corner", apply(qform_of(out), p_out), apply(qform_of(in), p_in), 1e-3);
        if (itk_reads_standard) expect_near("ITK corner", itk_world(go, p_out), itk_world(gi, p_in), 1e-3);
      }
  if (!itk_reads_standard)
    std::printf("note: %s's sform columns disagree with pixdim; ITK places it by pixdim, against the NIfTI "
                "standard, so only the header affines are compared\n", in_path.c_str());
  std::printf("%s (prepared grid of %s frame %d): sform %d qform %d, %s\n", out_path.c_str(), subject.c_str(), frame,
              out.sform_code, out.qform_code, failures ? "MISPLACED" : "corners line up");
  return failures ? 1 : 0;
}

// Decompresses FILE, rewrites its header as ACDC's, writes it back gzipped.
int make_acdc_like(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  std::string data;
  char buf[1 << 16];
  int n;
  while (f && (n = gzread(f, buf, sizeof buf)) > 0) data.append(buf, size_t(n));
  if (f) gzclose(f);
  if (data.size() < 352) return 2;
  float srow[12];
  std::memcpy(srow, data.data() + 280, 48);
  for (int c = 0; c < 3; ++c) {
    const double norm = std::sqrt(srow[c] * srow[c] + srow[4 + c] * srow[4 + c] + srow[8 + c] * srow[8 + c]);
    for (int r = 0; r < 3; ++r) srow[4 * r + c] = float(srow[4 * r + c] / norm);
  }
  const int16_t qform_code = 0, sform_code = 2;
  std::memcpy(data.data() + 280, srow, 48);
  std::memcpy(data.data() + 252, &qform_code, 2);
  std::memcpy(data.data() + 254, &sform_code, 2);
  gzFile o = gzopen(path.c_str(), "wb");
  if (!o || gzwrite(o, data.data(), unsigned(data.size())) != int(data.size())) return 2;
  return gzclose(o) == Z_OK ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "same" && argc == 4) return check_same(argv[2], argv[3]);
    if (mode == "prepared" && argc == 7) return check_prepared(argv[2], argv[3], std::atoi(argv[4]), argv[5], argv[6]);
    if (mode == "acdc-like" && argc == 3) return make_acdc_like(argv[2]);
  } catch (const p2r::Error& e) {
    std::printf("error: %s\n", e.message().c_str());
    return 2;
  }
  std::printf("usage: nifti_affine_check same IN OUT | prepared P2RS SUBJECT FRAME IN OUT | acdc-like FILE\n");
  return 2;
}
