#include "viz/figure/figure_plots.h"

#include <cmath>

#include "core/common/error.h"

namespace p2r::viz {
namespace {

void check_sizes(const LineSeries& s) {
  P2R_CHECK(s.x.size() == s.y.size() && (s.err.empty() || s.err.size() == s.x.size()),
            "line series '" << s.name << "': " << s.x.size() << " x, " << s.y.size() << " y, " << s.err.size()
                            << " error values");
}

}  // namespace

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
  check_sizes(s);
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
  for (size_t i = 0; i < s.x.size(); ++i)
    draw_marker(cr, a.map_x(s.x[i]), a.map_y(s.y[i]), plot_marker(s.marker, s.colour));
}

MarkerStyle plot_marker(MarkerShape shape, Rgb colour) {
  MarkerStyle m;
  m.shape = shape, m.colour = colour, m.filled = true, m.outline = false, m.size_mm = kPlotMarkerMm, m.line_mm = 0.25;
  return m;
}

std::vector<PageSegment> series_segments(const Axes& a, const LineSeries& s) {
  check_sizes(s);
  std::vector<PageSegment> out;
  for (size_t i = 0; i < s.x.size(); ++i) {
    const double px = a.map_x(s.x[i]), py = a.map_y(s.y[i]);
    if (i > 0) out.push_back({a.map_x(s.x[i - 1]), a.map_y(s.y[i - 1]), px, py});
    if (!s.err.empty()) out.push_back({px, a.map_y(s.y[i] - s.err[i]), px, a.map_y(s.y[i] + s.err[i])});
    if (s.x.size() == 1 && s.err.empty()) out.push_back({px, py, px, py});
  }
  return out;
}

}  // namespace p2r::viz
