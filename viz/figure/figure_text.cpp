#include "viz/figure/figure_text.h"

#include <algorithm>
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

void draw_text_fitted(cairo_t* cr, double x, double y, const std::string& text, double max_width_mm, TextStyle style,
                      double min_size_pt) {
  const double width = text_width_mm(cr, text, style);
  if (width <= max_width_mm || width <= 0) return draw_text(cr, x, y, text, style);
  style.size_pt = std::max(min_size_pt, style.size_pt * max_width_mm / width);
  std::string fitted = text;
  // Drop whole UTF-8 characters from the end until text + "..." fits (or one character is left).
  while (text_width_mm(cr, fitted, style) > max_width_mm && fitted.size() > 1) {
    if (fitted.size() >= 3 && fitted.compare(fitted.size() - 3, 3, "...") == 0) fitted.resize(fitted.size() - 3);
    do fitted.pop_back();
    while (!fitted.empty() && (static_cast<unsigned char>(fitted.back()) & 0xC0) == 0x80);
    if (!fitted.empty() && (static_cast<unsigned char>(fitted.back()) & 0x80)) fitted.pop_back();  // lead byte
    fitted += "...";
  }
  draw_text(cr, x, y, fitted, style);
}

}  // namespace p2r::viz
