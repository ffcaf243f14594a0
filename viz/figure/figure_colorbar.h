#pragma once
// A vertical colour bar: the colour map as a vector gradient (64 stops), a frame, and tick labels at
// the bottom, middle and top of the value range, with a rotated label.
#include <cairo.h>

#include <string>

#include "viz/colormap.h"

namespace p2r::viz {

/// Draws the bar in (x, y, w, h) mm, low value at the bottom; tick labels right of the bar with
/// `digits` decimals; label (may be empty) rotated along the right side.
void draw_colorbar(cairo_t* cr, double x, double y, double w, double h, Colormap map, double low, double high,
                   const std::string& label, int digits = 1, double font_pt = 6.0);

}  // namespace p2r::viz
