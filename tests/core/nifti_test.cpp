#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "core/common/error.h"
#include "core/io/nifti.h"
#include "tests/core/test_support.h"

namespace p2r {
namespace {

class NiftiTest : public test::ScratchDir {};

Volume make_volume() {
  Volume v;
  v.geometry.size = {7, 5, 3};
  v.geometry.spacing = {1.25, 0.8, 8.0};
  v.geometry.origin = {-10.5, 3.25, 40};
  for (int64_t i = 0; i < v.geometry.voxel_count(); ++i) v.voxels.push_back(float(i) * 0.5f - 7.f);
  return v;
}

TEST_F(NiftiTest, FloatRoundTripKeepsValuesAndGeometry) {
  Volume v = make_volume();
  write_nifti(path("a.nii.gz"), v);
  Volume r = read_nifti(path("a.nii.gz"));
  EXPECT_EQ(r.geometry.size, v.geometry.size);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(r.geometry.spacing[i], v.geometry.spacing[i], 1e-5);
    EXPECT_NEAR(r.geometry.origin[i], v.geometry.origin[i], 1e-4);
  }
  EXPECT_EQ(r.voxels, v.voxels);
}

TEST_F(NiftiTest, Int16AndLabelRoundTrip) {
  Volume v = make_volume();
  write_nifti_int16(path("i.nii"), v);
  Volume r = read_nifti(path("i.nii"));
  for (size_t i = 0; i < v.voxels.size(); ++i) EXPECT_EQ(r.voxels[i], std::round(v.voxels[i]));
  LabelVolume l;
  l.geometry = v.geometry;
  for (int64_t i = 0; i < l.geometry.voxel_count(); ++i) l.voxels.push_back(uint8_t(i % 4));
  write_nifti(path("l.nii.gz"), l);
  EXPECT_EQ(read_nifti_labels(path("l.nii.gz")).voxels, l.voxels);
}

TEST_F(NiftiTest, RejectsLabelsOutsideClasses) {
  Volume v = make_volume();
  for (float& x : v.voxels) x = 5;
  write_nifti(path("bad_gt.nii.gz"), v);
  try {
    read_nifti_labels(path("bad_gt.nii.gz"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("bad_gt.nii.gz"), std::string::npos);
    EXPECT_NE(e.message().find("outside"), std::string::npos);
  }
}

TEST_F(NiftiTest, RejectsNonFiniteVoxels) {
  Volume v = make_volume();
  v.voxels[9] = std::numeric_limits<float>::quiet_NaN();
  write_nifti(path("nan.nii.gz"), v);
  EXPECT_THROW(read_nifti(path("nan.nii.gz")), Error);
}

TEST_F(NiftiTest, RejectsTruncatedNonGzipAndNonNifti) {
  Volume v = make_volume();
  for (float& x : v.voxels) x *= 3.3f;  // incompressible enough to truncate mid-stream
  write_nifti(path("ok.nii.gz"), v);
  std::string bytes = test::read_bytes(path("ok.nii.gz"));
  test::write_bytes(path("trunc.nii.gz"), bytes.substr(0, bytes.size() / 2));
  test::write_bytes(path("plain.nii.gz"), "this is not gzip at all, just text");
  test::write_bytes(path("text.nii"), std::string(400, 'x'));
  for (const char* name : {"trunc.nii.gz", "plain.nii.gz", "text.nii", "missing.nii.gz"}) {
    try {
      read_nifti(path(name));
      ADD_FAILURE() << name << ": expected an error";
    } catch (const Error& e) {
      EXPECT_NE(e.message().find(name), std::string::npos) << e.message();
    }
  }
}

// The message of a truncated gzip stream is zlib's, whole and printable (it was read after the
// stream that owns it was closed: garbage bytes at the end).
TEST_F(NiftiTest, TruncatedGzipMessageIsClean) {
  Volume v = make_volume();
  for (float& x : v.voxels) x *= 3.3f;
  write_nifti(path("ok.nii.gz"), v);
  const std::string bytes = test::read_bytes(path("ok.nii.gz"));
  test::write_bytes(path("trunc.nii.gz"), bytes.substr(0, bytes.size() / 2));
  try {
    read_nifti(path("trunc.nii.gz"));
    FAIL() << "a truncated file was read";
  } catch (const Error& e) {
    const std::string m = e.message();
    const std::string expected = path("trunc.nii.gz") + ": truncated or corrupt gzip stream (";
    ASSERT_EQ(m.rfind(expected, 0), 0u) << m;
    const std::string reason = m.substr(expected.size());
    EXPECT_EQ(reason.back(), ')') << m;
    EXPECT_TRUE(reason == "unexpected end of file)" || reason == "unexpected end of data)") << m;
  }
}

// A header announcing 30000^3 int16 voxels in a file of a few hundred bytes: refused from the
// header, before any allocation for the voxels.
TEST_F(NiftiTest, HeaderAnnouncingMoreVoxelsThanTheFileIsRefused) {
  Volume v = make_volume();
  write_nifti(path("small.nii"), v);
  std::string bytes = test::read_bytes(path("small.nii"));
  const int16_t dim[8] = {3, 30000, 30000, 30000, 1, 1, 1, 1}, int16_type = 4, bits = 16;
  std::memcpy(&bytes[40], dim, sizeof dim);
  std::memcpy(&bytes[70], &int16_type, 2);
  std::memcpy(&bytes[72], &bits, 2);
  test::write_bytes(path("huge.nii"), bytes);
  try {
    read_nifti(path("huge.nii"));
    FAIL() << "a header announcing 54 TB was read";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find(path("huge.nii") + ": truncated voxel data (" + std::to_string(bytes.size()) +
                               " bytes, the header announces 54000000000352)"),
              std::string::npos)
        << e.message();
  }
}

// A 4D cine file, made by relabelling a 3D file whose z holds T stacked volumes (the same bytes).
TEST_F(NiftiTest, CineFileReadsAsOneVolumePerTimePoint) {
  Volume v = make_volume();
  v.geometry.size = {7, 5, 6};
  v.voxels.clear();
  for (int64_t i = 0; i < v.geometry.voxel_count(); ++i) v.voxels.push_back(float(i));
  write_nifti(path("stack.nii"), v);
  std::string bytes = test::read_bytes(path("stack.nii"));
  const int16_t dim[8] = {4, 7, 5, 3, 2, 1, 1, 1};
  std::memcpy(&bytes[40], dim, sizeof dim);
  test::write_bytes(path("cine.nii"), bytes);

  const std::vector<Volume> frames = read_nifti_frames(path("cine.nii"));
  ASSERT_EQ(frames.size(), 2u);
  for (size_t t = 0; t < 2; ++t) {
    EXPECT_EQ(frames[t].geometry.size, (std::array<int, 3>{7, 5, 3}));
    EXPECT_NEAR(frames[t].geometry.spacing[0], 1.25, 1e-6);
    EXPECT_NEAR(frames[t].geometry.spacing[2], 8.0, 1e-6);
    ASSERT_EQ(frames[t].voxels.size(), 105u);
    EXPECT_EQ(frames[t].voxels.front(), float(105 * t));
    EXPECT_EQ(frames[t].voxels.back(), float(105 * t + 104));
  }
  EXPECT_EQ(read_nifti_frames(path("stack.nii")).size(), 1u);
  try {
    read_nifti(path("cine.nii"));
    FAIL() << "a 4D file was read as a 3D volume";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find(path("cine.nii") + ": 4D image with 2 time points"), std::string::npos) << e.message();
  }
}

