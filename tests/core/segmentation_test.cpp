// Few-shot segmentation on the phantom: probing beats chance, prediction maps back with geometry,
// mismatched models and unlabelled subsets are refused, Mean Teacher trains, the two-stage crop
// refinement crops around the heart (the benchmark itself: benchmark_test.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>

#include "core/common/error.h"
#include "core/data/preprocess.h"
#include "core/eval/heart_crop_refinement.h"
#include "core/eval/segmentation_eval.h"
#include "core/train/segment_trainer.h"
#include "core/train/segmenter.h"
#include "tests/core/segmentation_fixtures.h"
#include "tests/core/test_support.h"
#ifdef PIX2REP_HAS_ITK
#include "core/io/nifti.h"
#endif

namespace p2r {
namespace {

using test::backbone;
using test::phantom;
using test::scratch;
#ifdef PIX2REP_HAS_ITK
using test::phantom_from_files;
#endif

SegmentConfig probe_config(const std::string& name) {
  SegmentConfig c = segment_defaults(SegmentMode::Probe);
  c.backbone_dir = backbone();
  c.subjects = {"patient001", "patient002"};
  c.epochs = 30;
  c.lr_head = 3e-2;  // faster convergence than the paper's 1e-2 keeps the test short
  c.seed = 1;
  c.threads = 2;
  c.device = "cpu";
  c.out_dir = scratch(name);
  return c;
}

TEST(Segmentation, ProbeOnThePhantomBeatsChanceByAWideMargin) {
  SegmentResult r = run_segment_training(probe_config("probe"), phantom(), null_progress());
  Segmenter model(r.out_dir, "cpu");
  // Evaluate on subjects not used for training.
  SliceSet test = phantom().select_volumes({6, 7, 8, 9});
  auto evals = evaluate_segmenter(model, test, false, null_progress());
  ASSERT_EQ(evals.size(), 4u);
  double mean = 0;
  for (const auto& e : evals) mean += e.prepared.mean_foreground() / 4;
  // Chance: labels drawn at random from the class frequencies score each structure's frequency.
  double freq[kNumClasses] = {};
  for (uint8_t l : test.labels) freq[l] += 1.0 / double(test.labels.size());
  const double chance = (freq[1] + freq[2] + freq[3]) / 3;
  EXPECT_GT(mean, 5 * chance) << "probe Dice " << mean << ", chance " << chance;
  EXPECT_GT(mean, 0.2) << "probe Dice " << mean;
}

TEST(Segmentation, PredictionMapsBackToTheOriginalGeometry) {
  SegmentConfig c = probe_config("geometry");
  c.epochs = 2;
  run_segment_training(c, phantom(), null_progress());
  Segmenter model(c.out_dir, "cpu");
  std::vector<uint8_t> pred = model.predict_volume(phantom(), 0);
  LabelVolume back = labels_to_original_space(phantom(), 0, pred);
  EXPECT_EQ(back.geometry.size, phantom().volumes[0].geometry.size);
#ifdef PIX2REP_HAS_ITK
  std::string path = c.out_dir + "/pred.nii.gz";
  back.geometry.spacing = {1.5, 1.5, 10};
  back.geometry.origin = {-12.5, 30, 4};
  write_nifti(path, back);
  LabelVolume read = read_nifti_labels(path);
  EXPECT_EQ(read.voxels, back.voxels);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(read.geometry.origin[i], back.geometry.origin[i], 1e-4);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(read.geometry.spacing[i], back.geometry.spacing[i], 1e-5);
#endif
}

TEST(Segmentation, BadInputIsRefused) {
  SegmentConfig c = probe_config("bad");
  c.subjects = {"patient404"};
  EXPECT_THROW(run_segment_training(c, phantom(), null_progress()), Error);
  // An unlabelled subject in the labelled subset.
  SliceSet unlabelled = phantom();
  for (auto& v : unlabelled.volumes)
    if (v.subject == "patient001") v.has_label = false;
  c.subjects = {"patient001"};
  try {
    run_segment_training(c, unlabelled, null_progress());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("patient001"), std::string::npos);
    EXPECT_NE(e.message().find("no labels"), std::string::npos);
  }
  // A model whose head width does not match its backbone's features.
  SegmentConfig ok = probe_config("mismatch");
  ok.epochs = 1;
  run_segment_training(ok, phantom(), null_progress());
  std::ifstream in(segment_config_path(ok.out_dir));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  text.replace(text.find("\"n_ft\": 16"), 10, "\"n_ft\": 24");
  std::ofstream(segment_config_path(ok.out_dir)) << text;
  EXPECT_THROW(Segmenter(ok.out_dir, "cpu"), Error);
  // A test set without labels: evaluation says why.
  SliceSet nolabels = phantom().select_volumes({10, 11});
  for (auto& v : nolabels.volumes) v.has_label = false;
  SegmentConfig good = probe_config("eval");
  good.epochs = 1;
  run_segment_training(good, phantom(), null_progress());
  try {
    evaluate_segmenter(Segmenter(good.out_dir, "cpu"), nolabels, false, null_progress());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("no labels"), std::string::npos);
  }
}

