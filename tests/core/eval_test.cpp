#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "core/common/error.h"
#include "core/data/train_validation_split.h"
#include "core/eval/benchmark_methods.h"
#include "core/eval/benchmark_summary.h"
#include "core/eval/dice.h"
#include "core/eval/few_shot_split.h"
#include "core/eval/largest_components.h"
#include "core/eval/result_table.h"

namespace p2r {
namespace {

TEST(Dice, HandComputedCases) {
  // truth:      0 1 1 2 2 3 3 3
  // prediction: 0 1 2 2 2 3 3 0
  std::vector<uint8_t> truth{0, 1, 1, 2, 2, 3, 3, 3}, pred{0, 1, 2, 2, 2, 3, 3, 0};
  DiceScores d = dice_scores(pred, truth);
  EXPECT_DOUBLE_EQ(d.dice[0], 2.0 * 1 / (2 + 1));  // pred bg {0,7}, truth bg {0}
  EXPECT_DOUBLE_EQ(d.dice[1], 2.0 * 1 / (1 + 2));
  EXPECT_DOUBLE_EQ(d.dice[2], 2.0 * 2 / (3 + 2));
  EXPECT_DOUBLE_EQ(d.dice[3], 2.0 * 2 / (2 + 3));
  EXPECT_DOUBLE_EQ(d.mean_foreground(), (d.dice[1] + d.dice[2] + d.dice[3]) / 3);
  EXPECT_DOUBLE_EQ(d.mean_all(), (d.dice[0] + d.dice[1] + d.dice[2] + d.dice[3]) / 4);  // the paper's average
  for (bool a : d.absent) EXPECT_FALSE(a);
}

TEST(Dice, EmptyStructures) {
  // RV absent from both: scores 1 and is flagged; LV only in truth: 0; MYO only in prediction: 0.
  std::vector<uint8_t> truth{0, 0, 3, 3}, pred{0, 2, 0, 0};
  DiceScores d = dice_scores(pred, truth);
  EXPECT_TRUE(d.absent[1]);
  EXPECT_DOUBLE_EQ(d.dice[1], 1.0);
  EXPECT_DOUBLE_EQ(d.dice[2], 0.0);
  EXPECT_DOUBLE_EQ(d.dice[3], 0.0);
  EXPECT_FALSE(d.absent[3]);
}

TEST(Dice, BadInputIsRefused) {
  EXPECT_THROW(dice_scores(std::vector<uint8_t>{0, 1}, std::vector<uint8_t>{0}), Error);
  EXPECT_THROW(dice_scores(std::vector<uint8_t>{0, 7}, std::vector<uint8_t>{0, 1}), Error);
}

TEST(Dice, SummaryMeanAndStd) {
  DiceScores a, b;
  a.dice = {1, 0.5, 0.5, 0.5};
  b.dice = {1, 0.7, 0.7, 0.7};
  DiceSummary s = summarise_dice({a, b});
  EXPECT_NEAR(s.mean_foreground.mean, 0.6, 1e-12);
  EXPECT_NEAR(s.mean_foreground.std, std::sqrt(0.02), 1e-12);  // sample std of {0.5, 0.7}
  EXPECT_NEAR(s.mean_all.mean, (0.625 + 0.775) / 2, 1e-12);     // background counted, as in the paper
  EXPECT_EQ(s.per_class[1].count, 2);
}

// Two slices of 4 x 6, written as rows of digits (slice after slice).
std::vector<uint8_t> volume_of(const std::vector<std::string>& rows) {
  std::vector<uint8_t> v;
  for (const std::string& r : rows)
    for (char c : r) v.push_back(uint8_t(c - '0'));
  return v;
}

TEST(LargestComponents, KeepsTheLargestPieceOfTheForegroundThenOfEachClass) {
  const std::vector<uint8_t> labels = volume_of({
      "330001",  // slice 0: a 3 piece joined to the heart below, a stray 1 at the right edge
      "322000",
      "022001",
      "000000",
      "000000",  // slice 1: the heart continues under slice 0's 2s (a face neighbour across slices)
      "022003",  // a stray 3, diagonal to slice 0's lower stray 1 (no face shared): its own piece
      "022000",
      "100000"});  // a stray 1 apart from everything
  const std::vector<uint8_t> kept = keep_largest_components(labels, 2, 4, 6, 4);
  EXPECT_EQ(kept, volume_of({"330000",  // the foreground step removes the stray 1s and the stray 3
                             "322000",
                             "022000",
                             "000000",
                             "000000",
                             "022000",
                             "022000",
                             "000000"}));
  // Per class: a class in two pieces of one foreground piece keeps the larger (row 3's four 3s).
  const std::vector<uint8_t> split = volume_of({"333000", "222000", "020000", "333300"});
  EXPECT_EQ(keep_largest_components(split, 1, 4, 6, 4), volume_of({"000000", "222000", "020000", "333300"}));
  // Nothing to remove: unchanged; an empty volume stays empty.
  const std::vector<uint8_t> one = volume_of({"011000", "012000", "003300", "000000"});
  EXPECT_EQ(keep_largest_components(one, 1, 4, 6, 4), one);
  EXPECT_TRUE(keep_largest_components({}, 0, 4, 6, 4).empty());
}

TEST(LargestComponents, BadInputIsRefused) {
  EXPECT_THROW(keep_largest_components(std::vector<uint8_t>(23, 0), 1, 4, 6, 4), Error);
  std::vector<uint8_t> labels(24, 0);
  labels[5] = 4;
  try {
    keep_largest_components(labels, 1, 4, 6, 4);
    ADD_FAILURE() << "label 4 of 4 classes was accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("label 4 outside 0..3"), std::string::npos) << e.message();
  }
}

std::vector<SubjectInfo> acdc_like_pool() {
  std::vector<SubjectInfo> pool;
  const char* groups[] = {"DCM", "HCM", "MINF", "NOR", "RV"};
  for (int i = 0; i < 100; ++i) pool.push_back({"patient" + std::to_string(1000 + i).substr(1), groups[i / 20]});
  return pool;
}

TEST(FewShotSplit, StratifiedDrawsAreDeterministicAndBalanced) {
  auto pool = acdc_like_pool();
  for (int k : {1, 2, 5, 10, 20, 50, 100}) {
    auto a = draw_stratified(pool, k, 7), b = draw_stratified(pool, k, 7);
    EXPECT_EQ(a, b) << "same seed, same draw";
    ASSERT_EQ(int(a.size()), k);
    EXPECT_EQ(std::set<std::string>(a.begin(), a.end()).size(), a.size()) << "no subject twice";
    std::map<std::string, int> per_group;
    for (const auto& id : a) per_group[pool[std::stoi(id.substr(7))].group]++;
    int lo = k, hi = 0;
    for (const char* g : {"DCM", "HCM", "MINF", "NOR", "RV"}) lo = std::min(lo, per_group[g]), hi = std::max(hi, per_group[g]);
    EXPECT_LE(hi - lo, 1) << "k=" << k << ": groups differ by more than one subject";
  }
  EXPECT_NE(draw_stratified(pool, 5, 1), draw_stratified(pool, 5, 2));
  EXPECT_THROW(draw_stratified(pool, 101, 0), Error);
}

TEST(FewShotSplit, HoldOutAndSlicesSplit) {
  auto [test, rest] = hold_out_per_group(acdc_like_pool(), 4, 0);
  EXPECT_EQ(test.size(), 20u);
  EXPECT_EQ(rest.size(), 80u);
  auto [train, val] = split_train_validation(20, 0.1, 3);
  EXPECT_EQ(train.size(), 18u);
  EXPECT_EQ(val.size(), 2u);
  EXPECT_EQ(split_train_validation(20, 0.1, 3), split_train_validation(20, 0.1, 3));
  EXPECT_THROW(split_train_validation(1, 0.1, 0), Error);
}

TEST(ResultTable, MarkdownAndLatexOfAKnownResultSet) {
  ResultTable t("Mean Dice", {"Supervised", "Pix2Rep probe"}, {"1", "5"});
  t.cells[0][0] = MeanStd{0.412, 0.05, 3};
  t.cells[1][0] = MeanStd{0.701, 0.021, 3};
  t.cells[0][1] = MeanStd{0.8, 0.0, 1};
  std::string md = table_to_markdown(t);
  EXPECT_NE(md.find("| Method | 1 | 5 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| Pix2Rep probe | **0.701 ± 0.021** | - |"), std::string::npos) << md;
  EXPECT_NE(md.find("| Supervised | 0.412 ± 0.050 | **0.800** |"), std::string::npos) << md;
  std::string tex = table_to_latex(t);
  EXPECT_NE(tex.find("\\begin{tabular}{lcc}"), std::string::npos);
  EXPECT_NE(tex.find("\\toprule"), std::string::npos);
  EXPECT_NE(tex.find("\\textbf{0.701 $\\pm$ 0.021}"), std::string::npos) << tex;
  EXPECT_NE(tex.find("\\bottomrule"), std::string::npos);
  // Balanced braces and every row has as many cells as the header.
  int depth = 0;
  for (char c : tex) depth += c == '{' ? 1 : c == '}' ? -1 : 0;
  EXPECT_EQ(depth, 0);
  ResultTable esc("a_b & c%", {"x_y"}, {"1"});
  EXPECT_NE(table_to_latex(esc).find("a\\_b \\& c\\%"), std::string::npos);
  EXPECT_NE(table_to_csv(t).find("\"Pix2Rep probe\",\"1\",0.701000,0.021000,3"), std::string::npos);
}

TEST(ResultTable, GroupsHeadTheirRows) {
  ResultTable t("Mean Dice", {"supervised", "mean-teacher", "pix2rep-probe"}, {"1"});
  t.row_groups = {"Fully supervised", "Semi-supervised", "Semi-supervised"};
  t.cells[0][0] = MeanStd{0.5, 0, 1};
  const std::string md = table_to_markdown(t);
  EXPECT_NE(md.find("| *Fully supervised* | |\n| supervised | **0.500** |\n| *Semi-supervised* | |\n| mean-teacher | - |\n"
                    "| pix2rep-probe | - |"),
            std::string::npos)
      << md;
  const std::string tex = table_to_latex(t);
  EXPECT_NE(tex.find("\\midrule\n\\multicolumn{2}{l}{\\textit{Semi-supervised}} \\\\\nmean-teacher"), std::string::npos)
      << tex;
}

// Whatever order runs.csv holds its cells in, tables list the methods in the paper's row order
// (benchmark_methods()); methods the list does not know come last.
TEST(BenchmarkSummary, MethodsInThePapersRowOrder) {
  auto record = [](const std::string& method) {
    BenchmarkRecord r;
    r.method = method, r.n_labelled = 1, r.space = "prepared", r.mean_fg = 0.5;
    return r;
  };
  std::vector<BenchmarkRecord> records;
  for (const char* m : {"custom", "pix2rep-v2-mean-teacher", "pix2rep-finetune", "supervised", "mean-teacher",
                        "simclr-finetune"})
    records.push_back(record(m));
  const auto curves = summarise_benchmark(records, "mean_fg");
  std::vector<std::string> order;
  for (const auto& c : curves) order.push_back(c.method);
  EXPECT_EQ(order, (std::vector<std::string>{"supervised", "mean-teacher", "simclr-finetune", "pix2rep-finetune",
                                             "pix2rep-v2-mean-teacher", "custom"}));
  const ResultTable table = benchmark_table(curves, "t");
  EXPECT_EQ(table.row_groups, (std::vector<std::string>{"Fully supervised", "Semi-supervised", "Self-supervised",
                                                        "Self-supervised", "Combined", "Other"}));
  EXPECT_EQ(benchmark_method("pix2rep-mean-teacher").backbone, "pix2rep");
  EXPECT_TRUE(benchmark_method("pix2rep-mean-teacher").mean_teacher);
  EXPECT_THROW(benchmark_method("pix2rep-probes"), Error);
  // A random decoder fine-tunes at the supervised rate; pretrained Pix2Rep decoders at the mode's.
  EXPECT_DOUBLE_EQ(benchmark_method("simclr-finetune").lr_backbone, segment_defaults(SegmentMode::Supervised).lr_backbone);
  EXPECT_DOUBLE_EQ(benchmark_method("chaitanya-finetune").lr_backbone, 1e-3);
  EXPECT_EQ(benchmark_method("pix2rep-finetune").lr_backbone, 0.0);
}

}  // namespace
}  // namespace p2r
