// Scribbles: NIfTI files on the original grid, their prepared-space mapping, the simulator, class
// balancing and the scribble classifier (phantom data, a tiny backbone; seconds).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/common/error.h"
#include "core/data/phantom.h"
#include "core/data/preprocess.h"
#include "core/data/scribble_set.h"
#include "core/data/scribble_simulator.h"
#include "core/eval/dice.h"
#include "core/io/scribble_file.h"
#include "core/train/class_balance.h"
#include "core/train/pretrainer.h"
#include "core/train/scribble_classifier.h"
#include "core/train/segmenter.h"
#include "tests/core/pretrain_fixtures.h"
#include "tests/core/test_support.h"
#ifdef PIX2REP_HAS_ITK
#include "core/io/nifti.h"
#endif

namespace fs = std::filesystem;

namespace p2r {
namespace {

std::string scratch(const std::string& name) { return test::process_scratch_path("p2r_scribble", name); }

PrepareConfig prepare64(double fov_mm = 240) {
  PrepareConfig pc;
  pc.size = 64;
  pc.fov_mm = fov_mm;
  return pc;
}

// Phantom seed 21: subjects 1..6, volumes 2 (i - 1) (ED) and 2 (i - 1) + 1 (ES).
const SliceSet& phantom() {
  static SliceSet set = make_phantom_slice_set(6, 21, prepare64());
  return set;
}

// The ground truth of phantom volume vi on its original grid.
LabelVolume truth_of(const SliceSet& set, int vi) {
  const VolumeRecord& rec = set.volumes[vi];
  PhantomSubject s = generate_phantom_subject(21, vi / 2 + 1);
  for (const PhantomFrame& f : s.frames)
    if (f.frame == rec.frame) return f.labels;
  ADD_FAILURE() << "no frame " << rec.frame;
  return {};
}

// Simulated scribbles of `planes` labelled slices of each of subjects 1..n, in prepared space.
ScribbleSet simulated(const SliceSet& set, int subjects, int planes, uint64_t seed) {
  ScribbleSet out;
  for (int i = 1; i <= subjects; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "patient%03d", i);
    std::map<int, std::vector<int>> by_volume;
    for (auto [vi, z] : choose_scribble_planes(set, id, planes, seed)) by_volume[vi].push_back(z);
    for (const auto& [vi, zs] : by_volume)
      add_volume_scribbles(set, vi, simulate_scribbles(truth_of(set, vi), zs, ScribbleSimulation(), seed), out);
  }
  return out;
}

// A tiny Pix2Rep backbone (the pretraining tests' configuration, a little wider) pretrained briefly
// on this file's phantom, shared by its tests.
const std::string& backbone() {
  static std::string dir = [] {
    PretrainConfig c = tiny_pretrain_config("scribble_backbone");
    c.model.base = 8;
    c.model.levels = 4;
    c.model.n_ft = 16;
    run_pretraining(c, phantom(), null_progress());
    return c.out_dir;
  }();
  return dir;
}

ScribbleTrainConfig quick(ScribbleHead head = ScribbleHead::Linear) {
  ScribbleTrainConfig c;
  c.head = head;
  c.hidden = 16;
  c.steps = 150;
  c.lr = 3e-2;
  c.seed = 4;
  return c;
}

TEST(ScribbleFile, ValueConventionAndName) {
  EXPECT_EQ(scribble_value(0), 1);  // background strokes are 1: 0 is "not scribbled"
  EXPECT_EQ(scribble_value(3), 4);
  EXPECT_EQ(scribble_class(2), 1);
  EXPECT_EQ(scribble_file_name("patient001", 1), "patient001_frame01_scribbles.nii.gz");
}

#ifdef PIX2REP_HAS_ITK
TEST(ScribbleFile, RoundTripKeepsTheImagesGrid) {
  PhantomSubject s = generate_phantom_subject(21, 2);
  Volume image = s.frames[0].image;
  image.geometry.spacing = {1.4, 1.4, 9};
  image.geometry.origin = {-120.5, 80.25, 12};
  image.geometry.direction = {0, 1, 0, -1, 0, 0, 0, 0, 1};
  const std::string image_path = scratch("image.nii.gz"), path = scratch("patient002_frame01_scribbles.nii.gz");
  write_nifti_int16(image_path, image);
  const Geometry grid = read_nifti(image_path).geometry;
  LabelVolume truth = s.frames[0].labels;
  truth.geometry = grid;
  LabelVolume scribbles = simulate_scribbles(truth, {2, 4}, ScribbleSimulation(), 3);
  write_scribble_file(path, scribbles);
  // Read back by ITK as any viewer would: same grid as the image, same voxels.
  Volume raw = read_nifti(path);
  EXPECT_EQ(grid_difference(raw.geometry, grid), "");
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(raw.geometry.origin[i], image.geometry.origin[i], 1e-3);
  for (int i = 0; i < 9; ++i) EXPECT_NEAR(raw.geometry.direction[i], image.geometry.direction[i], 1e-6);
  LabelVolume back = read_scribble_file(path, grid, image_path);
  EXPECT_EQ(back.voxels, scribbles.voxels);
  EXPECT_GT(std::count_if(back.voxels.begin(), back.voxels.end(), [](uint8_t v) { return v > 0; }), 20);
}

TEST(ScribbleFile, AcdcRoundTripDespiteItsHeaderQuirk) {
  P2R_REQUIRE_ACDC();
  // ACDC's sform has unit columns (voxel size in pixdim only): the scribbles carry the same header
  // and read back onto the image's grid.
  const std::string dir = test::acdc_root() + "/training/patient001/";
  const Volume image = read_nifti(dir + "patient001_frame01.nii.gz");
  LabelVolume truth = read_nifti_labels(dir + "patient001_frame01_gt.nii.gz");
  truth.geometry = image.geometry;
  const LabelVolume scribbles = simulate_scribbles(truth, {4, 5}, ScribbleSimulation(), 1);
  const std::string path = scratch(scribble_file_name("patient001", 1));
  write_scribble_file(path, scribbles);
  const LabelVolume back = read_scribble_file(path, image.geometry, dir + "patient001_frame01.nii.gz");
  EXPECT_EQ(back.voxels, scribbles.voxels);
  EXPECT_EQ(grid_difference(back.geometry, image.geometry), "");
}

TEST(ScribbleFile, AnotherGridOrAValueWithNoClassIsRefused) {
  PhantomSubject s = generate_phantom_subject(21, 1);
  const std::string path = scratch("bad_scribbles.nii.gz");
  LabelVolume scribbles = s.frames[0].labels;
  write_scribble_file(path, scribbles);
  Geometry other = scribbles.geometry;
  other.spacing[0] *= 1.1;
  std::string m = test::error_of([&] { read_scribble_file(path, other, "image.nii.gz"); });
  EXPECT_NE(m.find(path), std::string::npos) << m;
  EXPECT_NE(m.find("image.nii.gz"), std::string::npos) << m;
  EXPECT_NE(m.find("spacing"), std::string::npos) << m;
  other = scribbles.geometry;
  other.size[0] += 2;
  EXPECT_NE(test::error_of([&] { read_scribble_file(path, other, "image.nii.gz"); }).find("shape"), std::string::npos);
  Volume seven;
  seven.geometry = scribbles.geometry;
  seven.voxels.assign(scribbles.voxels.size(), 0.f);
  seven.voxels[10] = 7;
  write_nifti(path, seven);
  m = test::error_of([&] { read_scribble_file(path, scribbles.geometry, "image.nii.gz"); });
  EXPECT_NE(m.find("scribble value 7 has no class"), std::string::npos) << m;
  EXPECT_NE(m.find(path), std::string::npos) << m;
  scribbles.voxels[3] = 9;
  EXPECT_THROW(write_scribble_file(path, scribbles), Error);
}
#endif

TEST(ScribbleSet, AFullLabelScribbleMapsOntoThePreparedLabels) {
  const SliceSet& set = phantom();
  const int vi = 3;
  const VolumeRecord& rec = set.volumes[vi];
  LabelVolume full = truth_of(set, vi);
  for (uint8_t& v : full.voxels) v = scribble_value(v);
  ScribbleSet out;
  add_volume_scribbles(set, vi, full, out);
  ASSERT_EQ(out.slices.size(), size_t(rec.slice_count));
  // Pixels whose centre lies on the image: exactly the prepared labels; the padding: unlabelled.
  LabelVolume ones = full;
  std::fill(ones.voxels.begin(), ones.voxels.end(), 1);
  std::vector<uint8_t> inside(set.pixels_per_slice());
  const int sx = rec.geometry.size[0], sy = rec.geometry.size[1];
  resample_label_slice(ones.voxels.data(), sx, sy, rec.crop, set.size, inside.data());
  for (size_t j = 0; j < out.slices.size(); ++j) {
    const uint8_t* labels = set.label(out.slices[j]);
    for (int64_t p = 0; p < set.pixels_per_slice(); ++p) {
      if (inside[p]) ASSERT_EQ(out.slice_values(j)[p], scribble_value(labels[p])) << "slice " << j << " pixel " << p;
    }
  }
  // Every voxel whose centre lies outside the crop box is counted as lost.
  int64_t outside = 0;
  for (int y = 0; y < sy; ++y)
    for (int x = 0; x < sx; ++x)
      outside += x + 0.5 < rec.crop.x0 || x + 0.5 >= rec.crop.x0 + rec.crop.width || y + 0.5 < rec.crop.y0 ||
                 y + 0.5 >= rec.crop.y0 + rec.crop.height;
  EXPECT_EQ(out.lost_outside_crop, outside * rec.slice_count);
}

TEST(ScribbleSet, StrokesOutsideTheCropAreCountedAndThinStrokesKept) {
  SliceSet set = make_phantom_slice_set(1, 21, prepare64(100));  // a crop smaller than the image
  const VolumeRecord& rec = set.volumes[0];
  ASSERT_GT(rec.crop.x0, 1);
  LabelVolume scribbles = truth_of(set, 0);
  std::fill(scribbles.voxels.begin(), scribbles.voxels.end(), 0);
  const int sx = rec.geometry.size[0], cx = sx / 2, cy = rec.geometry.size[1] / 2;
  scribbles.voxels[scribbles.geometry.index(0, 0, 1)] = 2;  // outside the crop
  // A one-voxel-wide stroke along x through the centre: every voxel lands in a pixel.
  for (int x = cx - 10; x <= cx + 10; ++x) scribbles.voxels[scribbles.geometry.index(x, cy, 1)] = 3;
  ScribbleSet out;
  add_volume_scribbles(set, 0, scribbles, out);
  EXPECT_EQ(out.lost_outside_crop, 1);
  ASSERT_EQ(out.slices.size(), 1u);
  EXPECT_EQ(out.slices[0], rec.first_slice + 1);
  EXPECT_GT(out.class_pixels[2], 0);
  EXPECT_EQ(out.pixel_count(), out.class_pixels[2]);
  // 21 voxels of ~1.5 mm on pixels of 100 / 64 mm: a connected run of about as many pixels.
  EXPECT_GE(out.class_pixels[2], 18);
  // Shapes that differ are refused.
  scribbles.geometry.size[2] += 1;
  EXPECT_THROW(add_volume_scribbles(set, 0, scribbles, out), Error);
}

TEST(ClassBalance, WeightsAreInverseToStrokePixels) {
  const std::vector<double> w = class_balance_weights({100, 10, 0, 50});
  ASSERT_EQ(w.size(), 4u);
  EXPECT_DOUBLE_EQ(w[2], 0.0);
  EXPECT_NEAR(w[0] * 100, w[1] * 10, 1e-9);
  EXPECT_NEAR(w[0] * 100, w[3] * 50, 1e-9);
  EXPECT_NEAR(w[0] * 100 + w[1] * 10 + w[3] * 50, 160, 1e-9);
  EXPECT_THROW(class_balance_weights({0, 0, 0, 0}), Error);
  EXPECT_THROW(class_balance_weights({1, -1}), Error);
}

TEST(ScribbleSimulator, DeterministicWithASeedAndInsideTheStructures) {
  const SliceSet& set = phantom();
  const auto planes = choose_scribble_planes(set, "patient002", 4, 7);
  ASSERT_EQ(planes.size(), 4u);
  const auto fewer = choose_scribble_planes(set, "patient002", 2, 7);
  const std::vector<std::pair<int, int>> prefix(planes.begin(), planes.begin() + 2);
  EXPECT_EQ(fewer, prefix);  // nested
  const int vi = planes[0].first;
  const LabelVolume truth = truth_of(set, vi);
  const LabelVolume a = simulate_scribbles(truth, {planes[0].second}, ScribbleSimulation(), 11);
  const LabelVolume b = simulate_scribbles(truth, {planes[0].second}, ScribbleSimulation(), 11);
  const LabelVolume c = simulate_scribbles(truth, {planes[0].second}, ScribbleSimulation(), 12);
  EXPECT_EQ(a.voxels, b.voxels);
  EXPECT_NE(a.voxels, c.voxels);
  std::set<int> classes_in_truth, classes_scribbled;
  const int64_t plane = int64_t(truth.geometry.size[0]) * truth.geometry.size[1];
  for (int64_t i = 0; i < int64_t(a.voxels.size()); ++i) {
    if (a.voxels[i] == kUnscribbled) continue;
    ASSERT_EQ(scribble_class(a.voxels[i]), truth.voxels[i]) << "stroke voxel " << i << " outside its structure";
    ASSERT_EQ(i / plane, planes[0].second) << "stroke on another plane";
    classes_scribbled.insert(scribble_class(a.voxels[i]));
  }
  for (int64_t i = planes[0].second * plane; i < (planes[0].second + 1) * plane; ++i)
    classes_in_truth.insert(truth.voxels[i]);
  EXPECT_EQ(classes_scribbled, classes_in_truth);  // every structure of the slice gets a stroke
  EXPECT_THROW(choose_scribble_planes(set, "patient404", 1, 0), Error);
}

TEST(ScribbleClassifier, LowersItsLossAndBeatsChanceOnHeldOutSubjects) {
  const SliceSet& set = phantom();
  FrozenSliceFeatures features(backbone(), set, "cpu", "fp32", 2);
  const ScribbleSet scribbles = simulated(set, 3, 4, 1);
  ASSERT_GT(scribbles.pixel_count(), 100);
  for (ScribbleHead head : {ScribbleHead::Linear, ScribbleHead::Mlp}) {
    ScribbleTrainReport report;
    ScribbleClassifier model = ScribbleClassifier::train(features, scribbles, quick(head), nullptr, &report);
    EXPECT_LT(report.final_loss, 0.8 * report.initial_loss) << scribble_head_name(head);
    EXPECT_EQ(report.pixels, scribbles.pixel_count());
    // Held-out subjects 5 and 6 (volumes 8..11), scored per volume.
    double mean = 0, chance = 0;
    for (int vi = 8; vi < 12; ++vi) {
      const VolumeRecord& v = set.volumes[vi];
      std::vector<uint8_t> pred;
      for (int s = 0; s < v.slice_count; ++s) {
        auto p = model.predict_slice(features, v.first_slice + s);
        pred.insert(pred.end(), p.begin(), p.end());
      }
      mean += dice_scores(pred.data(), set.label(v.first_slice), int64_t(pred.size())).mean_foreground() / 4;
    }
    double freq[kNumClasses] = {};
    for (int vi = 8; vi < 12; ++vi)
      for (int64_t i = 0; i < set.volumes[vi].slice_count * set.pixels_per_slice(); ++i)
        freq[set.label(set.volumes[vi].first_slice)[i]] += 1;
    double total = freq[0] + freq[1] + freq[2] + freq[3];
    chance = (freq[1] + freq[2] + freq[3]) / total / 3;
    EXPECT_GT(mean, 4 * chance) << scribble_head_name(head) << ": Dice " << mean << ", chance " << chance;
    EXPECT_GT(mean, 0.12) << scribble_head_name(head) << ": Dice " << mean;
  }
}

TEST(ScribbleClassifier, WarmStartStartsFromTheGivenWeightsAndIsDeterministic) {
  const SliceSet& set = phantom();
  FrozenSliceFeatures features(backbone(), set, "cpu", "fp32", 2);
  const ScribbleSet scribbles = simulated(set, 2, 2, 5);
  ScribbleTrainReport first, warm, cold, again;
  ScribbleClassifier a = ScribbleClassifier::train(features, scribbles, quick(), nullptr, &first);
  ScribbleClassifier b = ScribbleClassifier::train(features, scribbles, quick(), &a, &warm);
  ScribbleClassifier::train(features, scribbles, quick(), nullptr, &cold);
  EXPECT_NEAR(warm.initial_loss, first.final_loss, 1e-5);
  EXPECT_NEAR(cold.initial_loss, first.initial_loss, 1e-6);  // the same seed: the same start
  EXPECT_GT(cold.initial_loss, first.final_loss + 0.1);
  ScribbleClassifier c = ScribbleClassifier::train(features, scribbles, quick(), nullptr, &again);
  EXPECT_EQ(c.head_parameters(), a.head_parameters());
  EXPECT_NE(b.head_parameters(), a.head_parameters());
  // Another head cannot start from these weights.
  std::string m = test::error_of([&] { ScribbleClassifier::train(features, scribbles, quick(ScribbleHead::Mlp), &a); });
  EXPECT_NE(m.find("warm start"), std::string::npos) << m;
  EXPECT_THROW(ScribbleClassifier::train(features, ScribbleSet(), quick()), Error);
}

TEST(ScribbleClassifier, ProbabilitiesSumToOneAndTheirArgmaxIsThePrediction) {
  const SliceSet& set = phantom();
  FrozenSliceFeatures features(backbone(), set, "cpu", "fp32", 2);
  const ScribbleClassifier model = ScribbleClassifier::train(features, simulated(set, 2, 2, 5), quick());
  const int slice = set.volumes[9].first_slice + 4;
  const std::vector<float> p = model.slice_probabilities(features, slice);
  const std::vector<uint8_t> labels = model.predict_slice(features, slice);
  ASSERT_EQ(p.size(), labels.size() * kNumClasses);
  int64_t same = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    const float* q = p.data() + i * kNumClasses;
    EXPECT_NEAR(q[0] + q[1] + q[2] + q[3], 1.f, 1e-5);
    same += int(std::max_element(q, q + kNumClasses) - q) == labels[i];
  }
  EXPECT_GE(double(same), 0.999 * double(labels.size()));  // argmax of softmax rounding ties aside
}