// Mean Teacher from random weights on the phantom: the labelled loss plus a consistency term on
// every slice; trains, lowers its loss, records its settings and saves a teacher that segments.
TEST(Segmentation, MeanTeacherTrainsAndSavesItsTeacher) {
  SegmentConfig c = segment_defaults(SegmentMode::Supervised);
  c.model.base = 8;
  c.model.levels = 3;
  c.model.n_ft = 8;
  c.mean_teacher = true;
  c.consistency_rampup = 2;
  c.subjects = {"patient001", "patient002"};
  c.epochs = 6;
  c.seed = 2;
  c.threads = 2;
  c.device = "cpu";
  c.out_dir = scratch("mean_teacher");
  SegmentResult r = run_segment_training(c, phantom(), null_progress());
  ASSERT_EQ(int(r.train_loss.size()), 6);
  EXPECT_LT(r.train_loss.back(), r.train_loss.front());
  const SegmentConfig saved = Segmenter(r.out_dir, "cpu").config();
  EXPECT_TRUE(saved.mean_teacher);
  EXPECT_EQ(saved.consistency_rampup, 2);
  EXPECT_DOUBLE_EQ(saved.ema_decay, 0.99);
  // A probe has no trainable backbone to average.
  SegmentConfig probe = segment_defaults(SegmentMode::Probe);
  probe.backbone_dir = scratch("no_backbone_needed");
  probe.subjects = c.subjects;
  probe.mean_teacher = true;
  try {
    probe.validate();
    ADD_FAILURE() << "a Mean Teacher probe was accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("mean_teacher"), std::string::npos) << e.message();
  }
  c.ema_decay = 1.0;
  EXPECT_THROW(c.validate(), Error);
}

// Early stopping: patience epochs without improvement; with Mean Teacher counted from the end of
// the ramp-up at the earliest (a 1-subject teacher lags the student by tens of epochs).
TEST(Segmentation, MeanTeacherPatienceCountsFromTheEndOfTheRampUp) {
  SegmentConfig c = segment_defaults(SegmentMode::Supervised);
  c.patience = 30;
  c.consistency_rampup = 30;
  EXPECT_FALSE(c.stops_after(30, 1));
  EXPECT_TRUE(c.stops_after(31, 1));
  c.mean_teacher = true;
  EXPECT_FALSE(c.stops_after(31, 1));
  EXPECT_FALSE(c.stops_after(59, 1));
  EXPECT_TRUE(c.stops_after(60, 1));
  EXPECT_FALSE(c.stops_after(69, 40));  // an improvement after the ramp-up restarts the count
  EXPECT_TRUE(c.stops_after(70, 40));
  c.consistency_rampup = 0;
  EXPECT_TRUE(c.stops_after(31, 1));
}

#ifdef PIX2REP_HAS_ITK
// Share of the heart (label > 0) among a set's labelled pixels.
double heart_share(const SliceSet& set) {
  return double(std::count_if(set.labels.begin(), set.labels.end(), [](uint8_t l) { return l > 0; })) /
         double(set.labels.size());
}
#endif

