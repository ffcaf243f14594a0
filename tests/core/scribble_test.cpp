// Scribbles: NIfTI files on the original grid, their prepared-space mapping, the simulator, class
// balancing and the scribble classifier (phantom data, a tiny backbone; seconds).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/data/phantom.h"
#include "core/data/preprocess.h"
#include "core/data/scribble_set.h"
#include "core/data/scribble_simulator.h"
#include "core/eval/dice.h"
#include "core/eval/segmentation_eval.h"
#include "core/io/class_list.h"
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

// The ACDC four and a fifth class.
ClassList five_classes() {
  ClassList c = acdc_classes();
  c.push_back({"scar", {250, 200, 30}});
  return c;
}

// Writes text to DIR/classes.json (DIR created) and returns DIR.
std::string class_folder(const std::string& name, const std::string& text) {
  const std::string dir = scratch(name);
  fs::create_directories(dir);
  std::ofstream(class_list_path(dir)) << text;
  return dir;
}

// Simulated scribbles of subjects 1..2 with a fifth class: the ground truth's LV strokes of odd
// slices relabelled as class 4, so that the fifth class is learnable (a region of its own).
ScribbleSet simulated_five(const SliceSet& set) {
  ScribbleSet acdc = simulated(set, 2, 3, 2), out;
  out.classes = five_classes();
  out.class_pixels.assign(5, 0);
  out.size = acdc.size;
  out.slices = acdc.slices;
  out.values = acdc.values;
  const int64_t plane = int64_t(acdc.size) * acdc.size;
  for (size_t j = 0; j < out.slices.size(); ++j)
    for (int64_t i = 0; i < plane; ++i) {
      uint8_t& v = out.values[j * plane + i];
      if (v == scribble_value(3) && out.slices[j] % 2) v = scribble_value(4);
      if (v != kUnscribbled) ++out.class_pixels[size_t(scribble_class(v))];
    }
  return out;
}

TEST(ScribbleClassList, JsonRoundTripAndTheAcdcDefault) {
  const ClassList acdc = acdc_classes();
  ASSERT_EQ(acdc.size(), 4u);
  EXPECT_EQ(class_names_text(acdc), "background, RV, MYO, LV");
  // A folder without classes.json has the ACDC four (scribble folders from before class lists).
  const std::string empty = scratch("no_classes");
  fs::create_directories(empty);
  EXPECT_EQ(read_class_list(empty), acdc);
  const std::string dir = scratch("five_classes");
  write_class_list(dir, five_classes());
  EXPECT_EQ(read_class_list(dir), five_classes());
  EXPECT_EQ(class_list_from_json(class_list_to_json(five_classes())), five_classes());
  EXPECT_TRUE(same_class_names(acdc, acdc_classes()));
  EXPECT_FALSE(same_class_names(acdc, five_classes()));
  EXPECT_EQ(class_counts_text(five_classes(), {3, 0, 1, 2}), "background 3, RV 0, MYO 1, LV 2, scar 0");
  EXPECT_THROW(write_class_list(scratch("one_class"), {{"background", {0, 0, 0}}}), Error);
}

