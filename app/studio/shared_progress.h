#pragma once
// A ProgressSink written by a worker thread and read by the GUI every frame (Tracy style: atomics
// for the numbers, a mutex for the text).
#include <atomic>
#include <mutex>
#include <string>

#include "core/common/progress.h"

namespace p2r::studio {

class SharedProgress : public ProgressSink {
 public:
  void begin(const std::string& stage, int64_t total) override;
  void update(int64_t done, const std::string& note) override;
  void end() override {}
  bool cancelled() const override { return m_cancel.load(); }

  /// Asks the worker to stop at its next check (any thread).
  void cancel() { m_cancel = true; }
  /// Fraction done in [0, 1], or -1 when the total is unknown (any thread).
  float fraction() const;
  /// "stage: note" (any thread).
  std::string text() const;

 private:
  std::atomic<int64_t> m_total{0}, m_done{0};
  std::atomic<bool> m_cancel{false};
  mutable std::mutex m_mutex;
  std::string m_stage, m_note;
};

}  // namespace p2r::studio