TEST(Segmentation, TwoStageRefinementCropsAroundTheHeart) {
#ifndef PIX2REP_HAS_ITK
  GTEST_SKIP() << "the refinement reads the source files again (needs ITK)";
#else
  const SliceSet& set = phantom_from_files();
  const VolumeRecord& v0 = set.volumes[0];
  const int64_t n = int64_t(v0.slice_count) * set.pixels_per_slice();
  const std::vector<uint8_t> truth(set.label(v0.first_slice), set.label(v0.first_slice) + n);
  const LabelVolume source = read_nifti_labels(v0.label_path);
  // The true labels as the prediction: the box holds the whole heart.
  const std::optional<PredictedHeart> heart = predicted_heart(set, 0, truth, 4, 10);
  ASSERT_TRUE(heart);
  const CropBox& box = heart->box;
  EXPECT_TRUE(crop_contains_labels(source, box));
  const double source_heart =
      double(std::count_if(source.voxels.begin(), source.voxels.end(), [](uint8_t l) { return l > 0; }));
  EXPECT_NEAR(double(heart->voxels), source_heart, 0.1 * source_heart)
      << "the prepared labels mapped back to the source grid hold about the source heart";
  // A stray piece far from the heart (the first slice's corner) does not move it.
  std::vector<uint8_t> stray = truth;
  ASSERT_EQ(stray[0], 0);
  stray[0] = stray[1] = 3;
  const std::optional<PredictedHeart> kept = predicted_heart(set, 0, stray, 4, 10);
  ASSERT_TRUE(kept);
  EXPECT_DOUBLE_EQ(kept->box.x0, box.x0);
  EXPECT_DOUBLE_EQ(kept->box.y0, box.y0);
  EXPECT_DOUBLE_EQ(kept->box.width, box.width);
  EXPECT_DOUBLE_EQ(kept->box.height, box.height);
  EXPECT_EQ(kept->voxels, heart->voxels);
  EXPECT_FALSE(predicted_heart(set, 0, std::vector<uint8_t>(size_t(n), 0), 4, 10)) << "no heart, no box";
  EXPECT_THROW(predicted_heart(set, 0, std::vector<uint8_t>(size_t(n) - 1, 0), 4, 10), Error);

  // The labelled subjects' own crops: the paper's box around their labels, read from the sources.
  const SliceSet crops = crop_around_labels(set, {v0.subject});
  ASSERT_EQ(crops.volumes.size(), 2u);  // ED and ES
  EXPECT_EQ(crops.size, set.size);
  const CropBox expected = label_roi_box(source, set.config.margin_voxels);
  EXPECT_DOUBLE_EQ(crops.volumes[0].crop.x0, expected.x0);
  EXPECT_DOUBLE_EQ(crops.volumes[0].crop.width, expected.width);
  EXPECT_GT(heart_share(crops), 1.5 * heart_share(set.select_volumes({0, 1}))) << "tighter than the centre crop";
  EXPECT_NE(test::error_of([&] { crop_around_labels(set, {"patient999"}); }).find("none of the subjects"),
            std::string::npos);
  SliceSet moved = set.select_volumes({0});
  moved.volumes[0].image_path += ".gone";
  EXPECT_NE(test::error_of([&] { crop_around_labels(moved, {v0.subject}); }).find(".gone"), std::string::npos);
#endif
}