TEST(ScribbleClassList, EveryBadFileIsRefusedNamingTheFileAndTheProblem) {
  const std::string one = R"({"name": "background", "rgb": [0, 0, 0]})", two = R"({"name": "LV", "rgb": [1, 2, 3]})";
  auto many = [&](int n) {
    std::string out = "{\"classes\": [" + one;
    for (int i = 1; i < n; ++i) out += R"(, {"name": "c)" + std::to_string(i) + R"(", "rgb": [1, 2, 3]})";
    return out + "]}";
  };
  const std::pair<std::string, std::string> cases[] = {
      {"{\"classes\": [" + one + ", " + two + ", " + two + "]}", "class name 'LV' appears twice"},
      {"{\"classes\": [" + one + "]}", "1 classes (2 to 15 allowed)"},
      {many(16), "16 classes (2 to 15 allowed)"},
      {"{\"classes\": []}", "0 classes"},
      {"{\"classes\": [" + one + R"(, {"name": "", "rgb": [1, 2, 3]}]})", "class 1 has an empty name"},
      {"{\"classes\": [" + one + R"(, {"name": "RV", "rgb": [1, 2, 300]}]})", "class 1 ('RV') has the colour [1,2,300]"},
      {"{\"classes\": [" + one + R"(, {"name": "RV", "rgb": [1, 2]}]})", "class 1 ('RV') has the colour"},
      {"{\"classes\": [" + one + R"(, {"name": "RV", "rgb": "red"}]})", "class 1 ('RV') has the colour"},
      {"{\"classes\": [" + one + R"(, {"name": "RV", "rgb": [1.5, 2, 3]}]})", "has the colour"},
      {"{\"classes\": [" + one + R"(, {"name": "RV"}]})", "class 1 is not"},
      {"{\"classes\": [" + one + R"(, {"name": 3, "rgb": [1, 2, 3]}]})", "class 1 is not"},
      {"{\"classes\": {}}", "must be an array"},
      {"[" + one + ", " + two + "]", "expected {\"classes\""},
      {"{\"classes\": [" + one, "malformed JSON"},
  };
  int n = 0;
  for (const auto& [text, problem] : cases) {
    const std::string dir = class_folder("bad_classes_" + std::to_string(n++), text);
    const std::string m = test::error_of([&] { read_class_list(dir); });
    EXPECT_NE(m.find(class_list_path(dir)), std::string::npos) << m;
    EXPECT_NE(m.find(problem), std::string::npos) << text << ": " << m;
  }
  EXPECT_EQ(read_class_list(class_folder("max_classes", many(15))).size(), 15u);
}

TEST(ScribbleFile, ValueConventionAndName) {
  EXPECT_EQ(scribble_value(0), 1);  // background strokes are 1: 0 is "not scribbled"
  EXPECT_EQ(scribble_value(3), 4);
  EXPECT_EQ(scribble_class(2), 1);
  EXPECT_EQ(scribble_file_name("patient001", 1), "patient001_frame01_scribbles.nii.gz");
}

#ifdef PIX2REP_HAS_ITK
// Writes a NIfTI file on grid that is 0 but for voxel 10, value (what another tool might save).
void write_one_value(const std::string& path, const Geometry& grid, float value) {
  Volume v;
  v.geometry = grid;
  v.voxels.assign(size_t(grid.voxel_count()), 0.f);
  v.voxels[10] = value;
  write_nifti(path, v);
}

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
  write_scribble_file(path, scribbles, acdc_classes());
  // Read back by ITK as any viewer would: same grid as the image, same voxels.
  Volume raw = read_nifti(path);
  EXPECT_EQ(grid_difference(raw.geometry, grid), "");
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(raw.geometry.origin[i], image.geometry.origin[i], 1e-3);
  for (int i = 0; i < 9; ++i) EXPECT_NEAR(raw.geometry.direction[i], image.geometry.direction[i], 1e-6);
  LabelVolume back = read_scribble_file(path, grid, image_path, acdc_classes());
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
  write_scribble_file(path, scribbles, acdc_classes());
  const LabelVolume back = read_scribble_file(path, image.geometry, dir + "patient001_frame01.nii.gz", acdc_classes());
  EXPECT_EQ(back.voxels, scribbles.voxels);
  EXPECT_EQ(grid_difference(back.geometry, image.geometry), "");
}

TEST(ScribbleFile, AnotherGridOrAValueWithNoClassIsRefused) {
  PhantomSubject s = generate_phantom_subject(21, 1);
  const std::string path = scratch("bad_scribbles.nii.gz");
  LabelVolume scribbles = s.frames[0].labels;
  write_scribble_file(path, scribbles, acdc_classes());
  Geometry other = scribbles.geometry;
  other.spacing[0] *= 1.1;
  std::string m = test::error_of([&] { read_scribble_file(path, other, "image.nii.gz", acdc_classes()); });
  EXPECT_NE(m.find(path), std::string::npos) << m;
  EXPECT_NE(m.find("image.nii.gz"), std::string::npos) << m;
  EXPECT_NE(m.find("spacing"), std::string::npos) << m;
  other = scribbles.geometry;
  other.size[0] += 2;
  EXPECT_NE(test::error_of([&] { read_scribble_file(path, other, "image.nii.gz", acdc_classes()); }).find("shape"), std::string::npos);
  write_one_value(path, scribbles.geometry, 7);
  m = test::error_of([&] { read_scribble_file(path, scribbles.geometry, "image.nii.gz", acdc_classes()); });
  EXPECT_NE(m.find("scribble value 7 has no class"), std::string::npos) << m;
  EXPECT_NE(m.find(path), std::string::npos) << m;
  scribbles.voxels[3] = 9;
  EXPECT_THROW(write_scribble_file(path, scribbles, acdc_classes()), Error);
}

