#pragma once
// Frame-time recording for measurements (script: frame_stats start / frame_stats report LABEL).
// Main thread.
#include <string>
#include <vector>

namespace p2r::studio {

/// Percentiles of a recorded window of frame times.
struct FrameTimeSummary {
  int frames = 0;
  double p50_ms = 0, p95_ms = 0, max_ms = 0, mean_ms = 0;
  /// "LABEL: 120 frames, p50 14.1 ms, p95 22.0 ms, max 30.2 ms, mean 15.0 ms".
  std::string describe(const std::string& label) const;
};

class FrameStats {
 public:
  /// Records one frame's CPU time (event handling to buffer swap), in milliseconds.
  void add(double ms) {
    if (m_recording) m_ms.push_back(ms);
  }
  /// Clears and starts recording.
  void start() {
    m_ms.clear();
    m_recording = true;
  }
  /// Stops recording and summarises what was recorded.
  FrameTimeSummary stop();
  bool recording() const { return m_recording; }

 private:
  std::vector<double> m_ms;
  bool m_recording = false;
};

/// Percentiles of ms (nearest rank); zeros for an empty input.
FrameTimeSummary summarise_frame_times(std::vector<double> ms);

}  // namespace p2r::studio
