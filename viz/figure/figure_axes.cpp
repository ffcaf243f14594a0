#include "viz/figure/figure_axes.h"

#include <cmath>
#include <algorithm>
#include <cstdio>

#include "core/common/error.h"
#include "viz/figure/figure.h"
#include "viz/figure/figure_text.h"

namespace p2r::viz {

double Axes::map_x(double v) const {
  const double t = log_x ? (std::log10(v) - std::log10(x_min)) / (std::log10(x_max) - std::log10(x_min))
                         : (v - x_min) / (x_max - x_min);
  return x + t * w;
}

double Axes::map_y(double v) const { return y + h - (v - y_min) / (y_max - y_min) * h; }

std::vector<double> nice_ticks(double low, double high, int target) {
  P2R_CHECK(low < high && target >= 2, "nice_ticks: bad range [" << low << ", " << high << "]");
  const double raw = (high - low) / (target - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  std::vector<double> ticks;
  for (double v = std::ceil(low / step - 1e-9) * step; v <= high + step * 1e-9; v += step)
    ticks.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  return ticks;
}

void draw_axes(cairo_t* cr, const Axes& a, const std::string& x_label, const std::string& y_label,
               const AxisTicks& x_ticks, const AxisTicks& y_ticks, double font_pt) {
  auto fill = [](const AxisTicks& t, std::vector<double> fallback) {
    AxisTicks out = t;
    if (out.values.empty()) out.values = std::move(fallback);
    if (out.labels.size() != out.values.size()) {
      out.labels.clear();
      for (double v : out.values) {
        char s[32];
        std::snprintf(s, sizeof s, "%g", v);
        out.labels.push_back(s);
      }
    }
    return out;
  };
  std::vector<double> x_default;
  if (a.log_x)
    for (double d = std::pow(10.0, std::floor(std::log10(a.x_min))); d <= a.x_max * 1.0001; d *= 10)
      if (d >= a.x_min * 0.9999) x_default.push_back(d);
  const AxisTicks xt = fill(x_ticks, a.log_x ? x_default : nice_ticks(a.x_min, a.x_max));
  const AxisTicks yt = fill(y_ticks, nice_ticks(a.y_min, a.y_max));
  cairo_save(cr);
  cairo_set_line_width(cr, 0.1);
  cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
  for (double v : yt.values)
    if (v >= a.y_min && v <= a.y_max) cairo_move_to(cr, a.x, a.map_y(v)), cairo_line_to(cr, a.x + a.w, a.map_y(v));
  cairo_stroke(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 0.2);
  cairo_move_to(cr, a.x, a.y), cairo_line_to(cr, a.x, a.y + a.h), cairo_line_to(cr, a.x + a.w, a.y + a.h);
  cairo_stroke(cr);
  TextStyle ts;
  ts.size_pt = font_pt;
  const double tick = 0.8;
  ts.halign = HAlign::Center, ts.valign = VAlign::Top;
  for (size_t i = 0; i < xt.values.size(); ++i) {
    const double v = xt.values[i];
    if (v < a.x_min || v > a.x_max) continue;
    const double px = a.map_x(v);
    cairo_move_to(cr, px, a.y + a.h), cairo_line_to(cr, px, a.y + a.h + tick);
    cairo_stroke(cr);
    draw_text(cr, px, a.y + a.h + tick + 0.7, xt.labels[i], ts);
  }
  ts.halign = HAlign::Right, ts.valign = VAlign::Middle;
  double widest = 0;
  for (size_t i = 0; i < yt.values.size(); ++i) {
    const double v = yt.values[i];
    if (v < a.y_min || v > a.y_max) continue;
    const double py = a.map_y(v);
    cairo_move_to(cr, a.x, py), cairo_line_to(cr, a.x - tick, py);
    cairo_stroke(cr);
    draw_text(cr, a.x - tick - 0.6, py, yt.labels[i], ts);
    widest = std::max(widest, text_width_mm(cr, yt.labels[i], ts));
  }
  TextStyle ls;
  ls.size_pt = font_pt + 1;
  ls.halign = HAlign::Center, ls.valign = VAlign::Top;
  draw_text(cr, a.x + a.w / 2, a.y + a.h + tick + 0.9 + font_pt * kMmPerPoint * 1.1, x_label, ls);
  ls.angle_deg = 90, ls.valign = VAlign::Baseline;
  draw_text(cr, a.x - tick - 1.4 - widest, a.y + a.h / 2, y_label, ls);
  cairo_restore(cr);
}

}  // namespace p2r::viz