TEST(ScribbleFile, AFiveClassListAcceptsValueFiveAndRefusesSix) {
  PhantomSubject s = generate_phantom_subject(21, 1);
  const std::string path = scratch("five_scribbles.nii.gz");
  LabelVolume scribbles = s.frames[0].labels;
  std::fill(scribbles.voxels.begin(), scribbles.voxels.end(), 0);
  scribbles.voxels[10] = 5;
  // Value 5 (the fifth class) has no class in the ACDC list: refused writing and reading.
  EXPECT_NE(test::error_of([&] { write_scribble_file(path, scribbles, acdc_classes()); })
                .find("scribble value 5 has no class (0 unlabelled, 1 background, 2 RV, 3 MYO, 4 LV)"),
            std::string::npos);
  write_scribble_file(path, scribbles, five_classes());
  EXPECT_EQ(read_scribble_file(path, scribbles.geometry, "image.nii.gz", five_classes()).voxels, scribbles.voxels);
  std::string m = test::error_of([&] { read_scribble_file(path, scribbles.geometry, "image.nii.gz", acdc_classes()); });
  EXPECT_NE(m.find("scribble value 5 has no class"), std::string::npos) << m;
  EXPECT_NE(m.find(path), std::string::npos) << m;
  scribbles.voxels[10] = 6;
  EXPECT_THROW(write_scribble_file(path, scribbles, five_classes()), Error);
  write_one_value(path, scribbles.geometry, 6);
  m = test::error_of([&] { read_scribble_file(path, scribbles.geometry, "image.nii.gz", five_classes()); });
  EXPECT_NE(m.find("scribble value 6 has no class (0 unlabelled, 1 background, 2 RV, 3 MYO, 4 LV, 5 scar)"),
            std::string::npos) << m;
  EXPECT_NE(m.find(path), std::string::npos) << m;
}

