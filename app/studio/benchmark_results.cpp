#include "app/studio/benchmark_results.h"

#include <algorithm>

#include "core/common/error.h"

namespace p2r::studio {

bool BenchmarkResults::open(const std::string& path) {
  try {
    P2R_CHECK(!path.empty(), "give a benchmark folder or its runs.csv");
    std::vector<BenchmarkRecord> records = read_benchmark_runs(benchmark_runs_path(path));
    std::vector<std::string> spaces;
    for (const std::string& s : benchmark_spaces())
      if (std::any_of(records.begin(), records.end(), [&](const BenchmarkRecord& r) { return r.space == s; }))
        spaces.push_back(s);
    P2R_CHECK(!spaces.empty(), benchmark_runs_path(path) << ": no row in any of the spaces (prepared, cleaned, original, refined)");
    m_records = std::move(records);
    m_spaces = std::move(spaces);
    if (std::find(m_spaces.begin(), m_spaces.end(), m_space) == m_spaces.end()) m_space = m_spaces.front();
    m_path = path;
    summarise();
    error.clear();
    return true;
  } catch (const Error& e) {
    error = e.message();
    return false;
  }
}

void BenchmarkResults::set_metric(const std::string& metric) {
  const auto& known = benchmark_metrics();
  P2R_CHECK(std::find(known.begin(), known.end(), metric) != known.end(),
            "unknown metric '" << metric << "' (mean_fg, mean_all, dice_lv, dice_rv, dice_myo)");
  m_metric = metric;
  summarise();
}

void BenchmarkResults::set_space(const std::string& space) {
  P2R_CHECK(std::find(m_spaces.begin(), m_spaces.end(), space) != m_spaces.end(),
            m_path << ": no result in the '" << space << "' space");
  m_space = space;
  summarise();
}

ResultTable BenchmarkResults::table() const {
  return benchmark_table(m_curves, std::string(benchmark_metric_title(m_metric)) + " (" + m_space + " space)");
}

void BenchmarkResults::summarise() {
  m_curves = m_records.empty() ? std::vector<MethodCurve>{} : summarise_benchmark(m_records, m_metric, m_space);
}

}  // namespace p2r::studio
