#include "app/studio/timing_text.h"

#include <atomic>
#include <cstdio>

namespace p2r::studio {
namespace {
std::atomic<bool> g_timings_shown{true};
}

void set_timings_shown(bool shown) { g_timings_shown = shown; }
bool timings_shown() { return g_timings_shown; }

std::string timing_text(double value, int decimals, const char* unit) {
  char buf[48];
  if (!timings_shown()) std::snprintf(buf, sizeof buf, "-- %s", unit);
  else std::snprintf(buf, sizeof buf, "%.*f %s", decimals, value, unit);
  return buf;
}

std::string duration_text(double s) {
  char buf[32];
  if (!timings_shown()) return "--";
  if (s < 0) return "?";
  if (s < 60) std::snprintf(buf, sizeof buf, "%.0fs", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%dm%02ds", int(s) / 60, int(s) % 60);
  else std::snprintf(buf, sizeof buf, "%dh%02dm", int(s) / 3600, (int(s) / 60) % 60);
  return buf;
}

}  // namespace p2r::studio