TEST(ScribbleSet, AFolderReadsItsClassesOrTheAcdcFourWithout) {
  const SliceSet& set = phantom();
  LabelVolume scribbles = truth_of(set, 0);
  std::fill(scribbles.voxels.begin(), scribbles.voxels.end(), 0);
  const int z = set.slices[set.volumes[0].first_slice + 1].z;
  for (int x = 20; x < 40; ++x) scribbles.voxels[scribbles.geometry.index(x, 60, z)] = 5;
  for (int x = 20; x < 40; ++x) scribbles.voxels[scribbles.geometry.index(x, 40, z)] = 1;
  const std::string dir = scratch("five_class_folder");
  fs::create_directories(dir);
  write_scribble_file((fs::path(dir) / scribble_file_name("patient001", set.volumes[0].frame)).string(), scribbles,
                      five_classes());
  // Without classes.json the folder's values are the ACDC four's: value 5 is refused, naming it.
  std::string m = test::error_of([&] { load_scribble_folder(dir, set); });
  EXPECT_NE(m.find("scribble value 5 has no class"), std::string::npos) << m;
  write_class_list(dir, five_classes());
  const ScribbleSet out = load_scribble_folder(dir, set);
  EXPECT_EQ(out.classes, five_classes());
  ASSERT_EQ(out.class_pixels.size(), 5u);
  EXPECT_GT(out.class_pixels[4], 0);
  EXPECT_GT(out.class_pixels[0], 0);
  // A bad classes.json is refused naming it.
  std::ofstream(class_list_path(dir)) << R"({"classes": [{"name": "background", "rgb": [0, 0, 0]}]})";
  m = test::error_of([&] { load_scribble_folder(dir, set); });
  EXPECT_NE(m.find(class_list_path(dir)), std::string::npos) << m;
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
      if (inside[p]) {
        ASSERT_EQ(out.slice_values(j)[p], scribble_value(labels[p])) << "slice " << j << " pixel " << p;
      }
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

TEST(ScribbleClassifier, FiveClassesTrainAndTheirProbabilitiesSumToOne) {
  const SliceSet& set = phantom();
  FrozenSliceFeatures features(backbone(), set, "cpu", "fp32", 2);
  const ScribbleSet scribbles = simulated_five(set);
  ASSERT_GT(scribbles.class_pixels[4], 0);
  ScribbleTrainReport report;
  const ScribbleClassifier model = ScribbleClassifier::train(features, scribbles, quick(), nullptr, &report);
  EXPECT_EQ(model.classes(), five_classes());
  ASSERT_EQ(report.class_pixels.size(), 5u);
  EXPECT_EQ(report.class_pixels, scribbles.class_pixels);
  EXPECT_LT(report.final_loss, 0.8 * report.initial_loss);
  const int slice = scribbles.slices[0];
  const std::vector<float> p = model.slice_probabilities(features, slice);
  const std::vector<uint8_t> labels = model.predict_slice(features, slice);
  ASSERT_EQ(p.size(), labels.size() * 5);
  for (size_t i = 0; i < labels.size(); ++i) {
    const float* q = p.data() + i * 5;
    ASSERT_NEAR(std::accumulate(q, q + 5, 0.f), 1.f, 1e-5) << "pixel " << i;
    ASSERT_LT(labels[i], 5);
  }
  // A warm start needs the same number of classes; the ACDC four cannot start from five.
  const std::string m = test::error_of([&] { ScribbleClassifier::train(features, simulated(set, 2, 3, 2), quick(), &model); });
  EXPECT_NE(m.find("warm start from a classifier of 5 classes"), std::string::npos) << m;
}

TEST(ScribbleClassifier, FiveClassFolderPredictsFiveLabelsAndIsRefusedByEvaluate) {
  const SliceSet& set = phantom();
  FrozenSliceFeatures features(backbone(), set, "cpu", "fp32", 2);
  const ScribbleSet scribbles = simulated_five(set);
  ScribbleTrainReport report;
  const ScribbleClassifier model = ScribbleClassifier::train(features, scribbles, quick(), nullptr, &report);
  const std::string dir = scratch("saved_five");
  model.save(dir, features, "phantom.p2rs", scribbles.subjects(set), quick(), report);
  Segmenter segmenter(dir, "cpu", "fp32");
  EXPECT_EQ(segmenter.config().classes, five_classes());
  std::vector<uint8_t> labels;
  for (int s : scribbles.slices) {
    const auto l = segmenter.predict(set, {s});
    labels.insert(labels.end(), l.begin(), l.end());
  }
  EXPECT_EQ(*std::max_element(labels.begin(), labels.end()), 4);  // the fifth class is predicted
  // Opened again for a warm start, with its classes.
  EXPECT_EQ(ScribbleClassifier::load(dir, features).classes(), five_classes());
  // evaluate scores the dataset's four classes only: refused naming the folder and both lists.
  const std::string m = test::error_of([&] { evaluate_segmenter(segmenter, set, false, null_progress()); });
  EXPECT_NE(m.find(dir), std::string::npos) << m;
  EXPECT_NE(m.find("background, RV, MYO, LV, scar"), std::string::npos) << m;
  EXPECT_NE(m.find("(background, RV, MYO, LV)"), std::string::npos) << m;
}

TEST(ScribbleClassifier, OldFoldersWithoutAClassRecordAreTheAcdcFour) {
  const SliceSet& set = phantom();
  FrozenSliceFeatures features(backbone(), set, "cpu", "fp32", 2);
  const ScribbleSet scribbles = simulated(set, 2, 2, 5);
  ScribbleTrainReport report;
  const ScribbleClassifier model = ScribbleClassifier::train(features, scribbles, quick(), nullptr, &report);
  const std::string dir = scratch("saved_old");
  model.save(dir, features, "phantom.p2rs", scribbles.subjects(set), quick(), report);
  // segment.json as written before class lists: no "classes".
  nlohmann::json j;
  std::ifstream(segment_config_path(dir)) >> j;
  ASSERT_TRUE(j.contains("classes"));
  j.erase("classes");
  std::ofstream(segment_config_path(dir)) << j.dump(2);
  Segmenter segmenter(dir, "cpu", "fp32");
  EXPECT_EQ(segmenter.config().classes, acdc_classes());
  EXPECT_EQ(ScribbleClassifier::load(dir, features).classes(), acdc_classes());
  EXPECT_NO_THROW(evaluate_segmenter(segmenter, set, false, null_progress()));
}

}  // namespace
}  // namespace p2r
