// Opening things in the studio (GL-free parts): where dropped or chosen paths go, the menu's
// commands as scripts run them, the remembered settings, the layout under the menu bar, and the
// native view's source slices and its mapping to prepared pixels.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/studio/data_loader.h"
#include "app/studio/file_dialog.h"
#include "app/studio/menu_actions.h"
#include "app/studio/path_kind.h"
#include "app/studio/studio_layout.h"
#include "app/studio/studio_session.h"
#include "app/studio/source_slices.h"
#include "app/studio/studio_settings.h"
#include "app/studio/view_grid.h"
#include "core/common/error.h"
#include "core/data/phantom.h"
#include "core/data/phantom_writer.h"
#include "core/io/nifti.h"

using namespace p2r;
using namespace p2r::studio;
namespace fs = std::filesystem;

namespace {

class StudioOpen : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("p2r_studio_open_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  std::string touch(const std::string& relative, const std::string& text = "x") {
    const fs::path p = m_dir / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  fs::path m_dir;
};

}  // namespace

TEST_F(StudioOpen, PathsGoWhereTheyBelong) {
  touch("pre/config.json");
  touch("pre/checkpoint.pt");
  touch("seg/segment.json");
  touch("bench/runs.csv");
  const std::string image = touch("a.nii.gz"), other = touch("b.nii");
  EXPECT_EQ(kind_of_paths({(m_dir / "pre").string()}), PathKind::Backbone);
  EXPECT_EQ(kind_of_paths({(m_dir / "seg").string()}), PathKind::Model);
  EXPECT_EQ(kind_of_paths({(m_dir / "bench").string()}), PathKind::Results);
  EXPECT_EQ(kind_of_paths({(m_dir / "bench/runs.csv").string()}), PathKind::Results);
  EXPECT_EQ(kind_of_paths({image}), PathKind::Data);
  EXPECT_EQ(kind_of_paths({image, other}), PathKind::Data);
  EXPECT_EQ(kind_of_paths({m_dir.string()}), PathKind::Data);           // a dataset folder
  EXPECT_EQ(kind_of_paths({(m_dir / "missing").string()}), PathKind::Data);  // the loader names it
  EXPECT_EQ(kind_of_paths({}), PathKind::Data);                           // the built-in demo
}

TEST_F(StudioOpen, LoaderRefusesMixedOrMissingPathsNamingThem) {
  const std::string image = touch("a.nii.gz");
  for (const auto& [paths, needle] :
       std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{image, m_dir.string()}, m_dir.string() + " with other files"},
           {{(m_dir / "gone.nii").string()}, (m_dir / "gone.nii").string() + ": no such file"},
           {{image}, image + ": "}}) {  // a file named .nii.gz that is not gzip
    try {
      load_slices(paths, null_progress());
      ADD_FAILURE() << "loaded " << needle;
    } catch (const Error& e) {
      EXPECT_NE(e.message().find(needle), std::string::npos) << e.message();
    }
  }
  EXPECT_EQ(sources_description({}), "built-in demo");
  EXPECT_EQ(sources_description({"a.nii", "b.nii", "c.nii"}), "a.nii and 2 more files");
  EXPECT_EQ(prepared_file_of({image}), "");
}

TEST_F(StudioOpen, MenuCommandsRunAsAClickWould) {
  StudioSession session;
  run_menu_action(session, "Export/Figure...");
  EXPECT_TRUE(session.exporter.window_open);
  run_menu_action(session, "View/Side panels");
  EXPECT_FALSE(session.show_side_panels);
  run_menu_action(session, "Jobs/Segment...");
  EXPECT_TRUE(session.show_tools);
  EXPECT_EQ(session.jobs.show_tab, StudioJobs::Tab::Segment);
  run_menu_action(session, "File/Open path...");
  EXPECT_TRUE(session.path_prompt);
  run_menu_action(session, "File/Quit");
  EXPECT_TRUE(session.quit_requested);
  try {
    run_menu_action(session, "View/Reset view");  // nothing open
    ADD_FAILURE() << "a disabled item ran";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("menu item View/Reset view is disabled now"), std::string::npos) << e.message();
  }
  try {
    run_menu_action(session, "Edit/Undo");
    ADD_FAILURE() << "an unknown item ran";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("no menu item 'Edit/Undo' (known: File/Open files..."), std::string::npos) << e.message();
  }
}

TEST_F(StudioOpen, SettingsRememberRecentDataAndTheWindow) {
  StudioSettings s;
  for (int i = 0; i < 12; ++i) s.remember({(m_dir / ("f" + std::to_string(i) + ".nii")).string()});
  s.remember({(m_dir / "f5.nii").string()});
  s.remember({});  // the demo is not a recent file
  ASSERT_EQ(s.recent.size(), StudioSettings::kMaxRecent);
  EXPECT_EQ(s.recent[0], std::vector<std::string>{(m_dir / "f5.nii").string()});
  EXPECT_EQ(s.recent[1], std::vector<std::string>{(m_dir / "f11.nii").string()});
  s.width = 1600;
  s.height = 1000;
  const std::string path = (m_dir / "config" / "studio.json").string();
  EXPECT_EQ(save_studio_settings(path, s), "");
  std::string problem;
  const StudioSettings read = load_studio_settings(path, problem);
  EXPECT_EQ(problem, "");
  EXPECT_EQ(read.width, 1600);
  EXPECT_EQ(read.height, 1000);
  EXPECT_EQ(read.recent, s.recent);

  touch("bad/studio.json", "{ not json");
  const StudioSettings fallback = load_studio_settings((m_dir / "bad/studio.json").string(), problem);
  EXPECT_NE(problem.find((m_dir / "bad/studio.json").string() + ": unreadable studio settings"), std::string::npos);
  EXPECT_EQ(fallback.width, StudioSettings().width);
  EXPECT_TRUE(load_studio_settings((m_dir / "none.json").string(), problem).recent.empty());
  EXPECT_EQ(problem, "");

  setenv("P2R_CONFIG_DIR", m_dir.c_str(), 1);
  EXPECT_EQ(studio_settings_path(), (m_dir / "studio.json").string());
  unsetenv("P2R_CONFIG_DIR");
  setenv("XDG_CONFIG_HOME", m_dir.c_str(), 1);
  EXPECT_EQ(studio_settings_path(), (m_dir / "pix2rep" / "studio.json").string());
  unsetenv("XDG_CONFIG_HOME");
}

