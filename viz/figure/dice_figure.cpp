#include "viz/figure/dice_figure.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/common/error.h"
#include "viz/figure/figure_axes.h"
#include "viz/figure/figure_plots.h"

namespace p2r::viz {

Figure make_dice_figure(const DiceFigureData& d) {
  std::set<int> xs;
  double lo = 1, hi = 0;
  for (const DiceCurve& c : d.curves) {
    P2R_CHECK(c.n_labelled.size() == c.mean.size() && c.std.size() == c.mean.size(),
              "Dice figure: method '" << c.method << "' has " << c.n_labelled.size() << " sizes, " << c.mean.size()
                                      << " means and " << c.std.size() << " stds");
    for (size_t i = 0; i < c.mean.size(); ++i) {
      P2R_CHECK(c.n_labelled[i] >= 1, "Dice figure: method '" << c.method << "': labelled subjects must be >= 1");
      xs.insert(c.n_labelled[i]);
      lo = std::min(lo, c.mean[i] - c.std[i]);
      hi = std::max(hi, c.mean[i] + c.std[i]);
    }
  }
  P2R_CHECK(!xs.empty(), "Dice figure: nothing computed (no benchmark results)");
  Figure fig;
  fig.title = "Dice vs labelled subjects";
  fig.width_mm = column_width_mm(d.column);
  fig.height_mm = fig.width_mm * 0.68;
  Axes a;
  a.x = 11.0, a.y = 2.5, a.w = fig.width_mm - a.x - 2.5, a.h = fig.height_mm - a.y - 9.5;
  const int x_first = *xs.begin(), x_last = *xs.rbegin();
  a.log_x = x_last > x_first;
  a.x_min = a.log_x ? x_first / 1.25 : x_first - 1.0;
  a.x_max = a.log_x ? x_last * 1.25 : x_last + 1.0;
  a.y_min = std::max(0.0, std::floor(lo * 10) / 10);
  a.y_max = std::min(1.0, std::ceil(hi * 10) / 10);
  if (a.y_max <= a.y_min) a.y_min = 0, a.y_max = 1;
  AxisTicks x_ticks;
  for (int x : xs) x_ticks.values.push_back(x), x_ticks.labels.push_back(std::to_string(x));
  const MarkerShape shapes[] = {MarkerShape::Circle, MarkerShape::Square, MarkerShape::Diamond, MarkerShape::Circle,
                                MarkerShape::Square};
  std::vector<LineSeries> series;
  std::vector<LegendEntry> legend;
  for (size_t i = 0; i < d.curves.size(); ++i) {
    const DiceCurve& c = d.curves[i];
    LineSeries s;
    s.name = c.method, s.colour = okabe_ito(int(i)), s.marker = shapes[i % 5];
    s.dashed = c.method.find("v2") != std::string::npos;
    s.x.assign(c.n_labelled.begin(), c.n_labelled.end());
    s.y = c.mean, s.err = c.std;
    series.push_back(s);
    legend.push_back({c.method, s.colour, s.marker, true});
  }
  fig.add([=](cairo_t* cr) {
    draw_axes(cr, a, d.x_label, d.y_label, x_ticks, {}, 6.0);
    for (const LineSeries& s : series) draw_line_series(cr, a, s);
    draw_legend(cr, a.x + a.w * 0.55, a.y + a.h - legend.size() * 6 * kMmPerPoint * 1.5 - 1.0, legend, 6.0);
  });
  return fig;
}

}  // namespace p2r::viz