// A 2D NIfTI file (dim[0] = 2) reads as a volume of one slice.
TEST_F(NiftiTest, TwoDimensionalFileIsOneSlice) {
  Volume v = make_volume();
  v.geometry.size = {7, 5, 1};
  v.voxels.resize(35);
  write_nifti(path("flat.nii"), v);
  std::string bytes = test::read_bytes(path("flat.nii"));
  const int16_t dim[8] = {2, 7, 5, 1, 1, 1, 1, 1};
  std::memcpy(&bytes[40], dim, sizeof dim);
  test::write_bytes(path("2d.nii"), bytes);
  const Volume read = read_nifti(path("2d.nii"));
  EXPECT_EQ(read.geometry.size, (std::array<int, 3>{7, 5, 1}));
  EXPECT_EQ(read.voxels, v.voxels);
  EXPECT_EQ(read_nifti_frames(path("2d.nii")).size(), 1u);
}

// RGB voxels are not an image the studio or the trainers can use: refused naming the file.
TEST_F(NiftiTest, RgbVoxelsAreRefused) {
  Volume v = make_volume();
  write_nifti(path("grey.nii"), v);
  std::string bytes = test::read_bytes(path("grey.nii"));
  const int16_t rgb24 = 128, bits = 24;
  std::memcpy(&bytes[70], &rgb24, 2);
  std::memcpy(&bytes[72], &bits, 2);
  test::write_bytes(path("rgb.nii"), bytes);
  for (auto read : {+[](const std::string& p) { read_nifti(p); }, +[](const std::string& p) { read_nifti_frames(p); }}) {
    try {
      read(path("rgb.nii"));
      ADD_FAILURE() << "an RGB file was read";
    } catch (const Error& e) {
      EXPECT_NE(e.message().find(path("rgb.nii") + ": 3-component pixels"), std::string::npos) << e.message();
    }
  }
}

