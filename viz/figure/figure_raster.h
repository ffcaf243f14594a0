#pragma once
// Raster panels on a figure: an RGBA image embedded at its native pixel resolution (one image
// object in PDF/SVG) and scaled to a rectangle with nearest-neighbour filtering (no blurring).
#include <cairo.h>

#include "viz/rgba_image.h"

namespace p2r::viz {

/// Draws image into the rectangle (x, y, w, h) mm, pixel (0, 0) at the top-left, nearest filtering.
/// Throws p2r::Error when image is empty.
void draw_raster(cairo_t* cr, const RgbaImage& image, double x, double y, double w, double h);

/// Maps a pixel centre (px, py) of an image of image_w x image_h drawn in (x, y, w, h) to mm.
void raster_to_figure(double px, double py, int image_w, int image_h, double x, double y, double w, double h,
                      double& fx, double& fy);

}  // namespace p2r::viz
