// Checks against the real ACDC data; skipped with a message when ../shared/data/acdc is absent.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "core/common/progress.h"
#include "core/data/dataset_preparer.h"
#include "core/data/preprocess.h"
#include "core/io/dataset_layout.h"
#include "core/io/nifti.h"
#include "tests/core/test_support.h"

namespace p2r {
namespace {

// pixdim[1..3] read straight from the (gzipped) NIfTI header bytes, independent of ITK.
std::array<float, 3> pixdim_of(const std::string& path);

TEST(Acdc, AllSubjectsLoadWithExpectedFramesAndLabels) {
  P2R_REQUIRE_ACDC();
  Dataset ds = scan_dataset(test::acdc_root(), Layout::Acdc, Split::Training);
  ASSERT_EQ(ds.subjects.size(), 100u);
  EXPECT_EQ(ds.labelled_frame_count(), 200);
  std::map<std::string, int> groups;
  for (const auto& s : ds.subjects) groups[s.group]++;
  EXPECT_EQ(groups.size(), 5u);
  for (const auto& [g, n] : groups) EXPECT_EQ(n, 20) << g;
  // Every 10th subject's volumes are read in full (the whole set is read by the prepare test below).
  for (size_t i = 0; i < ds.subjects.size(); i += 10) {
    const SubjectRecord& s = ds.subjects[i];
    std::ifstream cfg(test::acdc_root() + "/training/" + s.id + "/Info.cfg");
    std::stringstream text;
    text << cfg.rdbuf();
    EXPECT_NE(text.str().find("ED: " + std::to_string(s.frames[0].frame)), std::string::npos) << s.id;
    EXPECT_NE(text.str().find("ES: " + std::to_string(s.frames[1].frame)), std::string::npos) << s.id;
    for (const auto& f : s.frames) {
      Volume v = read_nifti(f.image_path);
      LabelVolume l = read_nifti_labels(f.label_path);  // throws on values outside 0..3
      EXPECT_EQ(v.geometry.size, l.geometry.size) << f.image_path;
      auto pd = pixdim_of(f.image_path);
      for (int k = 0; k < 3; ++k) EXPECT_NEAR(v.geometry.spacing[k], pd[k], 1e-4) << f.image_path;
    }
  }
}

TEST(Acdc, PrepareAllFramesBothCropModes) {
  P2R_REQUIRE_ACDC();
  Dataset ds = scan_dataset(test::acdc_root(), Layout::Acdc, Split::Training);
  for (CropMode mode : {CropMode::Center, CropMode::PaperRoi}) {
    PrepareConfig c;
    c.crop = mode;
    PrepareReport report;
    SliceSet set = prepare_dataset(ds, c, null_progress(), &report);
    EXPECT_EQ(report.volumes, 200);
    EXPECT_EQ(set.slice_count(), 1902);
    if (mode == CropMode::Center) {
      EXPECT_GE(report.labelled_volumes_fully_inside, 195);  // measured 198/200 at 240 mm
    } else {
      EXPECT_EQ(report.labelled_volumes_fully_inside, 200);
    }
    set.validate();
  }
}

std::array<float, 3> pixdim_of(const std::string& path) {
  std::string bytes = test::read_bytes(path);
  // Header fields are inside the gzip stream; reuse the reader's geometry only for non-gz files.
  std::array<float, 3> out{0, 0, 0};
  if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0x1f) {
    std::memcpy(out.data(), bytes.data() + 80, 12);
    return out;
  }
  std::string cmd = "gzip -dc '" + path + "' | head -c 348";
  FILE* pipe = popen(cmd.c_str(), "r");
  char header[348];
  size_t n = pipe ? fread(header, 1, sizeof header, pipe) : 0;
  if (pipe) pclose(pipe);
  if (n == sizeof header) std::memcpy(out.data(), header + 80, 12);
  return out;
}

}  // namespace
}  // namespace p2r