TEST(StudioLayout, MenuBarAndHiddenSidePanels) {
  const StudioLayout l = compute_layout(1280, 800, 19, false, true, 19);
  EXPECT_FLOAT_EQ(l.dataset.y, 19.f);
  EXPECT_FLOAT_EQ(l.image.y, 19.f);
  EXPECT_FLOAT_EQ(l.status.y + l.status.h, 800.f);
  EXPECT_FLOAT_EQ(l.image.y + l.image.h, l.status.y);
  const StudioLayout bare = compute_layout(1280, 800, 19, false, false, 19);
  EXPECT_FLOAT_EQ(bare.dataset.w, 0.f);
  EXPECT_FLOAT_EQ(bare.image.x, 0.f);
  EXPECT_FLOAT_EQ(bare.image.w, 1280.f);
}

TEST(ViewGrid, PreparedViewIsTheIdentity) {
  const ViewGrid g = ViewGrid::prepared(128);
  int u = 0, v = 0;
  ASSERT_TRUE(g.to_prepared({56.3f, 55.9f}, u, v));
  EXPECT_EQ(u, 56);
  EXPECT_EQ(v, 55);
  EXPECT_FLOAT_EQ(g.from_prepared(56, 55).x, 56.5f);
  EXPECT_FALSE(g.to_prepared({128.f, 3.f}, u, v));
}

TEST(ViewGrid, NativeViewPlacesThePreparedCropOnTheSourceGrid) {
  VolumeRecord record;
  record.geometry.spacing = {1.0, 2.0, 10.0};  // pixels twice as tall as wide
  record.crop = {10, -5, 160, 80};
  const ViewGrid g = ViewGrid::native_of(record, 128);
  EXPECT_TRUE(g.native);
  EXPECT_FLOAT_EQ(g.aspect, 2.f);
  EXPECT_FLOAT_EQ(g.prepared_origin().y, -10.f);
  EXPECT_FLOAT_EQ(g.prepared_extent().y, 160.f);
  int u = 0, v = 0;
  for (int pu : {0, 1, 63, 127})
    for (int pv : {0, 64, 127}) {
      ASSERT_TRUE(g.to_prepared(g.from_prepared(pu, pv), u, v));
      EXPECT_EQ(u, pu);
      EXPECT_EQ(v, pv);
    }
  EXPECT_FALSE(g.to_prepared({9.9f, 20.f}, u, v));   // left of the crop
  EXPECT_FALSE(g.to_prepared({100.f, 150.f}, u, v));  // below it
  int x = 0, y = 0;
  g.to_source({37.5f, 41.f}, x, y);
  EXPECT_EQ(x, 37);
  EXPECT_EQ(y, 20);
}

TEST_F(StudioOpen, SourceSlicesReadTheRecordedFilesOrSayWhyNot) {
  write_phantom_dataset(m_dir.string(), 1, 3, null_progress());
  const SliceSet data = load_slices({(m_dir / "training").string()}, null_progress());
  const int i = data.volumes[0].first_slice + 2;
  SourceSlices sources;
  const SourceSlice* src = sources.slice(data, i);
  ASSERT_NE(src, nullptr) << sources.problem();
  const Volume volume = read_nifti(data.volumes[0].image_path);
  ASSERT_EQ(src->width, volume.geometry.size[0]);
  ASSERT_EQ(src->height, volume.geometry.size[1]);
  const size_t plane = size_t(src->width) * size_t(src->height);
  EXPECT_EQ(src->values[17], volume.voxels[2 * plane + 17]);
  EXPECT_EQ(src->labels.size(), plane);  // the phantom's frames are labelled
  SliceSet moved = data;
  moved.volumes[0].image_path = (m_dir / "gone.nii.gz").string();
  EXPECT_EQ(sources.slice(moved, i), nullptr);
  EXPECT_EQ(sources.problem(), (m_dir / "gone.nii.gz").string() + ": source file not found");
  EXPECT_EQ(sources.slice(make_phantom_slice_set(1, 3), 0), nullptr);  // made in memory
}

// Without a display GTK cannot start: the dialog reports itself unavailable (the menu then opens
// the typed-path prompt) instead of blocking or crashing.
TEST(FileDialog, WithoutADisplayItIsUnavailable) {
  unsetenv("DISPLAY");
  unsetenv("WAYLAND_DISPLAY");
  const FileDialogResult r = choose_paths(FileDialogKind::DataFiles, "");
  EXPECT_FALSE(r.available);
  EXPECT_TRUE(r.paths.empty());
}
