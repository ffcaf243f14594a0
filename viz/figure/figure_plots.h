#pragma once
// Data layers on Axes: scatter points, and a line series with error bars and markers.
#include <cairo.h>

#include <string>
#include <vector>

#include "viz/figure/figure_axes.h"
#include "viz/figure/figure_legend.h"
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

/// The marker of a plotted point in colour (filled, kPlotMarkerMm wide), for curves and legends.
MarkerStyle plot_marker(MarkerShape shape, Rgb colour);
/// Width in mm of plot_marker's markers.
constexpr double kPlotMarkerMm = 1.3;

/// Where series lies on the page through axes: its curve's pieces and error bars (a series of one
/// point without error bars: that point). Throws p2r::Error for mismatched sizes.
std::vector<PageSegment> series_segments(const Axes& axes, const LineSeries& series);

}  // namespace p2r::viz
