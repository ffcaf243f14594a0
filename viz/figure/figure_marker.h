#pragma once
// Point markers on figures (query pixels, best matches, plot points): drawn as vector paths with a
// contrasting outline so that they stay visible on any image.
#include <cairo.h>

#include "viz/figure/figure_palette.h"

namespace p2r::viz {

enum class MarkerShape { Cross, Plus, Circle, Square, Diamond };

/// Style of a marker: size is the full width in mm; outline (white by default) widens the stroke.
struct MarkerStyle {
  MarkerShape shape = MarkerShape::Cross;
  double size_mm = 2.0;
  Rgb colour{1, 1, 1};
  bool filled = false;        ///< Circle/Square/Diamond: fill with colour
  bool outline = true;        ///< contrasting halo under the stroke
  Rgb outline_colour{0, 0, 0};
  double line_mm = 0.3;
};

/// Draws one marker centred at (x, y) mm.
void draw_marker(cairo_t* cr, double x, double y, const MarkerStyle& style);

}  // namespace p2r::viz
