// The studio's GL-free logic: dataset browsing, script parsing, view transform, layout, the
// similarity grid's choice of slices.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "app/studio/comparison_slices.h"
#include "app/studio/dataset_browser.h"
#include "app/studio/script_runner.h"
#include "app/studio/studio_layout.h"
#include "app/studio/view_transform.h"
#include "core/common/error.h"

using namespace p2r;
using namespace p2r::studio;

namespace {

// Two subjects (b has ES listed before ED on purpose), 4x4 slices.
std::shared_ptr<SliceSet> tiny_set() {
  auto set = std::make_shared<SliceSet>();
  set->size = 4;
  auto add_volume = [&](const std::string& subject, Phase phase, int frame, int slices, bool labelled) {
    VolumeRecord v;
    v.subject = subject;
    v.phase = phase;
    v.frame = frame;
    v.has_label = labelled;
    v.first_slice = set->slice_count();
    v.slice_count = slices;
    set->volumes.push_back(v);
    for (int z = 0; z < slices; ++z) set->slices.push_back({int(set->volumes.size()) - 1, z});
  };
  add_volume("patient_b", Phase::ES, 9, 6, true);
  add_volume("patient_b", Phase::ED, 1, 6, true);
  add_volume("patient_a", Phase::ED, 1, 3, false);
  set->images.assign(size_t(set->slice_count()) * 16, 0.5f);
  set->labels.assign(size_t(set->slice_count()) * 16, 0);
  return set;
}

}  // namespace

TEST(DatasetBrowser, SortsSubjectsAndFramesAndSelectsMiddleSlice) {
  DatasetBrowser browser;
  browser.set_data(tiny_set());
  ASSERT_EQ(browser.subjects().size(), 2u);
  EXPECT_EQ(browser.subjects()[0].id, "patient_a");
  EXPECT_EQ(browser.subject(), 0);
  EXPECT_EQ(browser.position(), 1);
  EXPECT_EQ(browser.slice_index(), 12 + 1);
  browser.select_subject("patient_b");
  EXPECT_EQ(browser.volume(), 1);  // ED first
  EXPECT_EQ(browser.position(), 3);
  browser.select_frame("ES");
  EXPECT_EQ(browser.volume(), 0);
  EXPECT_EQ(browser.slice_index(), 3);
  browser.select_frame("1");
  EXPECT_EQ(browser.volume(), 1);
}

TEST(DatasetBrowser, ClampsSlicesAndRejectsUnknownNames) {
  DatasetBrowser browser;
  browser.set_data(tiny_set());
  const int generation = browser.generation();
  browser.select_position(99);
  EXPECT_EQ(browser.position(), 2);
  EXPECT_GT(browser.generation(), generation);
  browser.select_position(-5);
  EXPECT_EQ(browser.position(), 0);
  EXPECT_THROW(browser.select_subject("patient_zz"), Error);
  EXPECT_THROW(browser.select_frame("ES"), Error);  // patient_a has only ED
  EXPECT_THROW(browser.select_subject(7), Error);
  browser.set_data(nullptr);
  EXPECT_EQ(browser.slice_index(), -1);
}

TEST(ScriptParse, ParsesCommandsAndComments) {
  const auto commands = parse_script(
      "# a comment\nselect_subject patient002\n\nwindow 0.2 0.9  # trailing\nopen /tmp/my data\n",
      "test.txt");
  ASSERT_EQ(commands.size(), 3u);
  EXPECT_EQ(commands[0].name, "select_subject");
  EXPECT_EQ(commands[0].line, 2);
  EXPECT_EQ(commands[1].args, (std::vector<std::string>{"0.2", "0.9"}));
  EXPECT_EQ(commands[2].args, (std::vector<std::string>{"/tmp/my data"}));
}

TEST(ScriptParse, RejectsUnknownCommandsAndWrongArity) {
  try {
    parse_script("slice 3\nfly_to_moon\n", "s.txt");
    FAIL() << "expected p2r::Error";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("s.txt:2"), std::string::npos) << e.message();
  }
  EXPECT_THROW(parse_script("window 0.2\n", "s.txt"), Error);
  EXPECT_THROW(parse_script("open\n", "s.txt"), Error);
}

