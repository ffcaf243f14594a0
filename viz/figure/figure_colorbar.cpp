#include "viz/figure/figure_colorbar.h"

#include <cstdio>

#include "viz/figure/figure_text.h"

namespace p2r::viz {

void draw_colorbar(cairo_t* cr, double x, double y, double w, double h, Colormap map, double low, double high,
                   const std::string& label, int digits, double font_pt) {
  cairo_pattern_t* g = cairo_pattern_create_linear(0, y + h, 0, y);  // bottom = low
  const int stops = 64;
  for (int i = 0; i < stops; ++i) {
    const float t = float(i) / (stops - 1);
    const auto c = colormap_rgb(map, t);
    cairo_pattern_add_color_stop_rgb(g, t, c[0] / 255., c[1] / 255., c[2] / 255.);
  }
  cairo_save(cr);
  cairo_rectangle(cr, x, y, w, h);
  cairo_set_source(cr, g);
  cairo_fill(cr);
  cairo_pattern_destroy(g);
  cairo_rectangle(cr, x, y, w, h);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 0.15);
  cairo_stroke(cr);
  TextStyle ts;
  ts.size_pt = font_pt;
  ts.valign = VAlign::Middle;
  double widest = 0;
  for (int i = 0; i < 3; ++i) {
    const double v = low + (high - low) * i / 2.0, ty = y + h - h * i / 2.0;
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", digits, v);
    cairo_move_to(cr, x + w, ty), cairo_line_to(cr, x + w + 0.8, ty);
    cairo_stroke(cr);
    draw_text(cr, x + w + 1.2, ty, text, ts);
    if (double tw = text_width_mm(cr, text, ts); tw > widest) widest = tw;
  }
  ts.angle_deg = 90;
  ts.halign = HAlign::Center;
  ts.valign = VAlign::Top;
  draw_text(cr, x + w + 1.8 + widest, y + h / 2, label, ts);
  cairo_restore(cr);
}

}  // namespace p2r::viz
