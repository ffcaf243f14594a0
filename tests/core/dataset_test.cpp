#include <gtest/gtest.h>

#include <filesystem>

#include "core/common/error.h"
#include "core/common/progress.h"
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
  Volume v;
  v.geometry.size = {4, 4, 2};
  v.voxels.assign(32, 1.f);
  LabelVolume l;
  l.geometry = v.geometry;
  l.voxels.assign(32, 2);
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

}  // namespace
}  // namespace p2r
