#include "core/jobs/job_progress.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

namespace p2r {
namespace {

constexpr size_t kMaxLogLines = 200;

std::string strip_brackets(std::string word) {
  while (!word.empty() && std::string("([{").find(word.front()) != std::string::npos) word.erase(0, 1);
  while (!word.empty() && std::string(")]}:,;=").find(word.back()) != std::string::npos) word.pop_back();
  return word;
}

bool is_key(const std::string& word) {
  if (word.empty()) return false;
  for (char c : word)
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

bool to_number(const std::string& word, double& value) {
  if (word.empty()) return false;
  try {
    size_t used = 0;
    value = std::stod(word, &used);
    return used == word.size() && std::isfinite(value);
  } catch (...) {
    return false;
  }
}

}  // namespace

std::vector<std::pair<std::string, double>> parse_note_metrics(const std::string& note) {
  std::vector<std::pair<std::string, double>> out;
  std::istringstream words(note);
  std::string previous, word;
  while (words >> word) {
    word = strip_brackets(word);
    double value = 0;
    if (is_key(previous) && to_number(word, value)) out.emplace_back(previous, value);
    previous = word;
  }
  return out;
}

void JobProgress::begin(const std::string& stage, int64_t total) {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_stage = stage;
  m_note.clear();
  m_total = total;
  m_done = 0;
  m_rate_done0 = -1;
  m_begin = Clock::now();
  ++m_revision;
}

void JobProgress::update(int64_t done, const std::string& note) {
  const auto metrics = parse_note_metrics(note);
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_rate_done0 < 0) {
    // The rate counts from the first update, so a resumed run's earlier steps do not skew the ETA.
    m_rate_done0 = done;
    m_rate_t0 = Clock::now();
  }
  m_done = done;
  m_note = note;
  for (const auto& [key, value] : metrics) {
    MetricSeries* series = nullptr;
    for (auto& s : m_series)
      if (s.name == key) series = &s;
    if (!series) {
      m_series.push_back({key, {}, {}});
      series = &m_series.back();
    }
    const bool repeated = std::find(m_repeated_keys.begin(), m_repeated_keys.end(), key) != m_repeated_keys.end();
    if (!repeated || series->y.empty() || series->y.back() != value || series->x.back() > double(done)) {
      series->x.push_back(double(done));
      series->y.push_back(value);
    }
  }
  ++m_revision;
}

void JobProgress::log(const std::string& line) {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_log.push_back(line);
  if (m_log.size() > kMaxLogLines) m_log.erase(m_log.begin(), m_log.end() - kMaxLogLines);
  ++m_revision;
}

ProgressSnapshot JobProgress::snapshot() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  ProgressSnapshot s;
  s.stage = m_stage;
  s.note = m_note;
  s.done = m_done;
  s.total = m_total;
  const auto now = Clock::now();
  s.elapsed_s = std::chrono::duration<double>(now - m_begin).count();
  const int64_t steps = m_done - m_rate_done0;
  if (m_rate_done0 >= 0 && steps > 0 && m_total > 0) {
    const double rate = steps / std::chrono::duration<double>(now - m_rate_t0).count();
    s.eta_s = double(m_total - m_done) / rate;
  }
  return s;
}

std::vector<MetricSeries> JobProgress::series() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_series;
}

std::vector<std::string> JobProgress::log_lines() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_log;
}

}  // namespace p2r
