#include "viz/figure/figure_plots.h"

#include <cmath>

#include "core/common/error.h"
#include "viz/figure/figure.h"
#include "viz/figure/figure_text.h"

namespace p2r::viz {

void draw_scatter(cairo_t* cr, const Axes& a, const std::vector<double>& xs, const std::vector<double>& ys,
                  const std::vector<Rgb>& colours, double radius_mm) {
  P2R_CHECK(xs.size() == ys.size() && xs.size() == colours.size(),
            "scatter: " << xs.size() << " x, " << ys.size() << " y and " << colours.size() << " colours");
  cairo_save(cr);
  cairo_rectangle(cr, a.x, a.y, a.w, a.h);
  cairo_clip(cr);
  for (size_t i = 0; i < xs.size(); ++i) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, a.map_x(xs[i]), a.map_y(ys[i]), radius_mm, 0, 2 * M_PI);
    cairo_set_source_rgb(cr, colours[i].r, colours[i].g, colours[i].b);
    cairo_fill(cr);
  }
  cairo_restore(cr);
}

void draw_line_series(cairo_t* cr, const Axes& a, const LineSeries& s) {
  P2R_CHECK(s.x.size() == s.y.size() && (s.err.empty() || s.err.size() == s.x.size()),
            "line series '" << s.name << "': " << s.x.size() << " x, " << s.y.size() << " y, " << s.err.size()
                            << " error values");
  if (s.x.empty()) return;
  cairo_save(cr);
  cairo_set_source_rgb(cr, s.colour.r, s.colour.g, s.colour.b);
  cairo_set_line_width(cr, 0.35);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  if (s.dashed) {
    const double dash[] = {1.2, 0.8};
    cairo_set_dash(cr, dash, 2, 0);
  }
  for (size_t i = 0; i < s.x.size(); ++i)
    (i == 0 ? cairo_move_to : cairo_line_to)(cr, a.map_x(s.x[i]), a.map_y(s.y[i]));
  cairo_stroke(cr);
  cairo_set_dash(cr, nullptr, 0, 0);
  cairo_set_line_width(cr, 0.2);
  const double cap = 0.6;
  for (size_t i = 0; i < s.err.size(); ++i) {
    const double px = a.map_x(s.x[i]), lo = a.map_y(s.y[i] - s.err[i]), hi = a.map_y(s.y[i] + s.err[i]);
    cairo_move_to(cr, px, lo), cairo_line_to(cr, px, hi);
    cairo_move_to(cr, px - cap / 2, lo), cairo_line_to(cr, px + cap / 2, lo);
    cairo_move_to(cr, px - cap / 2, hi), cairo_line_to(cr, px + cap / 2, hi);
  }
  cairo_stroke(cr);
  cairo_restore(cr);
  MarkerStyle m;
  m.shape = s.marker, m.colour = s.colour, m.filled = true, m.outline = false, m.size_mm = 1.3, m.line_mm = 0.25;
  for (size_t i = 0; i < s.x.size(); ++i) draw_marker(cr, a.map_x(s.x[i]), a.map_y(s.y[i]), m);
}

void draw_legend(cairo_t* cr, double x, double y, const std::vector<LegendEntry>& entries, double font_pt) {
  const double row = font_pt * kMmPerPoint * 1.5;
  TextStyle ts;
  ts.size_pt = font_pt, ts.valign = VAlign::Middle;
  for (size_t i = 0; i < entries.size(); ++i) {
    const LegendEntry& e = entries[i];
    const double cy = y + row * (i + 0.5);
    if (e.line) {
      cairo_save(cr);
      cairo_set_source_rgb(cr, e.colour.r, e.colour.g, e.colour.b);
      cairo_set_line_width(cr, 0.35);
      cairo_move_to(cr, x, cy), cairo_line_to(cr, x + 4, cy);
      cairo_stroke(cr);
      cairo_restore(cr);
    }
    MarkerStyle m;
    m.shape = e.marker, m.colour = e.colour, m.filled = true, m.outline = false, m.size_mm = 1.3, m.line_mm = 0.25;
    draw_marker(cr, x + 2, cy, m);
    draw_text(cr, x + 5, cy, e.name, ts);
  }
}

}  // namespace p2r::viz
