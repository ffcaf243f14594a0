#include "viz/figure/figure_legend.h"

#include <algorithm>

#include "viz/figure/figure.h"
#include "viz/figure/figure_plots.h"
#include "viz/figure/figure_text.h"

namespace p2r::viz {
namespace {

constexpr double kLineLength = 4.0, kTextAt = 5.0;

double row_mm(double font_pt) {
  return font_pt * kMmPerPoint * 1.5;
}

TextStyle legend_text(double font_pt) {
  TextStyle ts;
  ts.size_pt = font_pt, ts.valign = VAlign::Middle;
  return ts;
}

}  // namespace

void legend_size_mm(cairo_t* cr, const std::vector<LegendEntry>& entries, double font_pt, double& width,
                    double& height) {
  double widest = 0;
  for (const LegendEntry& e : entries) widest = std::max(widest, text_width_mm(cr, e.name, legend_text(font_pt)));
  width = kTextAt + widest;
  height = row_mm(font_pt) * double(entries.size());
}

void draw_legend(cairo_t* cr, double x, double y, const std::vector<LegendEntry>& entries, double font_pt) {
  for (size_t i = 0; i < entries.size(); ++i) {
    const LegendEntry& e = entries[i];
    const double cy = y + row_mm(font_pt) * (double(i) + 0.5);
    if (e.line) {
      cairo_save(cr);
      cairo_set_source_rgb(cr, e.colour.r, e.colour.g, e.colour.b);
      cairo_set_line_width(cr, 0.35);
      cairo_move_to(cr, x, cy), cairo_line_to(cr, x + kLineLength, cy);
      cairo_stroke(cr);
      cairo_restore(cr);
    }
    draw_marker(cr, x + kLineLength / 2, cy, plot_marker(e.marker, e.colour));
    draw_text(cr, x + kTextAt, cy, e.name, legend_text(font_pt));
  }
}

bool free_corner(const FigureRect& area, double width, double height, const std::vector<PageSegment>& data,
                 double inset, double clear, FigureRect& corner) {
  const double left = area.x + inset, right = area.right() - inset - width;
  const double top = area.y + inset, bottom = area.bottom() - inset - height;
  const double xs[] = {right, left, right, left}, ys[] = {bottom, top, top, bottom};
  for (int i = 0; i < 4; ++i) {
    const FigureRect box{xs[i], ys[i], width, height};
    const FigureRect keep_out = box.grown(clear);
    if (std::none_of(data.begin(), data.end(),
                     [&](const PageSegment& s) { return keep_out.meets_segment(s.x0, s.y0, s.x1, s.y1); })) {
      corner = box;
      return true;
    }
  }
  return false;
}

}  // namespace p2r::viz
