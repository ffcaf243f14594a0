#pragma once
// A legend of plotted series: one row per entry (a short line, the marker, the name), its size, and
// where to put it: a corner of the plot area that no data meets, else outside the plot area.
#include <cairo.h>

#include <string>
#include <vector>

#include "viz/figure/figure_marker.h"
#include "viz/figure/figure_palette.h"
#include "viz/figure/figure_rect.h"

namespace p2r::viz {

/// A legend entry: a name, a colour and a marker.
struct LegendEntry {
  std::string name;
  Rgb colour;
  MarkerShape marker = MarkerShape::Circle;
  bool line = true;  ///< draw a short line through the marker (line plots)
};

/// Width and height in mm of the legend draw_legend draws for entries at font_pt.
void legend_size_mm(cairo_t* cr, const std::vector<LegendEntry>& entries, double font_pt, double& width,
                    double& height);

/// Draws entries one per row from (x, y) mm (top-left), rows font_pt * 1.5 pt apart.
void draw_legend(cairo_t* cr, double x, double y, const std::vector<LegendEntry>& entries, double font_pt = 6.0);

/// A straight piece of plotted data on the page (mm); a point is a segment of length 0.
struct PageSegment {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

/// The first corner of area (bottom right, top left, top right, bottom left) where a width x height
/// box, inset by inset mm, keeps clear mm away from every segment of data; false when none does.
bool free_corner(const FigureRect& area, double width, double height, const std::vector<PageSegment>& data,
                 double inset, double clear, FigureRect& corner);

}  // namespace p2r::viz
