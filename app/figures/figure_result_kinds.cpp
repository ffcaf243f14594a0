// Figure kinds computed from results: segmentation grid (Segmenter predictions), Dice against
// labelled subjects (paper Fig. 3) and result tables (CSV, Markdown, LaTeX) from a runs.csv.
#include <filesystem>

#include "app/figures/analysis_inputs.h"
#include "app/figures/figure_kinds.h"
#include "core/common/comma_list.h"
#include "core/common/content_hash.h"
#include "core/common/error.h"
#include "core/data/slice_cache.h"
#include "core/eval/benchmark_summary.h"
#include "core/train/segmenter.h"
#include "viz/figure/dice_figure.h"
#include "viz/figure/segmentation_figure.h"

namespace fs = std::filesystem;

namespace p2r::figures {
namespace {

FigureProduct make_segmentation(const FigureArgs& a) {
  FigureProduct out;
  const std::string data_path = figure_arg(a, "data");
  P2R_CHECK(fs::is_regular_file(data_path), data_path << ": prepared file does not exist");
  const SliceSet data = load_slice_set(data_path);
  const std::vector<int> slices = parse_slice_list(figure_arg(a, "slices"), data.slice_count());
  P2R_CHECK(!slices.empty(), "--slices: nothing to compute (no slices)");
  const std::vector<std::string> runs = split_list(figure_arg(a, "runs"));
  P2R_CHECK(!runs.empty(), "--runs: nothing to compute (no segmentation run folders)");
  std::vector<std::string> names = split_list(a.count("names") ? a.at("names") : "");
  if (names.empty())
    for (const auto& r : runs) names.push_back(fs::path(r).lexically_normal().filename().string());
  P2R_CHECK(names.size() == runs.size(), "--names has " << names.size() << " names for " << runs.size() << " runs");
  viz::SegmentationFigureData d;
  d.size = data.size, d.method_names = names;
  d.column = viz::parse_column_width(figure_arg(a, "column").c_str());
  d.opacity = float(figure_real(a, "opacity"));
  const size_t n = size_t(data.pixels_per_slice());
  for (int s : slices) {
    viz::SegmentationRow row;
    row.title = slice_title(data, s);
    row.image.assign(data.image(s), data.image(s) + n);
    if (data.has_label(s)) row.truth.assign(data.label(s), data.label(s) + n);
    d.rows.push_back(std::move(row));
  }
  out.provenance["data"] = file_record(data_path);
  nlohmann::ordered_json run_records = nlohmann::ordered_json::array();
  for (const std::string& dir : runs) {
    P2R_CHECK(fs::is_regular_file(segment_model_path(dir)), dir << ": not a segmentation run (no model.pt)");
    const Segmenter seg(dir, figure_arg(a, "device"));
    const std::vector<uint8_t> labels = seg.predict(data, slices);
    for (size_t i = 0; i < slices.size(); ++i)
      d.rows[i].predictions.emplace_back(labels.begin() + i * n, labels.begin() + (i + 1) * n);
    nlohmann::ordered_json rec = file_record(segment_model_path(dir));
    rec["config"] = file_record(segment_config_path(dir));
    run_records.push_back(rec);
  }
  std::vector<std::string> subjects;
  for (int s : slices) subjects.push_back(data.volume_of(s).subject);
  out.provenance["data"]["subjects"] = subjects;
  out.provenance["slices"] = slices;
  out.provenance["segmentation_runs"] = run_records;
  out.figure = viz::make_segmentation_figure(d);
  return out;
}

FigureProduct make_dice(const FigureArgs& a) {
  FigureProduct out;
  const std::string path = benchmark_runs_path(figure_arg(a, "runs"));
  const std::string metric = figure_arg(a, "metric");
  const auto curves = summarise_benchmark(read_benchmark_runs(path), metric, figure_arg(a, "space"));
  viz::DiceFigureData d;
  d.y_label = benchmark_metric_title(metric);
  d.column = viz::parse_column_width(figure_arg(a, "column").c_str());
  for (const MethodCurve& c : curves) {
    viz::DiceCurve dc;
    dc.method = c.method, dc.n_labelled = c.n_labelled;
    for (const MeanStd& v : c.values) dc.mean.push_back(v.mean), dc.std.push_back(v.std);
    d.curves.push_back(dc);
  }
  out.provenance["results"] = file_record(path);
  out.figure = viz::make_dice_figure(d);
  return out;
}

FigureProduct make_table(const FigureArgs& a) {
  FigureProduct out;
  const std::string path = benchmark_runs_path(figure_arg(a, "runs"));
  const std::string metric = figure_arg(a, "metric");
  const auto curves = summarise_benchmark(read_benchmark_runs(path), metric, figure_arg(a, "space"));
  ResultTable table = benchmark_table(curves, std::string(benchmark_metric_title(metric)) + " on the test set, mean +- std over runs");
  table.digits = figure_int(a, "digits");
  out.texts = {{"csv", table_to_csv(table)}, {"md", table_to_markdown(table)}, {"tex", table_to_latex(table)}};
  out.provenance["results"] = file_record(path);
  return out;
}

std::vector<FigureOption> result_options() {
  return {{"runs", "benchmark folder or its runs.csv", "", true},
          {"metric", "mean_fg (LV, RV, MYO), mean_all (with background: the paper's), dice_rv, dice_myo, dice_lv",
           "mean_fg", false},
          {"space", "prepared (as the paper), cleaned (prepared after the largest-component clean-up), original, "
                    "or refined (two stages, benchmark --refine-crop)",
           "prepared", false}};
}

}  // namespace

std::vector<FigureKind> result_figure_kinds() {
  FigureKind seg{"segmentation", "grid of image, ground truth and predictions of several segmentation runs",
                 {{"data", "prepared file (.p2rs)", "", true},
                  {"runs", "segmentation run folders, comma-separated", "", true},
                  {"names", "column titles, comma-separated (default: folder names)", "", false},
                  {"slices", "slices (rows), e.g. 3,7", "", true},
                  {"opacity", "label opacity over the image", "0.55", false},
                  {"device", "prediction device (cpu keeps figures reproducible)", "cpu", false},
                  {"column", "single or double column", "double", false}},
                 make_segmentation};
  FigureKind dice{"dice", "Dice against labelled subjects per method, mean +- std over runs", result_options(),
                  make_dice};
  dice.options.push_back({"column", "single or double column", "single", false});
  FigureKind table{"table", "tables of a benchmark as CSV, Markdown and LaTeX (booktabs), best values marked",
                   result_options(), make_table};
  table.options.push_back({"digits", "decimals", "3", false});
  return {seg, dice, table};
}

}  // namespace p2r::figures
