#include "viz/figure/figure_marker.h"

#include <cmath>

namespace p2r::viz {
namespace {

void marker_path(cairo_t* cr, double x, double y, double r, MarkerShape shape) {
  switch (shape) {
    case MarkerShape::Cross:
      cairo_move_to(cr, x - r, y - r), cairo_line_to(cr, x + r, y + r);
      cairo_move_to(cr, x - r, y + r), cairo_line_to(cr, x + r, y - r);
      break;
    case MarkerShape::Plus:
      cairo_move_to(cr, x - r, y), cairo_line_to(cr, x + r, y);
      cairo_move_to(cr, x, y - r), cairo_line_to(cr, x, y + r);
      break;
    case MarkerShape::Circle:
      cairo_new_sub_path(cr);
      cairo_arc(cr, x, y, r, 0, 2 * M_PI);
      cairo_close_path(cr);
      break;
    case MarkerShape::Square:
      cairo_rectangle(cr, x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
      break;
    case MarkerShape::Diamond:
      cairo_move_to(cr, x, y - r), cairo_line_to(cr, x + r, y), cairo_line_to(cr, x, y + r);
      cairo_line_to(cr, x - r, y), cairo_close_path(cr);
      break;
  }
}

}  // namespace

void draw_marker(cairo_t* cr, double x, double y, const MarkerStyle& style) {
  const double r = style.size_mm / 2;
  const bool closed = style.shape != MarkerShape::Cross && style.shape != MarkerShape::Plus;
  cairo_save(cr);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  if (style.outline) {
    marker_path(cr, x, y, r, style.shape);
    cairo_set_source_rgb(cr, style.outline_colour.r, style.outline_colour.g, style.outline_colour.b);
    cairo_set_line_width(cr, style.line_mm * 2.6);
    cairo_stroke(cr);
  }
  marker_path(cr, x, y, r, style.shape);
  cairo_set_source_rgb(cr, style.colour.r, style.colour.g, style.colour.b);
  if (closed && style.filled) cairo_fill_preserve(cr);
  cairo_set_line_width(cr, style.line_mm);
  cairo_stroke(cr);
  cairo_restore(cr);
}

}  // namespace p2r::viz
