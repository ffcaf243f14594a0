#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/data/dataset_preparer.h"
#include "core/data/phantom_writer.h"
#include "core/io/dataset_layout.h"
#include "core/io/nifti.h"
#include "tests/core/test_support.h"

namespace fs = std::filesystem;

namespace p2r {
namespace {

class DatasetTest : public test::ScratchDir {};

void expect_error_naming(const std::function<void()>& f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "expected an error naming " << needle;
  } catch (const Error& e) {
    EXPECT_NE(e.message().find(needle), std::string::npos) << e.message();
  }
}

// A 4 x 4 x 2 volume of ones, and a label map of it that is all MYO.
Volume flat_volume() {
  Volume v;
  v.geometry.size = {4, 4, 2};
  v.voxels.assign(32, 1.f);
  return v;
}
LabelVolume myo_labels() {
  LabelVolume l;
  l.geometry.size = {4, 4, 2};
  l.voxels.assign(32, 2);
  return l;
}

TEST_F(DatasetTest, ParsesInfoCfg) {
  fs::create_directories(path("patient007"));
  test::write_bytes(path("patient007/Info.cfg"), "ED: 1\nES: 12\nGroup: HCM\nHeight: 180.0\nNbFrame: 30\nWeight: 75.5\n");
  test::write_bytes(path("patient007/patient007_frame01.nii.gz"), "");
  test::write_bytes(path("patient007/patient007_frame12.nii.gz"), "");
  test::write_bytes(path("patient007/patient007_frame12_gt.nii.gz"), "");
  SubjectRecord s;
  parse_info_cfg(path("patient007/Info.cfg"), s);
  EXPECT_EQ(s.id, "patient007");
  EXPECT_EQ(s.group, "HCM");
  EXPECT_DOUBLE_EQ(s.height_cm, 180.0);
  EXPECT_DOUBLE_EQ(s.weight_kg, 75.5);
  EXPECT_EQ(s.nb_frames, 30);
  ASSERT_EQ(s.frames.size(), 2u);
  EXPECT_EQ(s.frames[0].phase, Phase::ED);
  EXPECT_FALSE(s.frames[0].has_label());
  EXPECT_EQ(s.frames[1].frame, 12);
  EXPECT_TRUE(s.frames[1].has_label());
}

TEST_F(DatasetTest, BadInfoCfgNamesTheFile) {
  fs::create_directories(path("p"));
  SubjectRecord s;
  expect_error_naming([&] { parse_info_cfg(path("p/Info.cfg"), s); }, "Info.cfg");
  test::write_bytes(path("p/Info.cfg"), "ED: 1\nGroup: NOR\n");
  expect_error_naming([&] { parse_info_cfg(path("p/Info.cfg"), s); }, "missing 'ES'");
  test::write_bytes(path("p/Info.cfg"), "ED: one\nES: 2\nGroup: NOR\n");
  expect_error_naming([&] { parse_info_cfg(path("p/Info.cfg"), s); }, "malformed value for 'ED'");
  test::write_bytes(path("p/Info.cfg"), "ED 1\n");
  expect_error_naming([&] { parse_info_cfg(path("p/Info.cfg"), s); }, "malformed line 1");
  test::write_bytes(path("p/Info.cfg"), "ED: 1\nES: 2\nGroup: NOR\n");
  expect_error_naming([&] { parse_info_cfg(path("p/Info.cfg"), s); }, "p_frame01.nii.gz");
}

TEST_F(DatasetTest, MissingAndEmptyFolders) {
  expect_error_naming([&] { scan_dataset(path("nope")); }, "does not exist");
  fs::create_directories(path("empty"));
  expect_error_naming([&] { scan_dataset(path("empty")); }, "no subjects found");
}

TEST_F(DatasetTest, PhantomLoadsThroughAcdcReader) {
  write_phantom_dataset(m_dir, 3, 7, null_progress());
  Dataset ds = scan_dataset(m_dir);
  EXPECT_EQ(ds.layout, Layout::Acdc);
  ASSERT_EQ(ds.subjects.size(), 3u);
  EXPECT_EQ(ds.subjects[0].id, "patient001");
  EXPECT_EQ(ds.subjects[1].group, "HCM");
  EXPECT_EQ(ds.labelled_frame_count(), 6);
  Volume v = read_nifti(ds.subjects[0].frames[0].image_path);
  LabelVolume l = read_nifti_labels(ds.subjects[0].frames[0].label_path);
  EXPECT_EQ(v.geometry.size, l.geometry.size);
  expect_error_naming([&] { scan_dataset(m_dir, Layout::Acdc, Split::Testing); }, "no subjects found");
}

TEST_F(DatasetTest, PlainFolderMixesLabelledAndUnlabelled) {
  const Volume v = flat_volume();
  const LabelVolume l = myo_labels();
  write_nifti(path("a.nii.gz"), v);
  write_nifti(path("b.nii"), v);
  write_nifti(path("b_gt.nii"), l);
  Dataset ds = scan_dataset(m_dir);
  EXPECT_EQ(ds.layout, Layout::Folder);
  ASSERT_EQ(ds.subjects.size(), 2u);
  EXPECT_FALSE(ds.subjects[0].frames[0].has_label());
  EXPECT_TRUE(ds.subjects[1].frames[0].has_label());
  write_nifti(path("orphan_gt.nii"), l);
  expect_error_naming([&] { scan_dataset(m_dir); }, "orphan_gt.nii");
}

// Files opened one by one: each a subject, its _gt label found beside it; bad lists refused.
TEST_F(DatasetTest, FilesBecomeSubjectsOfAFolderDataset) {
  const Volume v = flat_volume();
  const LabelVolume l = myo_labels();
  fs::create_directories(path("sub"));
  write_nifti(path("b.nii.gz"), v);
  write_nifti(path("b_gt.nii.gz"), l);
  write_nifti(path("sub/a.nii"), v);
  const Dataset ds = dataset_of_files({path("b.nii.gz"), path("sub/a.nii")});
  EXPECT_EQ(ds.layout, Layout::Folder);
  EXPECT_EQ(ds.root, fs::canonical(m_dir).string());
  ASSERT_EQ(ds.subjects.size(), 2u);
  EXPECT_EQ(ds.subjects[0].id, "a");
  EXPECT_FALSE(ds.subjects[0].frames[0].has_label());
  EXPECT_EQ(ds.subjects[1].id, "b");
  EXPECT_EQ(ds.subjects[1].frames[0].label_path, fs::canonical(path("b_gt.nii.gz")).string());
  expect_error_naming([&] { dataset_of_files({path("missing.nii")}); }, path("missing.nii") + ": no such file");
  expect_error_naming([&] { dataset_of_files({path("b_gt.nii.gz")}); }, "a label file");
  expect_error_naming([&] { dataset_of_files({path("b.nii.gz"), path("b.nii.gz")}); }, "a second file named b");
  test::write_bytes(path("notes.txt"), "x");
  expect_error_naming([&] { dataset_of_files({path("notes.txt")}); }, "not a NIfTI file name");
}

// The cine phantom's 4D file reads back frame by frame; its ED frame is the ED file's image.
TEST_F(DatasetTest, CinePhantomWritesTheFourDFile) {
  write_phantom_dataset(m_dir, 1, 7, null_progress(), true);
  const std::string dir = path("training/patient001/");
  const std::vector<Volume> frames = read_nifti_frames(dir + "patient001_4d.nii.gz");
  const Dataset ds = scan_dataset(m_dir);  // the ACDC layout still gives ED and ES only
  ASSERT_EQ(ds.subjects.size(), 1u);
  EXPECT_EQ(int(frames.size()), ds.subjects[0].nb_frames);
  EXPECT_EQ(frames[0].voxels, read_nifti(dir + "patient001_frame01.nii.gz").voxels);
  const SliceSet set = prepare_dataset(dataset_of_files({dir + "patient001_4d.nii.gz"}), PrepareConfig(), null_progress());
  EXPECT_EQ(int(set.volumes.size()), ds.subjects[0].nb_frames);
}

// A 4D cine file prepares as one unlabelled frame per time point (frame numbers 1..T), and the
// motion crop, which needs two frames, works on one such file.
TEST_F(DatasetTest, CineFilePreparesIntoFrames) {
  Volume v;
  v.geometry.size = {32, 32, 6};
  v.geometry.spacing = {1.5, 1.5, 8};
  for (int64_t i = 0; i < v.geometry.voxel_count(); ++i) v.voxels.push_back(float((i * 37) % 101));
  write_nifti(path("stack.nii"), v);
  std::string bytes = test::read_bytes(path("stack.nii"));
  const int16_t dim[8] = {4, 32, 32, 2, 3, 1, 1, 1};
  std::memcpy(&bytes[40], dim, sizeof dim);
  fs::create_directories(path("cine"));
  test::write_bytes(path("cine/heart.nii"), bytes);
  PrepareConfig config;
  config.size = 16;
  const SliceSet set = prepare_dataset(dataset_of_files({path("cine/heart.nii")}), config, null_progress());
  ASSERT_EQ(set.volumes.size(), 3u);
  for (int t = 0; t < 3; ++t) {
    EXPECT_EQ(set.volumes[t].subject, "heart");
    EXPECT_EQ(set.volumes[t].frame, t + 1);
    EXPECT_FALSE(set.volumes[t].has_label);
  }
  EXPECT_EQ(set.slice_count(), 6);
  config.crop = CropMode::Motion;
  PrepareReport report;
  prepare_dataset(dataset_of_files({path("cine/heart.nii")}), config, null_progress(), &report);
  EXPECT_EQ(report.volumes, 3);

  LabelVolume labels;
  labels.geometry.size = {32, 32, 2};
  labels.voxels.assign(32 * 32 * 2, 0);
  write_nifti(path("cine/heart_gt.nii"), labels);
  expect_error_naming([&] { prepare_dataset(dataset_of_files({path("cine/heart.nii")}), config, null_progress()); },
                      "4D cine file (3 time points) with the label file");
}

}  // namespace
}  // namespace p2r
