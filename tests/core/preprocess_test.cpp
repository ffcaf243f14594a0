#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/common/error.h"
#include "core/data/motion_roi.h"
#include "core/data/phantom.h"
#include "core/data/preprocess.h"

namespace p2r {
namespace {

// Volume with a labelled square block and intensities ramping in x.
struct Synthetic {
  Volume image;
  LabelVolume labels;
};

Synthetic make_block(int nx = 60, int ny = 50, int nz = 3, double spacing = 2.0) {
  Synthetic s;
  s.image.geometry.size = s.labels.geometry.size = {nx, ny, nz};
  s.image.geometry.spacing = s.labels.geometry.spacing = {spacing, spacing, 10};
  for (int z = 0; z < nz; ++z)
    for (int y = 0; y < ny; ++y)
      for (int x = 0; x < nx; ++x) {
        s.image.voxels.push_back(float(100 + 10 * x));
        bool in = x >= 25 && x < 35 && y >= 20 && y < 30;
        s.labels.voxels.push_back(in ? uint8_t(1 + (x + y + z) % 3) : 0);
      }
  return s;
}

TEST(Preprocess, PercentilesOfARamp) {
  std::vector<float> v;
  for (int i = 0; i <= 100; ++i) v.push_back(float(i));
  auto [lo, hi] = intensity_percentiles(v, 1, 99);
  EXPECT_FLOAT_EQ(lo, 1.f);
  EXPECT_FLOAT_EQ(hi, 99.f);
  EXPECT_THROW(intensity_percentiles({}, 1, 99), Error);
}

TEST(Preprocess, OutputRangeShapeAndProvenance) {
  Synthetic s = make_block();
  PrepareConfig c;
  c.size = 32;
  c.fov_mm = 80;
  VolumeRecord base;
  base.subject = "patient999";
  PreparedVolume pv = prepare_volume(s.image, &s.labels, c, base);
  EXPECT_EQ(pv.images.size(), 3u * 32 * 32);
  EXPECT_EQ(pv.record.subject, "patient999");
  EXPECT_EQ(pv.record.slice_count, 3);
  EXPECT_TRUE(pv.record.has_label);
  EXPECT_NEAR(pv.record.crop.width, 40.0, 1e-9);  // 80 mm / 2 mm
  EXPECT_NEAR(pv.record.crop.x0, 10.0, 1e-9);
  auto [mn, mx] = std::minmax_element(pv.images.begin(), pv.images.end());
  EXPECT_GE(*mn, 0.f);
  EXPECT_LE(*mx, 1.f);
  std::set<int> values(pv.labels.begin(), pv.labels.end());
  for (int v : values) EXPECT_TRUE(v >= 0 && v <= 3);
}

TEST(Preprocess, NearestResamplingKeepsLabelValuesAndIdentityCropIsExact) {
  Synthetic s = make_block(32, 32, 1);
  CropBox identity{0, 0, 32, 32};
  std::vector<uint8_t> out(32 * 32);
  resample_label_slice(s.labels.voxels.data(), 32, 32, identity, 32, out.data());
  EXPECT_EQ(out, s.labels.voxels);
  std::vector<float> img(32 * 32);
  resample_image_slice(s.image.voxels.data(), 32, 32, identity, 32, img.data());
  for (size_t i = 0; i < img.size(); ++i) EXPECT_FLOAT_EQ(img[i], s.image.voxels[i]);
  // Downsampling by nearest neighbour never invents a label value.
  std::vector<uint8_t> small(13 * 13);
  resample_label_slice(s.labels.voxels.data(), 32, 32, identity, 13, small.data());
  std::set<uint8_t> in(s.labels.voxels.begin(), s.labels.voxels.end()), got(small.begin(), small.end());
  for (uint8_t v : got) EXPECT_TRUE(in.count(v));
}

TEST(Preprocess, LabelsMapBackToTheOriginalGrid) {
  Synthetic s = make_block();
  PrepareConfig c;
  c.size = 80;  // 2x upsampling of the 40-voxel crop: mapping back is exact
  c.fov_mm = 80;
  SliceSet set;
  set.size = c.size;
  append_prepared_volume(set, prepare_volume(s.image, &s.labels, c, VolumeRecord()));
  LabelVolume back = labels_to_original_space(set, 0, set.labels);
  EXPECT_EQ(back.geometry.size, s.labels.geometry.size);
  EXPECT_EQ(back.voxels, s.labels.voxels);  // block lies inside the crop
}

TEST(Preprocess, PaperRoiCropsToLabelsPlusMargin) {
  Synthetic s = make_block();
  CropBox box = label_roi_box(s.labels, 10);
  EXPECT_DOUBLE_EQ(box.x0, 15);
  EXPECT_DOUBLE_EQ(box.width, 30);
  EXPECT_DOUBLE_EQ(box.y0, 10);
  EXPECT_DOUBLE_EQ(box.height, 30);
  PrepareConfig c;
  c.crop = CropMode::PaperRoi;
  EXPECT_THROW(prepare_volume(s.image, nullptr, c, VolumeRecord()), Error) << "paper-roi needs labels";
  EXPECT_TRUE(crop_contains_labels(s.labels, box));
  EXPECT_FALSE(crop_contains_labels(s.labels, CropBox{0, 0, 30, 30}));
}

TEST(Preprocess, APaperRoiCropIsThePreparationInTheLabelBox) {
  Synthetic s = make_block();
  PrepareConfig c;
  c.crop = CropMode::PaperRoi;
  c.size = 32;
  const PreparedVolume roi = prepare_volume(s.image, &s.labels, c, VolumeRecord());
  const PreparedVolume boxed =
      prepare_volume_in_box(s.image, &s.labels, c, VolumeRecord(), label_roi_box(s.labels, c.margin_voxels), "given");
  EXPECT_EQ(boxed.images, roi.images);
  EXPECT_EQ(boxed.labels, roi.labels);
  EXPECT_EQ(boxed.record.crop_source, "given");
  EXPECT_EQ(roi.record.crop_source, "paper-roi");
  s.labels.geometry.size[2] = 2;
  EXPECT_THROW(prepare_volume_in_box(s.image, &s.labels, c, VolumeRecord(), CropBox{0, 0, 30, 30}, "given"), Error);
}

TEST(Preprocess, MismatchedShapesAreRefused) {
  Synthetic s = make_block();
  s.labels.geometry.size[2] = 2;
  try {
    prepare_volume(s.image, &s.labels, PrepareConfig(), VolumeRecord());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("60x50x2"), std::string::npos) << e.message();
  }
}

TEST(Preprocess, InvalidConfigIsRefused) {
  PrepareConfig c;
  c.size = 0;
  EXPECT_THROW(c.validate(), Error);
  c = PrepareConfig();
  c.percentile_low = 99;
  c.percentile_high = 1;
  EXPECT_THROW(c.validate(), Error);
}

}  // namespace
}  // namespace p2r