// ACDC files carry an sform with unit columns (voxel size only in pixdim) and qform_code 0.
TEST_F(NiftiTest, UnscaledSformReadsSpacingFromPixdim) {
  Volume v = make_volume();
  write_nifti(path("s.nii"), v);
  std::string bytes = test::read_bytes(path("s.nii"));
  int16_t qform = 0, sform = 2;
  float srow[12] = {-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0};
  std::memcpy(&bytes[252], &qform, 2);
  std::memcpy(&bytes[254], &sform, 2);
  std::memcpy(&bytes[280], srow, sizeof srow);
  test::write_bytes(path("s.nii"), bytes);
  Volume r = read_nifti(path("s.nii"));
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(r.geometry.spacing[i], v.geometry.spacing[i], 1e-5);
  EXPECT_EQ(r.voxels, v.voxels);
}

// A NIfTI written on the grid of one read carries the read header's geometry fields bit for bit,
// also where ITK would write others (ACDC: sform code 2 with unit columns, qform code 0).
TEST_F(NiftiTest, OutputOnTheInputGridCarriesTheInputHeader) {
  Volume v = make_volume();
  write_nifti(path("s.nii"), v);
  std::string bytes = test::read_bytes(path("s.nii"));
  int16_t qform = 0, sform = 2;
  float srow[12] = {-1, 0, 0, 4.5f, 0, -1, 0, -2, 0, 0, 1, 30};
  std::memcpy(&bytes[252], &qform, 2);
  std::memcpy(&bytes[254], &sform, 2);
  std::memcpy(&bytes[280], srow, sizeof srow);
  test::write_bytes(path("acdc.nii"), bytes);
  const Volume in = read_nifti(path("acdc.nii"));
  ASSERT_TRUE(in.geometry.nifti.has_value());
  EXPECT_EQ(in.geometry.nifti->sform_code, 2);
  LabelVolume labels;
  labels.geometry = in.geometry;
  labels.voxels.assign(size_t(in.geometry.voxel_count()), 1);
  write_nifti(path("pred.nii"), labels);
  const std::string out = test::read_bytes(path("pred.nii"));
  for (auto [at, n] : {std::pair{76, 16}, {252, 76}})  // pixdim[0..3]; codes, quatern, qoffset, srow
    EXPECT_EQ(out.compare(size_t(at), size_t(n), bytes, size_t(at), size_t(n)), 0) << "header bytes at " << at;
  const Volume back = read_nifti(path("pred.nii"));
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(back.geometry.spacing[i], in.geometry.spacing[i], 1e-6);
    EXPECT_NEAR(back.geometry.origin[i], in.geometry.origin[i], 1e-6);
  }
  EXPECT_EQ(back.geometry.direction, in.geometry.direction);
}

// A crop and resize of a grid moves ITK's origin and both header affines to the same world points.
TEST_F(NiftiTest, RegriddedGeometryKeepsWorldPoints) {
  Volume v = make_volume();
  v.geometry.direction = {0, -1, 0, 1, 0, 0, 0, 0, 1};
  write_nifti(path("r.nii"), v);
  const Geometry g = read_nifti(path("r.nii")).geometry;
  ASSERT_TRUE(g.nifti.has_value());
  const std::array<double, 3> scale{0.5, 2.0, 1.0}, offset{1.25, -0.5, 1.0};
  const Geometry r = g.regridded({14, 3, 2}, scale, offset);
  Volume small;
  small.geometry = r;
  small.voxels.assign(size_t(r.voxel_count()), 0.f);
  write_nifti(path("small.nii"), small);
  const Geometry back = read_nifti(path("small.nii")).geometry;
  // Voxel (u, v, w) of the new grid is index offset + scale * (u, v, w) of the old one, in mm.
  auto world = [](const Geometry& geo, std::array<double, 3> p) {
    std::array<double, 3> w{};
    for (int i = 0; i < 3; ++i) {
      w[i] = geo.origin[i];
      for (int j = 0; j < 3; ++j) w[i] += geo.direction[3 * i + j] * geo.spacing[j] * p[j];
    }
    return w;
  };
  for (std::array<double, 3> p : {std::array<double, 3>{0, 0, 0}, {13, 2, 1}}) {
    const auto expected = world(g, {offset[0] + scale[0] * p[0], offset[1] + scale[1] * p[1], offset[2] + p[2]});
    const auto got = world(back, p);
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(got[i], expected[i], 1e-4);
  }
  EXPECT_EQ(back.nifti->sform_code, g.nifti->sform_code);
  EXPECT_NEAR(back.nifti->pixdim[1], g.nifti->pixdim[1] * 2.0, 1e-6);
}

TEST_F(NiftiTest, UnwritablePathFailsWithoutLeavingFiles) {
  Volume v = make_volume();
  EXPECT_THROW(write_nifti(path("no/such/folder/x.nii.gz"), v), Error);
}

}  // namespace
}  // namespace p2r