TEST(ScribbleClassifier, SavedFolderLoadsInTheSegmenter) {
  const SliceSet& set = phantom();
  FrozenSliceFeatures features(backbone(), set, "cpu", "fp32", 2);
  const ScribbleSet scribbles = simulated(set, 2, 3, 2);
  for (ScribbleHead head : {ScribbleHead::Linear, ScribbleHead::Mlp}) {
    ScribbleTrainReport report;
    ScribbleClassifier model = ScribbleClassifier::train(features, scribbles, quick(head), nullptr, &report);
    const std::string dir = scratch(std::string("saved_") + scribble_head_name(head));
    model.save(dir, features, "phantom.p2rs", scribbles.subjects(set), quick(head), report);
    EXPECT_TRUE(fs::exists(scribble_record_path(dir)));
    Segmenter segmenter(dir, "cpu", "fp32");
    EXPECT_EQ(segmenter.config().model.head_hidden, head == ScribbleHead::Mlp ? 16 : 0);
    EXPECT_EQ(segmenter.config().subjects, (std::vector<std::string>{"patient001", "patient002"}));
    const int slice = set.volumes[9].first_slice + 4;
    const std::vector<uint8_t> direct = model.predict_slice(features, slice);
    const std::vector<uint8_t> loaded = segmenter.predict(set, {slice});
    int64_t same = 0;
    for (size_t i = 0; i < direct.size(); ++i) same += direct[i] == loaded[i];
    EXPECT_GE(double(same), 0.99 * double(direct.size())) << scribble_head_name(head);
  }
}

}  // namespace
}  // namespace p2r
