#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

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

TEST_F(NiftiTest, UnwritablePathFailsWithoutLeavingFiles) {
  Volume v = make_volume();
  EXPECT_THROW(write_nifti(path("no/such/folder/x.nii.gz"), v), Error);
}

}  // namespace
}  // namespace p2r
