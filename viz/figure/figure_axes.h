#pragma once
// A 2D plot area: a rectangle in mm, a data range per axis (x linear or logarithmic), the mapping
// from data to mm, tick choice, and the frame with ticks, tick labels and axis labels.
#include <cairo.h>

#include <string>
#include <vector>

namespace p2r::viz {

/// Plot area (x, y, w, h) mm and data ranges; y grows upwards in data, downwards on the page.
struct Axes {
  double x = 0, y = 0, w = 50, h = 40;
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;
  bool log_x = false;  ///< x mapped by log10 (x_min, x_max and data must be > 0)

  /// Page x (mm) of data x.
  double map_x(double v) const;
  /// Page y (mm) of data y.
  double map_y(double v) const;
};

/// About `target` round tick values (1, 2, 5 x 10^k steps) covering [low, high]; low < high.
std::vector<double> nice_ticks(double low, double high, int target = 5);

/// Tick positions and labels of one axis; empty values: nice_ticks of the range (log: decades).
struct AxisTicks {
  std::vector<double> values;
  std::vector<std::string> labels;  ///< same size as values, or empty for "%g"
};

/// Draws the left and bottom spines with outward ticks, tick labels and axis labels, and light
/// horizontal grid lines at the y ticks. font_pt is the tick label size (axis labels 1 pt larger).
void draw_axes(cairo_t* cr, const Axes& axes, const std::string& x_label, const std::string& y_label,
               const AxisTicks& x_ticks = {}, const AxisTicks& y_ticks = {}, double font_pt = 6.0);

}  // namespace p2r::viz