// A subject's frames check each other's predicted heart: a frame whose prediction is a stray piece
// (or nothing) takes the box of its subject's largest predicted heart; one whose box agrees keeps
// its own; other subjects and other grids are not mixed in.
TEST(Segmentation, ASubjectsFramesCheckEachOthersHeartBox) {
#ifndef PIX2REP_HAS_ITK
  GTEST_SKIP() << "the heart boxes map predictions to the source grid (needs ITK)";
#else
  const SliceSet& set = phantom_from_files();
  const SliceSet two = set.select_volumes({0, 1, 2});  // ED and ES of one subject, ED of the next
  ASSERT_EQ(two.volumes[0].subject, two.volumes[1].subject);
  ASSERT_NE(two.volumes[0].subject, two.volumes[2].subject);
  auto truth = [&](int v) {
    const VolumeRecord& r = two.volumes[size_t(v)];
    return std::vector<uint8_t>(two.label(r.first_slice),
                                two.label(r.first_slice) + int64_t(r.slice_count) * two.pixels_per_slice());
  };
  auto heart = [&](int v, const std::vector<uint8_t>& prediction) { return predicted_heart(two, v, prediction, 4, 10); };
  std::vector<uint8_t> stray(truth(1).size(), 0);
  stray[0] = stray[1] = 3;  // the ES prediction: two pixels in the first slice's corner
  const std::vector<std::optional<PredictedHeart>> hearts = {heart(0, truth(0)), heart(1, stray), heart(2, truth(2))};
  ASSERT_TRUE(hearts[0] && hearts[1] && hearts[2]);
  EXPECT_GT(hearts[0]->voxels, 100 * hearts[1]->voxels);
  auto same = [](const std::optional<CropBox>& a, const CropBox& b) {
    return a && a->x0 == b.x0 && a->y0 == b.y0 && a->width == b.width && a->height == b.height;
  };
  const LabelVolume es_labels = read_nifti_labels(two.volumes[1].label_path);

  const auto each = frame_boxes(two, hearts, FrameBoxes::Each);
  EXPECT_TRUE(same(each[0], hearts[0]->box));
  EXPECT_TRUE(same(each[1], hearts[1]->box));
  EXPECT_FALSE(crop_contains_labels(es_labels, *each[1])) << "the stray box misses the ES heart";
  const auto checked = frame_boxes(two, hearts, FrameBoxes::Checked);
  EXPECT_TRUE(same(checked[0], hearts[0]->box));
  EXPECT_TRUE(same(checked[1], hearts[0]->box)) << "the stray box's centre lies outside ED's box";
  EXPECT_TRUE(crop_contains_labels(es_labels, *checked[1]));
  EXPECT_TRUE(same(checked[2], hearts[2]->box)) << "another subject is not mixed in";
  const std::vector<std::optional<PredictedHeart>> agreeing = {hearts[0], heart(1, truth(1)), hearts[2]};
  EXPECT_TRUE(same(frame_boxes(two, agreeing, FrameBoxes::Checked)[1], agreeing[1]->box)) << "ES keeps its own box";
  // A heart inside ED's box but too small to be the whole ES heart: ED's box.
  const int64_t least = int64_t(std::ceil(kMinFrameHeartShare * double(hearts[0]->voxels)));
  const CropBox inner{hearts[0]->box.x0 + 2, hearts[0]->box.y0 + 2, 4, 4};
  auto with_es = [&](int64_t voxels) {
    return frame_boxes(two, {hearts[0], PredictedHeart{inner, voxels}, hearts[2]}, FrameBoxes::Checked)[1];
  };
  EXPECT_TRUE(same(with_es(least - 1), hearts[0]->box)) << "a heart below the share takes ED's box";
  EXPECT_TRUE(same(with_es(least), inner)) << "a heart of the share keeps its own box";

  // No heart predicted on ES: each leaves it without a box, checked gives it ED's.
  const std::vector<std::optional<PredictedHeart>> none = {hearts[0], std::nullopt, hearts[2]};
  EXPECT_FALSE(frame_boxes(two, none, FrameBoxes::Each)[1]);
  EXPECT_TRUE(same(frame_boxes(two, none, FrameBoxes::Checked)[1], hearts[0]->box));
  EXPECT_FALSE(frame_boxes(two, {std::nullopt, std::nullopt, hearts[2]}, FrameBoxes::Checked)[1]);
  // Another grid is another scan, not a frame of the same one.
  SliceSet moved = two;
  moved.volumes[1].geometry.origin[0] += 1;
  EXPECT_TRUE(same(frame_boxes(moved, hearts, FrameBoxes::Checked)[1], hearts[1]->box));

  EXPECT_EQ(frame_boxes_from_name("checked"), FrameBoxes::Checked);
  const std::string error = test::error_of([] { frame_boxes_from_name("union"); });
  EXPECT_NE(error.find("'union'"), std::string::npos) << error;
  EXPECT_NE(error.find("each, checked"), std::string::npos) << error;
  EXPECT_THROW(frame_boxes(two, {hearts[0]}, FrameBoxes::Each), Error);
#endif
}

}  // namespace
}  // namespace p2r
