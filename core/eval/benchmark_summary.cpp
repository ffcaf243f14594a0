#include "core/eval/benchmark_summary.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/common/error.h"
#include "core/eval/benchmark_methods.h"

namespace p2r {

const char* const kBenchmarkCsvHeader =
    "method,n_labelled,run,seed,train_subjects,subject,phase,space,dice_bg,dice_rv,dice_myo,dice_lv,mean_fg,seconds";

namespace {

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, ',')) out.push_back(f);
  return out;
}

}  // namespace

const std::vector<std::string>& benchmark_spaces() {
  static const std::vector<std::string> names{"prepared", "cleaned", "original", "refined"};
  return names;
}

const std::vector<std::string>& benchmark_metrics() {
  static const std::vector<std::string> names{"mean_fg", "mean_all", "dice_lv", "dice_rv", "dice_myo"};
  return names;
}

const char* benchmark_metric_title(const std::string& m) {
  if (m == "mean_fg") return "Mean Dice (LV, RV, MYO)";
  if (m == "mean_all") return "Mean Dice (BG, LV, RV, MYO), the paper's metric";
  if (m == "dice_lv") return "Dice LV";
  if (m == "dice_rv") return "Dice RV";
  if (m == "dice_myo") return "Dice MYO";
  if (m == "dice_bg") return "Dice background";
  P2R_FAIL("unknown metric '" << m << "' (mean_fg, mean_all, dice_rv, dice_myo, dice_lv, dice_bg)");
}

std::string benchmark_runs_path(const std::string& path) {
  return std::filesystem::is_directory(path) ? (std::filesystem::path(path) / "runs.csv").string() : path;
}

double BenchmarkRecord::metric(const std::string& name) const {
  if (name == "mean_fg") return mean_fg;
  if (name == "mean_all") return (dice_bg + dice_rv + dice_myo + dice_lv) / 4.0;
  if (name == "dice_rv") return dice_rv;
  if (name == "dice_myo") return dice_myo;
  if (name == "dice_lv") return dice_lv;
  if (name == "dice_bg") return dice_bg;
  P2R_FAIL("unknown metric '" << name << "' (mean_fg, mean_all, dice_rv, dice_myo, dice_lv, dice_bg)");
}

std::vector<BenchmarkRecord> read_benchmark_runs(const std::string& path) {
  std::ifstream in(path);
  P2R_CHECK(in, path << ": cannot open the benchmark results (runs.csv)");
  std::string line;
  P2R_CHECK(std::getline(in, line) && line == kBenchmarkCsvHeader, path << ": not a benchmark runs.csv (unexpected header)");
  std::vector<BenchmarkRecord> out;
  int line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    const auto f = split_csv(line);
    P2R_CHECK(f.size() == 14, path << ":" << line_no << ": expected 14 fields, got " << f.size());
    BenchmarkRecord r;
    try {
      r.method = f[0], r.n_labelled = std::stoi(f[1]), r.run = std::stoi(f[2]);
      r.subject = f[5], r.phase = f[6], r.space = f[7];
      r.dice_bg = std::stod(f[8]), r.dice_rv = std::stod(f[9]), r.dice_myo = std::stod(f[10]);
      r.dice_lv = std::stod(f[11]), r.mean_fg = std::stod(f[12]);
    } catch (const std::exception&) {
      P2R_FAIL(path << ":" << line_no << ": malformed number");
    }
    out.push_back(r);
  }
  P2R_CHECK(!out.empty(), path << ": nothing computed yet (no finished benchmark cells)");
  return out;
}

std::vector<MethodCurve> summarise_benchmark(const std::vector<BenchmarkRecord>& records, const std::string& metric,
                                             const std::string& space) {
  std::vector<std::string> methods;
  std::map<std::string, std::map<int, std::map<int, std::vector<double>>>> values;  // method -> k -> run -> volumes
  for (const BenchmarkRecord& r : records) {
    if (r.space != space) continue;
    if (std::find(methods.begin(), methods.end(), r.method) == methods.end()) methods.push_back(r.method);
    values[r.method][r.n_labelled][r.run].push_back(r.metric(metric));
  }
  P2R_CHECK(!methods.empty(), "benchmark results: no rows in the '" << space << "' space");
  std::stable_sort(methods.begin(), methods.end(), [](const std::string& a, const std::string& b) {
    return benchmark_method_rank(a) < benchmark_method_rank(b);
  });
  std::vector<MethodCurve> curves;
  for (const std::string& m : methods) {
    MethodCurve c;
    c.method = m;
    for (const auto& [k, runs] : values[m]) {
      std::vector<double> per_run;
      for (const auto& [run, v] : runs) per_run.push_back(mean_std(v).mean);
      c.n_labelled.push_back(k);
      c.values.push_back(mean_std(per_run));
    }
    curves.push_back(std::move(c));
  }
  return curves;
}

ResultTable benchmark_table(const std::vector<MethodCurve>& curves, const std::string& title) {
  std::set<int> sizes;
  std::vector<std::string> rows;
  for (const MethodCurve& c : curves) {
    rows.push_back(c.method);
    sizes.insert(c.n_labelled.begin(), c.n_labelled.end());
  }
  std::vector<std::string> cols;
  for (int k : sizes) cols.push_back("|Xtr|=" + std::to_string(k));
  ResultTable table(title, rows, cols);
  for (const MethodCurve& c : curves)
    table.row_groups.push_back(benchmark_method_rank(c.method) < int(benchmark_methods().size())
                                   ? benchmark_method(c.method).group
                                   : std::string("Other"));
  for (size_t i = 0; i < curves.size(); ++i)
    for (size_t j = 0; j < curves[i].n_labelled.size(); ++j) {
      const int c = int(std::distance(sizes.begin(), sizes.find(curves[i].n_labelled[j])));
      table.cells[i][c] = curves[i].values[j];
    }
  return table;
}

}  // namespace p2r
