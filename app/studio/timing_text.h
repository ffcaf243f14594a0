#pragma once
// Elapsed times as the panels draw them. They differ from run to run and machine to machine, so
// `pix2rep-studio --hide-timings` (used by the screenshot tests) draws a fixed "--" instead.
#include <string>

namespace p2r::studio {

/// Shows or hides every elapsed time the studio draws; set once at start-up (thread-safe to read).
void set_timings_shown(bool shown);
bool timings_shown();

/// `value` with `decimals` digits and its unit ("0.34 s", "10.7 ms"), or "-- unit" when hidden.
std::string timing_text(double value, int decimals, const char* unit);

/// A duration in seconds as "16s", "2m05s" or "1h02m" ("?" when negative), or "--" when hidden.
std::string duration_text(double seconds);

}  // namespace p2r::studio
