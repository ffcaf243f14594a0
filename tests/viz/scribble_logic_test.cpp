// The studio's torch-free scribble pieces: the brush on the original grid, the canvas and its
// undo / redo, the mapping through both views, files, and uncertainty from probabilities.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>

#include "app/studio/class_uncertainty.h"
#include "app/studio/scribble_brush.h"
#include "app/studio/scribble_canvas.h"
#include "app/studio/scribble_history.h"
#include "app/studio/view_grid.h"
#include "core/data/scribble_set.h"
#include "core/io/nifti.h"

namespace fs = std::filesystem;
using namespace p2r;
using namespace p2r::studio;

namespace {

// One volume of 20 x 16 x 3 source voxels (spacing 1 x 2 mm), prepared as 8 x 8 slices from the crop
// x 2..18, y 0..16.
std::shared_ptr<SliceSet> one_volume() {
  auto set = std::make_shared<SliceSet>();
  set->size = 8;
  VolumeRecord rec;
  rec.subject = "patient001";
  rec.frame = 1;
  rec.geometry.size = {20, 16, 3};
  rec.geometry.spacing = {1, 2, 10};
  rec.crop = {2, 0, 16, 16};
  rec.first_slice = 0;
  rec.slice_count = 3;
  set->volumes.push_back(rec);
  for (int z = 0; z < 3; ++z) set->slices.push_back({0, z});
  set->images.assign(size_t(3 * 64), 0.f);
  set->labels.assign(size_t(3 * 64), 0);
  return set;
}

fs::path scratch(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("p2r_scribble_logic_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

}  // namespace

TEST(ScribbleBrush, OnePixelLineCoversExactlyItsPixels) {
  const auto pixels = brush_pixels(10, 8, {2.5f, 3.5f}, {6.5f, 3.5f}, 1.f);
  EXPECT_EQ(pixels, (std::vector<int64_t>{32, 33, 34, 35, 36}));
}

TEST(ScribbleBrush, DiagonalOnePixelLineIsConnectedAndClipped) {
  const auto pixels = brush_pixels(10, 8, {0.5f, 0.5f}, {14.5f, 9.5f}, 1.f);
  for (int x = 0; x < 10; ++x)
    EXPECT_TRUE(std::any_of(pixels.begin(), pixels.end(), [&](int64_t i) { return i % 10 == x; })) << "column " << x;
  for (int64_t i : pixels) EXPECT_LT(i, 80);
}

TEST(ScribbleBrush, DiscOfSizeThreeAtTheCorner) {
  // Centres within 1.5 of (0.2, 0.2): (0.5, 0.5), (1.5, 0.5), (0.5, 1.5); none outside the plane.
  EXPECT_EQ(brush_pixels(10, 8, {0.2f, 0.2f}, {0.2f, 0.2f}, 3.f), (std::vector<int64_t>{0, 1, 10}));
}

TEST(ScribbleHistory, UndoRedoAndANewEditDropsTheRedoSide) {
  ScribbleHistory h;
  EXPECT_FALSE(h.can_undo());
  h.push({0, {}});  // no change: ignored
  EXPECT_FALSE(h.can_undo());
  h.push({0, {{1, 0, 2}}});
  h.push({0, {{2, 0, 3}}});
  ASSERT_TRUE(h.can_undo());
  EXPECT_EQ(h.undo()->changes[0].index, 2);
  EXPECT_TRUE(h.can_redo());
  EXPECT_EQ(h.redo()->changes[0].index, 2);
  EXPECT_FALSE(h.can_redo());
  EXPECT_EQ(h.undo()->changes[0].index, 2);
  h.push({0, {{5, 0, 1}}});
  EXPECT_FALSE(h.can_redo());
  EXPECT_EQ(h.undo()->changes[0].index, 5);
  EXPECT_EQ(h.undo()->changes[0].index, 1);
  EXPECT_EQ(h.undo(), nullptr);
}

TEST(ScribbleCanvas, StrokeOnTheOriginalGridWithUndoRedo) {
  ScribbleCanvas canvas;
  canvas.reset(one_volume(), "");  // no folder: nothing written
  canvas.brush_size = 1;
  canvas.brush_class = 3;  // LV: value 4
  const int before = canvas.committed_revision();
  canvas.begin_stroke(0, 1, {5.5f, 4.5f});
  canvas.extend_stroke({7.5f, 4.5f});
  EXPECT_EQ(canvas.committed_revision(), before);  // not committed while painting
  EXPECT_TRUE(canvas.end_stroke());
  EXPECT_EQ(canvas.committed_revision(), before + 1);
  EXPECT_TRUE(canvas.unsaved());
  const Geometry g = canvas.data()->volumes[0].geometry;
  auto value = [&](int x, int y, int z) { return int(canvas.volumes().at(0)->voxels[size_t(g.index(x, y, z))]); };
  EXPECT_EQ(value(5, 4, 1), 4);
  EXPECT_EQ(value(6, 4, 1), 4);
  EXPECT_EQ(value(7, 4, 1), 4);
  EXPECT_EQ(value(5, 4, 0), 0);
  EXPECT_EQ(canvas.class_voxels()[3], 3);
  // Painting the same class over it changes nothing: no undo step.
  canvas.begin_stroke(0, 1, {6.5f, 4.5f});
  EXPECT_FALSE(canvas.end_stroke());
  // The eraser, then undo and redo.
  canvas.eraser = true;
  canvas.begin_stroke(0, 1, {6.5f, 4.5f});
  EXPECT_TRUE(canvas.end_stroke());
  EXPECT_EQ(value(6, 4, 1), 0);
  EXPECT_TRUE(canvas.undo());
  EXPECT_EQ(value(6, 4, 1), 4);
  EXPECT_TRUE(canvas.undo());
  EXPECT_EQ(canvas.class_voxels()[3], 0);
  EXPECT_FALSE(canvas.undo());
  EXPECT_TRUE(canvas.redo());
  EXPECT_EQ(canvas.class_voxels()[3], 3);
  // The plane's colours: LV's where scribbled, transparent elsewhere.
  const auto rgba = canvas.plane_rgba(0, 1);
  ASSERT_EQ(rgba.size(), size_t(20 * 16 * 4));
  EXPECT_EQ(rgba[size_t(g.index(5, 4, 0)) * 4 + 3], 255);
  EXPECT_EQ(rgba[size_t(g.index(5, 4, 0)) * 4 + 0], canvas.classes()[3].rgb[0]);
  EXPECT_EQ(rgba[size_t(g.index(9, 9, 0)) * 4 + 3], 0);
}

TEST(ScribbleCanvas, AStrokeThroughEitherViewLandsOnThePreparedPixelUnderIt) {
  // The brush's view -> source mapping is the inverse of the crop the scribble set maps through.
  const auto set = one_volume();
  const VolumeRecord& rec = set->volumes[0];
  for (const ViewGrid& grid : {ViewGrid::prepared(8), ViewGrid::native_of(rec, 8)}) {
    ScribbleCanvas canvas;
    canvas.reset(set, "");
    canvas.brush_size = 1;
    canvas.brush_class = 1;                    // RV: value 2
    const Vec2 at = grid.from_prepared(5, 3);  // the centre of prepared pixel (5, 3) in view coordinates
    canvas.begin_stroke(0, 2, grid.source_point(at, rec));
    ASSERT_TRUE(canvas.end_stroke());
    ScribbleSet scribbles;
    add_volume_scribbles(*set, 0, *canvas.volumes().at(0), scribbles);
    ASSERT_EQ(scribbles.slices, std::vector<int>{2}) << (grid.native ? "native" : "prepared");
    EXPECT_EQ(scribbles.slice_values(0)[3 * 8 + 5], 2) << (grid.native ? "native" : "prepared");
    EXPECT_EQ(scribbles.pixel_count(), 1);
    // The source grid's layer covers the crop where the prepared layers sit.
    Vec2 origin, extent;
    grid.source_placement(rec, origin, extent);
    const Vec2 o = grid.prepared_origin(), e = grid.prepared_extent();
    EXPECT_NEAR(origin.x + extent.x * float(rec.crop.x0 / 20.0), o.x, 1e-4);
    EXPECT_NEAR(extent.x * float(rec.crop.width / 20.0), e.x, 1e-4);
    EXPECT_NEAR(extent.y * float(rec.crop.height / 16.0), e.y, 1e-4);
  }
}

TEST(ScribbleCanvas, ClassesAreAddedRenamedRecolouredAndRemovedWithoutDroppingStrokes) {
  ScribbleCanvas canvas;
  canvas.reset(one_volume(), "");
  EXPECT_EQ(canvas.classes(), acdc_classes());
  int revision = canvas.committed_revision();
  EXPECT_NE(canvas.add_class("RV", {1, 2, 3}).find("class name 'RV' appears twice"), std::string::npos);
  EXPECT_NE(canvas.add_class("", {1, 2, 3}).find("empty name"), std::string::npos);
  EXPECT_EQ(canvas.committed_revision(), revision);  // refused: nothing changed
  EXPECT_EQ(canvas.add_class("scar", {250, 200, 30}), "");
  EXPECT_EQ(canvas.add_class("oedema", {30, 210, 210}), "");
  EXPECT_EQ(class_names_text(canvas.classes()), "background, RV, MYO, LV, scar, oedema");
  EXPECT_GT(canvas.committed_revision(), revision);  // what training follows and autosave writes
  // Strokes of the sixth class (value 6).
  canvas.brush_size = 1;
  canvas.brush_class = 5;
  canvas.begin_stroke(0, 1, {5.5f, 4.5f});
  ASSERT_TRUE(canvas.end_stroke());
  EXPECT_EQ(canvas.class_voxels(), (std::vector<int64_t>{0, 0, 0, 0, 0, 1}));
  const Geometry g = canvas.data()->volumes[0].geometry;
  auto value = [&] { return int(canvas.volumes().at(0)->voxels[size_t(g.index(5, 4, 1))]); };
  EXPECT_EQ(value(), 6);
  // A class with strokes is never removed; the background neither.
  EXPECT_NE(canvas.remove_class(5).find("1 voxels are scribbled with it"), std::string::npos);
  EXPECT_NE(canvas.remove_class(0).find("background"), std::string::npos);
  EXPECT_EQ(canvas.classes().size(), 6u);
  // Removing the empty fifth class moves the sixth down one value, its strokes kept.
  EXPECT_EQ(canvas.remove_class(4), "");
  EXPECT_EQ(class_names_text(canvas.classes()), "background, RV, MYO, LV, oedema");
  EXPECT_EQ(value(), 5);
  EXPECT_EQ(canvas.brush_class, 4);  // still oedema
  EXPECT_FALSE(canvas.can_undo());   // the history held the old values
  EXPECT_NE(canvas.rename_class(4, "LV").find("appears twice"), std::string::npos);
  EXPECT_EQ(canvas.rename_class(4, "lesion"), "");
  revision = canvas.committed_revision();
  canvas.recolour_class(4, {1, 2, 3});
  EXPECT_EQ(canvas.committed_revision(), revision + 1);
  const auto rgba = canvas.plane_rgba(0, 1);
  EXPECT_EQ(rgba[size_t(g.index(5, 4, 0)) * 4 + 2], 3);
  EXPECT_EQ(canvas.classes()[4], (ClassInfo{"lesion", {1, 2, 3}}));
}

#ifdef PIX2REP_HAS_ITK
TEST(ScribbleCanvas, SaveAndLoadRoundTripOnTheOriginalGrid) {
  const fs::path dir = scratch("round_trip");
  const auto set = one_volume();
  {
    ScribbleCanvas canvas;
    canvas.reset(set, dir.string());
    canvas.brush_class = 2;
    canvas.begin_stroke(0, 0, {10.f, 8.f});
    canvas.extend_stroke({14.f, 12.f});
    ASSERT_TRUE(canvas.end_stroke());
    ASSERT_TRUE(canvas.save()) << canvas.error;
    EXPECT_FALSE(canvas.unsaved());
    ASSERT_TRUE(fs::exists(dir / "patient001_frame01_scribbles.nii.gz"));
    const std::vector<uint8_t> painted = canvas.volumes().at(0)->voxels;
    ScribbleCanvas other;
    other.reset(set, dir.string());
    ASSERT_TRUE(other.load()) << other.error;
    EXPECT_EQ(other.volumes().at(0)->voxels, painted);
    EXPECT_FALSE(other.can_undo());
    // A fifth class and its strokes come back with classes.json.
    ASSERT_EQ(canvas.add_class("scar", {250, 200, 30}), "");
    canvas.brush_class = 4;
    canvas.begin_stroke(0, 2, {3.f, 3.f});
    ASSERT_TRUE(canvas.end_stroke());
    ASSERT_TRUE(canvas.save()) << canvas.error;
    EXPECT_EQ(read_class_list(dir.string()), canvas.classes());
    ASSERT_TRUE(other.load()) << other.error;
    EXPECT_EQ(other.classes(), canvas.classes());
    EXPECT_EQ(other.class_voxels(), canvas.class_voxels());
    EXPECT_GT(other.class_voxels()[4], 0);
  }
  EXPECT_FALSE(fs::exists(dir / "autosave"));  // saved: no autosave due
  fs::remove_all(dir);
}

TEST(ScribbleCanvas, BadFilesAreRefusedAndNothingChanges) {
  const auto set = one_volume();
  const fs::path dir = scratch("bad");
  {
    ScribbleCanvas canvas;
    canvas.reset(set, dir.string());
    canvas.begin_stroke(0, 0, {10.f, 8.f});
    ASSERT_TRUE(canvas.end_stroke());
    const auto painted = canvas.class_voxels();
    const std::string file = (dir / "patient001_frame01_scribbles.nii.gz").string();
    fs::create_directories(dir);
    auto expect_refused = [&](const std::string& text) {
      EXPECT_FALSE(canvas.load());
      EXPECT_NE(canvas.error.find(text), std::string::npos) << canvas.error;
      EXPECT_EQ(canvas.class_voxels(), painted);
    };
    expect_refused("no scribble file of the data's volumes");
    LabelVolume wrong;  // another image's grid
    wrong.geometry.size = {16, 16, 3};
    wrong.voxels.assign(16 * 16 * 3, 1);
    write_nifti(file, wrong);
    expect_refused("not on the grid of their image");
    LabelVolume labels;  // a value with no class
    labels.geometry = set->volumes[0].geometry;
    labels.voxels.assign(size_t(labels.geometry.voxel_count()), 0);
    labels.voxels[7] = 9;
    write_nifti(file, labels);
    expect_refused("scribble value 9 has no class");
    labels.voxels[7] = 0;  // no stroke at all
    write_nifti(file, labels);
    expect_refused("empty scribble set");
  }  // the canvas autosaves its unsaved stroke into dir/autosave as it goes
  EXPECT_TRUE(fs::exists(dir / "autosave" / "patient001_frame01_scribbles.nii.gz"));
  fs::remove_all(dir);
}
#endif

TEST(ClassUncertainty, EntropyOfProbabilitiesNormalisedToOne) {
  const std::vector<float> p = {0.25f, 0.25f, 0.25f, 0.25f,  // uniform: 1
                                0.f,   0.f,   1.f,   0.f,    // certain: 0
                                0.5f,  0.5f,  0.f,   0.f,    // a tie: the lower class, log 2 / log 4
                                0.1f,  0.2f,  0.3f,  0.4f};
  const ClassMaps maps = class_maps(p, 4);
  EXPECT_EQ(maps.labels, (std::vector<uint8_t>{0, 2, 0, 3}));
  EXPECT_NEAR(maps.uncertainty[0], 1.f, 1e-6);
  EXPECT_NEAR(maps.uncertainty[1], 0.f, 1e-6);
  EXPECT_NEAR(maps.uncertainty[2], 0.5f, 1e-6);
  const double h = -(0.1 * std::log(0.1) + 0.2 * std::log(0.2) + 0.3 * std::log(0.3) + 0.4 * std::log(0.4));
  EXPECT_NEAR(maps.uncertainty[3], h / std::log(4.0), 1e-5);
}
