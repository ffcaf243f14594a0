#pragma once
// A few-shot benchmark's results opened in the studio: its runs.csv read back and summarised per
// method and |Xtr| for the shown metric and space, i.e. what `pix2rep figure table|dice` make of
// it. Torch-free; main thread (a runs.csv is small and reads in milliseconds).
#include <string>
#include <vector>

#include "core/eval/benchmark_summary.h"

namespace p2r::studio {

class BenchmarkResults {
 public:
  /// Reads path (a benchmark folder or its runs.csv). On failure error names the file and the
  /// problem, and the results shown before stay. Returns whether it opened.
  bool open(const std::string& path);
  bool has_results() const { return !m_records.empty(); }
  /// The folder or file given to the last successful open().
  const std::string& path() const { return m_path; }

  /// The shown metric (one of benchmark_metrics()); throws p2r::Error for another name.
  const std::string& metric() const { return m_metric; }
  void set_metric(const std::string& metric);
  /// The shown space ("prepared" or "original"); throws p2r::Error when no row is in that space.
  const std::string& space() const { return m_space; }
  void set_space(const std::string& space);
  /// Spaces present in the rows, "prepared" first.
  const std::vector<std::string>& spaces() const { return m_spaces; }

  /// Mean +- std over runs per method and |Xtr| of the shown metric and space.
  const std::vector<MethodCurve>& curves() const { return m_curves; }
  /// The same as a table laid out like the paper's Table 1 (titled with the metric).
  ResultTable table() const;
  /// Rows of runs.csv (test volumes x cells x spaces).
  int row_count() const { return int(m_records.size()); }

  /// Why the last open() failed; empty when none.
  std::string error;
  /// Whether the "Benchmark results" window is shown.
  bool show_window = false;

 private:
  void summarise();
  std::vector<BenchmarkRecord> m_records;
  std::vector<MethodCurve> m_curves;
  std::vector<std::string> m_spaces;
  std::string m_path, m_metric = "mean_fg", m_space = "prepared";
};

}  // namespace p2r::studio
