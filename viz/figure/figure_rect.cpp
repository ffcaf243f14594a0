#include "viz/figure/figure_rect.h"

#include <algorithm>

namespace p2r::viz {

bool FigureRect::contains(double px, double py) const {
  return px >= x && px <= right() && py >= y && py <= bottom();
}

bool FigureRect::overlaps(const FigureRect& o) const {
  return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
}

bool FigureRect::meets_segment(double x0, double y0, double x1, double y1) const {
  // Liang-Barsky: clip the parameter range [0, 1] of p(t) = p0 + t (p1 - p0) against each border.
  double t0 = 0, t1 = 1;
  const double dx = x1 - x0, dy = y1 - y0;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {x0 - x, right() - x0, y0 - y, bottom() - y0};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;  // parallel to this border and outside it
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0) t0 = std::max(t0, t);
    else t1 = std::min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

FigureRect FigureRect::grown(double d) const {
  return {x - d, y - d, w + 2 * d, h + 2 * d};
}

void clip_to(cairo_t* cr, const FigureRect& r) {
  cairo_rectangle(cr, r.x, r.y, r.w, r.h);
  cairo_clip(cr);
}

}  // namespace p2r::viz
