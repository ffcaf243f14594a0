#include "viz/figure/figure_text.h"

#include <cmath>

#include "viz/figure/figure.h"

namespace p2r::viz {
namespace {

void select_font(cairo_t* cr, const TextStyle& style) {
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                         style.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, style.size_pt * kMmPerPoint);
}

}  // namespace

double text_width_mm(cairo_t* cr, const std::string& text, const TextStyle& style) {
  cairo_save(cr);
  select_font(cr, style);
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  cairo_restore(cr);
  return e.x_advance;
}

void draw_text(cairo_t* cr, double x, double y, const std::string& text, const TextStyle& style) {
  if (text.empty()) return;
  cairo_save(cr);
  select_font(cr, style);
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  const double cap = style.size_pt * kMmPerPoint * 0.72;  // capital height of a sans-serif font
  double dx = 0, dy = 0;
  if (style.halign == HAlign::Center) dx = -e.x_advance / 2;
  if (style.halign == HAlign::Right) dx = -e.x_advance;
  if (style.valign == VAlign::Middle) dy = cap / 2;
  if (style.valign == VAlign::Top) dy = cap;
  cairo_translate(cr, x, y);
  cairo_rotate(cr, -style.angle_deg * M_PI / 180.0);
  cairo_move_to(cr, dx, dy);
  cairo_set_source_rgb(cr, style.r, style.g, style.b);
  cairo_show_text(cr, text.c_str());
  cairo_restore(cr);
}

}  // namespace p2r::viz
