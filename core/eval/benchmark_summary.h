#pragma once
// Reading a few-shot benchmark's OUT/runs.csv back and summarising it per method and number of
// labelled subjects: Dice curves (mean +- std over runs) for plots and ResultTables for tables.
#include <string>
#include <vector>

#include "core/eval/dice.h"
#include "core/eval/result_table.h"

namespace p2r {

/// Header line of runs.csv (written by the benchmark, read back here).
extern const char* const kBenchmarkCsvHeader;

/// One row of runs.csv: one test volume scored by one method trained on one draw.
struct BenchmarkRecord {
  std::string method, subject, phase, space;
  int n_labelled = 0, run = 0;
  double dice_bg = 0, dice_rv = 0, dice_myo = 0, dice_lv = 0, mean_fg = 0;
  /// The value of metric: "mean_fg", "mean_all" (with background: the paper's Table 1 average), "dice_rv",
  /// "dice_myo", "dice_lv" or "dice_bg"; throws p2r::Error otherwise.
  double metric(const std::string& name) const;
};

/// Where a benchmark's rows are scored, in menu order: "prepared" (the prepared slices, as the
/// paper), "cleaned" (prepared, after the largest-component clean-up), "original" (source grid),
/// "refined" (source grid, the two-stage version of the method: BenchmarkConfig::refine_crop).
const std::vector<std::string>& benchmark_spaces();
/// A benchmark's metrics in table order: mean_fg, mean_all, dice_lv, dice_rv, dice_myo.
const std::vector<std::string>& benchmark_metrics();
/// Title of a metric ("Mean Dice (LV, RV, MYO)", "Dice LV", ...); throws p2r::Error for an unknown name.
const char* benchmark_metric_title(const std::string& metric);

/// A benchmark folder's runs.csv, or path itself when it is not a folder.
std::string benchmark_runs_path(const std::string& path);

/// Parses a runs.csv. Throws p2r::Error naming the path when it is missing, has another header, a
/// malformed row, or no rows ("nothing computed").
std::vector<BenchmarkRecord> read_benchmark_runs(const std::string& path);

/// Mean +- std over runs of metric, per method (the paper's row order, benchmark_methods(); others
/// after, in first-seen order) and n_labelled (ascending); each
/// run contributes the mean over its test volumes in space (one of benchmark_spaces()).
struct MethodCurve {
  std::string method;
  std::vector<int> n_labelled;
  std::vector<MeanStd> values;
};
/// Throws p2r::Error when no record is in space or the metric is unknown.
std::vector<MethodCurve> summarise_benchmark(const std::vector<BenchmarkRecord>& records, const std::string& metric,
                                             const std::string& space = "prepared");

/// The curves as a ResultTable (methods x "|Xtr|=k"), laid out like the paper's Table 1 with its
/// row groups (fully supervised, semi-supervised, self-supervised, combined).
ResultTable benchmark_table(const std::vector<MethodCurve>& curves, const std::string& title);

}  // namespace p2r