TEST(ViewTransform, FitsZoomsAboutCursorAndPans) {
  ViewTransform t;
  const Vec2 view{800, 400}, image{128, 128};
  EXPECT_FLOAT_EQ(t.scale(view, image), 400.f / 128.f);
  const Vec2 centre = t.view_to_image({400, 200}, view, image);
  EXPECT_FLOAT_EQ(centre.x, 64.f);
  EXPECT_FLOAT_EQ(centre.y, 64.f);
  const Vec2 cursor{600, 100};
  const Vec2 before = t.view_to_image(cursor, view, image);
  t.zoom_about(2.f, cursor, view, image);
  const Vec2 after = t.view_to_image(cursor, view, image);
  EXPECT_NEAR(before.x, after.x, 1e-4);
  EXPECT_NEAR(before.y, after.y, 1e-4);
  EXPECT_FLOAT_EQ(t.zoom, 2.f);
  const Vec2 p0 = t.view_to_image({10, 10}, view, image);
  t.pan_by({25, -5}, view, image);  // dragging right moves the image right
  const Vec2 p1 = t.view_to_image({35, 5}, view, image);
  EXPECT_NEAR(p0.x, p1.x, 1e-4);
  EXPECT_NEAR(p0.y, p1.y, 1e-4);
  t.reset();
  EXPECT_FLOAT_EQ(t.zoom, 1.f);
}

TEST(StudioLayout, TilesTheDisplayWithoutGaps) {
  const StudioLayout l = compute_layout(1280, 800, 19);
  EXPECT_FLOAT_EQ(l.dataset.w + l.image.w, 1280.f);
  EXPECT_FLOAT_EQ(l.dataset.h + l.layers.h, l.image.h);
  EXPECT_FLOAT_EQ(l.image.h + l.status.h, 800.f);
  EXPECT_FLOAT_EQ(l.status.y, l.image.h);
}

TEST(ComparisonSlices, BestMatchesOfOtherSubjectsRanksByScoreWithoutTheQuerysSubject) {
  const auto set = tiny_set();  // slices 0-11: patient_b (ES, ED), 12-14: patient_a
  std::vector<PixelMatch> matches;
  for (int s = 0; s < set->slice_count(); ++s) matches.push_back({{s, s % 4, 0}, 0.1f * float(s % 5)});
  // Query of patient_a: only patient_b's slices, best first; ties (0.4: slices 4 and 9) by slice.
  std::vector<PixelMatch> best = best_matches_of_other_subjects(*set, 13, matches, 3);
  ASSERT_EQ(best.size(), 3u);
  EXPECT_EQ(best[0].pixel.slice, 4);
  EXPECT_EQ(best[1].pixel.slice, 9);
  EXPECT_FLOAT_EQ(best[2].score, 0.3f);
  EXPECT_EQ(best[0].pixel.x, 0);
  for (const PixelMatch& m : best) EXPECT_LT(m.pixel.slice, 12);
  // Query of patient_b: only patient_a's three slices, whatever k asks for; matches in any order.
  std::reverse(matches.begin(), matches.end());
  best = best_matches_of_other_subjects(*set, 2, matches, 8);
  ASSERT_EQ(best.size(), 3u);
  EXPECT_EQ(best[0].pixel.slice, 14);  // 0.4
  EXPECT_EQ(best[1].pixel.slice, 13);  // 0.3
  EXPECT_EQ(best[2].pixel.slice, 12);  // 0.2
  EXPECT_TRUE(best_matches_of_other_subjects(*set, 2, matches, 0).empty());
  EXPECT_THROW(best_matches_of_other_subjects(*set, 15, matches, 3), Error);
  matches.push_back({{99, 0, 0}, 1.f});
  EXPECT_THROW(best_matches_of_other_subjects(*set, 2, matches, 3), Error);
}