namespace p2r {
namespace {

// The motion crop finds the phantom's heart from its ED and ES frames alone, keeps all of it in a
// box tighter than the centre crop, and falls back (saying why) without a second frame.
TEST(MotionRoi, BoxesTheMovingHeartWithoutLabels) {
  const PhantomSubject subject = generate_phantom_subject(7, 3);
  ASSERT_GE(subject.frames.size(), 2u);
  PrepareConfig config;
  config.crop = CropMode::Motion;
  const MotionRoi roi = motion_roi_box({&subject.frames[0].image, &subject.frames[1].image}, config);
  ASSERT_TRUE(roi.box) << roi.fallback_reason;
  const CropBox centre = center_crop_box(subject.frames[0].image.geometry, config.fov_mm);
  EXPECT_LT(roi.box->width, centre.width);
  const Geometry& g = subject.frames[0].image.geometry;
  EXPECT_NEAR(roi.box->width * g.spacing[0], roi.box->height * g.spacing[1], 1e-9) << "square in millimetres";
  for (const PhantomFrame& f : subject.frames) EXPECT_TRUE(crop_contains_labels(f.labels, *roi.box));
  const PreparedVolume pv = prepare_volume(subject.frames[0].image, nullptr, config, VolumeRecord(), &roi);
  EXPECT_EQ(pv.record.crop_source, "motion");

  const MotionRoi single = motion_roi_box({&subject.frames[0].image}, config);
  EXPECT_FALSE(single.box);
  const PreparedVolume fallback = prepare_volume(subject.frames[0].image, nullptr, config, VolumeRecord(), &single);
  EXPECT_EQ(fallback.record.crop_source, "center (motion ROI: single frame)");
  EXPECT_DOUBLE_EQ(fallback.record.crop.width, centre.width);

  Volume other = subject.frames[1].image;
  other.geometry.spacing[0] *= 2;
  EXPECT_EQ(motion_roi_box({&subject.frames[0].image, &other}, config).fallback_reason, "frames on different grids");
  const MotionRoi still = motion_roi_box({&subject.frames[0].image, &subject.frames[0].image}, config);
  EXPECT_EQ(still.fallback_reason, "no motion between frames");
  config.motion_min_side_mm = 0;
  EXPECT_THROW(config.validate(), Error);
  EXPECT_EQ(parse_crop_mode("motion"), CropMode::Motion);
  EXPECT_THROW(parse_crop_mode("heart"), Error);
}

}  // namespace
}  // namespace p2r
