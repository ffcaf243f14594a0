#pragma once
// Data layers on Axes: scatter points, a line series with error bars and markers, and a legend.
#include <cairo.h>

#include <string>
#include <vector>

#include "viz/figure/figure_axes.h"
#include "viz/figure/figure_marker.h"
#include "viz/figure/figure_palette.h"

namespace p2r::viz {

/// Filled dots of radius_mm at (xs[i], ys[i]) in colours[i] (colours.size() == xs.size() == ys.size(),
/// else p2r::Error), clipped to the axes rectangle, drawn in the given order.
void draw_scatter(cairo_t* cr, const Axes& axes, const std::vector<double>& xs, const std::vector<double>& ys,
                  const std::vector<Rgb>& colours, double radius_mm = 0.3);

/// One curve: points (x[i], y[i]) with symmetric error bars err[i] (empty: none).
struct LineSeries {
  std::string name;
  std::vector<double> x, y, err;
  Rgb colour;
  MarkerShape marker = MarkerShape::Circle;
  bool dashed = false;
};

/// Draws series (line, error bars with caps, filled markers). Throws p2r::Error for mismatched sizes.
void draw_line_series(cairo_t* cr, const Axes& axes, const LineSeries& series);

/// A legend entry: a name, a colour and a marker.
struct LegendEntry {
  std::string name;
  Rgb colour;
  MarkerShape marker = MarkerShape::Circle;
  bool line = true;  ///< draw a short line through the marker (line plots)
};

/// Draws entries one per row from (x, y) mm (top-left), rows font_pt * 1.5 pt apart.
void draw_legend(cairo_t* cr, double x, double y, const std::vector<LegendEntry>& entries, double font_pt = 6.0);

}  // namespace p2r::viz
