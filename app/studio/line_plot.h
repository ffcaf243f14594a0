#pragma once
// A small line plot drawn with ImDrawList (ImGui 1.86 has no plotting): training curves in the
// Jobs panel. Main thread, inside an ImGui window.
#include <string>
#include <vector>

namespace p2r::studio {

/// One curve: points (x[i], y[i]) in increasing x, drawn in colour (ImU32, ABGR as ImGui packs it).
struct PlotCurve {
  std::string label;
  const std::vector<double>* x = nullptr;
  const std::vector<double>* y = nullptr;
  unsigned color = 0xFFFFFFFF;
  float thickness = 1.5f;
  bool markers = false;  ///< dots at the points (sparse series such as per-epoch values)
};

/// How the axes are set up.
struct PlotAxes {
  std::string x_label;          ///< e.g. "step"
  bool fixed_y = false;         ///< true: y spans [y_min, y_max]; false: fitted to the data
  double y_min = 0, y_max = 1;
};

/// Draws the curves in a box of the available width and the given height at the cursor, with the
/// y range and the last x as tick labels, a legend, and the values under the mouse as a tooltip.
/// Curves with long histories are reduced to min/max per pixel column. Skips empty curves.
void draw_line_plot(const char* id, const std::vector<PlotCurve>& curves, const PlotAxes& axes, float height);

/// Exponential moving average of y (weight of the past alpha in [0, 1)); same length as y.
std::vector<double> smoothed(const std::vector<double>& y, double alpha);

}  // namespace p2r::studio
