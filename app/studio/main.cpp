// pix2rep-studio: the desktop studio. Options here; everything else in studio_app.
#include <CLI/CLI.hpp>

#include <filesystem>

#include "app/studio/studio_app.h"

int main(int argc, char** argv) {
  p2r::studio::StudioOptions options;
  CLI::App app{"Pix2Rep Studio: browse slices and layers, query pixel embeddings, train, segment and export figures.\n"
               "With no arguments it opens the built-in phantom demo. Files can also be dropped on the window."};
  std::string data;
  app.add_option("paths", options.data,
                 "what to open: NIfTI files (.nii, .nii.gz; a 4D cine file opens frame by frame), a prepared "
                 ".p2rs file, a dataset folder (ACDC layout or NIfTI files), or a pretraining, segmentation or "
                 "benchmark folder; nothing = the built-in demo");
  app.add_option("--data", data, "prepared file (.p2rs), dataset folder or NIfTI file (as a path argument)");
  app.add_option("--checkpoint", options.checkpoint,
                 "pretraining run folder whose pixel embeddings the similarity query uses");
  app.add_option("--script", options.script, "replay this script, then exit (see docs/studio.md)");
  app.add_option("--screenshot", options.screenshot, "save a PNG of the window at the end, then exit");
  CLI::Option* width = app.add_option("--width", options.width, "window width in pixels (default: as last time, else 1280)")
                           ->check(CLI::Range(320, 8192));
  CLI::Option* height = app.add_option("--height", options.height, "window height in pixels (default: as last time, else 800)")
                            ->check(CLI::Range(240, 8192));
  app.add_option("--timeout", options.timeout_s, "scripted runs fail after this many seconds");
  app.add_flag("--timing", options.timing, "print launch-to-first-frame times to stderr");
  app.add_flag("--hide-timings", options.hide_timings,
               "draw elapsed times as '--' (reproducible screenshots; the tests use it)");
  CLI11_PARSE(app, argc, argv);
  if (!data.empty()) options.data.insert(options.data.begin(), data);
  options.size_given = width->count() > 0 || height->count() > 0;
  // The interactive demo comes with the small backbone bundled in assets/ (see assets/README.md),
  // so a newcomer can click a pixel at once; scripted runs stay explicit.
  if (options.data.empty() && options.checkpoint.empty() && options.script.empty() &&
      std::filesystem::exists(PIX2REP_DEMO_BACKBONE "/checkpoint.pt"))
    options.checkpoint = PIX2REP_DEMO_BACKBONE;
  return p2r::studio::run_studio(options);
}
