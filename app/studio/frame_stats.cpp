#include "app/studio/frame_stats.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace p2r::studio {

std::string FrameTimeSummary::describe(const std::string& label) const {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s: %d frames, p50 %.1f ms, p95 %.1f ms, max %.1f ms, mean %.1f ms",
                label.c_str(), frames, p50_ms, p95_ms, max_ms, mean_ms);
  return buf;
}

FrameTimeSummary FrameStats::stop() {
  m_recording = false;
  return summarise_frame_times(m_ms);
}

FrameTimeSummary summarise_frame_times(std::vector<double> ms) {
  FrameTimeSummary s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * double(ms.size())))]; };
  s.frames = int(ms.size());
  s.p50_ms = at(0.5);
  s.p95_ms = at(0.95);
  s.max_ms = ms.back();
  s.mean_ms = std::accumulate(ms.begin(), ms.end(), 0.0) / double(ms.size());
  return s;
}

}  // namespace p2r::studio
