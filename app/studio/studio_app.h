#pragma once
// The studio application: window, ImGui, the frame loop and the fixed panel layout.
#include <string>
#include <vector>

namespace p2r::studio {

/// Command-line options of pix2rep-studio.
struct StudioOptions {
  std::vector<std::string> data;  ///< what to open (StudioSession::open_any); none = built-in demo
  std::string checkpoint;  ///< pretraining run folder to embed the data with (pixel queries)
  std::string script;      ///< script to replay (see script_runner.h); the studio exits after it
  std::string screenshot;  ///< save a screenshot at the end of the script (or once data shows)
  int width = 1280, height = 800;
  bool size_given = false;  ///< width/height from the command line (else the remembered size)
  bool timing = false;     ///< print launch-to-first-frame times to stderr
  bool hide_timings = false;  ///< draw elapsed times as "--" (timing_text.h)
  double timeout_s = 300;  ///< scripted runs fail after this long
};

/// Runs the studio until the window closes or the script ends. Returns the process exit code:
/// 0, or 1 when the window cannot be created or a script fails. Catches every exception.
int run_studio(const StudioOptions& options);

}  // namespace p2r::studio
