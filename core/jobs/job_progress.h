#pragma once
// A ProgressSink written by a job's worker thread and read by the GUI (or CLI) every frame: numbers
// in atomics, text, log lines and metric histories under a mutex, read as copied snapshots.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/common/progress.h"

namespace p2r {

/// One number a job reported over time, e.g. "loss" per step or "Dice" per epoch.
struct MetricSeries {
  std::string name;
  std::vector<double> x;  ///< the progress count (`done`) when the value was reported
  std::vector<double> y;
};

/// A copy of a job's progress at one moment.
struct ProgressSnapshot {
  std::string stage;       ///< name given to the last begin()
  std::string note;        ///< last note given to update()
  int64_t done = 0, total = 0;  ///< total 0: unknown
  double elapsed_s = 0;    ///< since the stage began
  double eta_s = -1;       ///< estimated seconds left; -1 when unknown
  /// Fraction done in [0, 1], or -1 when the total is unknown.
  double fraction() const { return total > 0 ? double(done) / double(total) : -1.0; }
};

/// Numeric "key value" pairs of a note, in order: "epoch 2/5 loss 0.31 val Dice 0.8 (best 0.8 @2)"
/// gives {loss 0.31, Dice 0.8, best 0.8}. The key is the word just before a number (letters only,
/// brackets stripped); tokens such as "2/5" or "@2" are not numbers. Pure function.
std::vector<std::pair<std::string, double>> parse_note_metrics(const std::string& note);

/// Thread-safe progress of one job. The worker calls the ProgressSink methods; any thread reads.
/// Every numeric "key value" pair of an update's note (parse_note_metrics) is appended to the
/// series of that key, so curves come from the trainers' usual notes. Keys a trainer repeats in
/// every note until they change (pretraining's per-epoch "val") are recorded only on change.
class JobProgress : public ProgressSink {
 public:
  void begin(const std::string& stage, int64_t total) override;
  void update(int64_t done, const std::string& note) override;
  void end() override {}
  bool cancelled() const override { return m_cancel.load(); }

  /// Asks the worker to stop at its next check (any thread; idempotent).
  void cancel() { m_cancel = true; }
  /// Keys recorded only when their value changes (set before the job starts).
  void set_repeated_keys(std::vector<std::string> keys) { m_repeated_keys = std::move(keys); }
  /// Appends a line to the job's log (any thread); the log keeps the last 200 lines.
  void log(const std::string& line);

  /// Copies of the current state (any thread).
  ProgressSnapshot snapshot() const;
  std::vector<MetricSeries> series() const;
  std::vector<std::string> log_lines() const;
  /// Incremented on every change; lets readers skip copying when nothing moved (any thread).
  int64_t revision() const { return m_revision.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  std::atomic<bool> m_cancel{false};
  std::atomic<int64_t> m_revision{0};
  mutable std::mutex m_mutex;
  std::string m_stage, m_note;
  int64_t m_done = 0, m_total = 0;
  int64_t m_rate_done0 = -1;        // done at the first update of the stage (resumed runs start > 0)
  Clock::time_point m_begin = Clock::now(), m_rate_t0 = Clock::now();
  std::vector<MetricSeries> m_series;
  std::vector<std::string> m_repeated_keys;
  std::vector<std::string> m_log;
};

}  // namespace p2r
