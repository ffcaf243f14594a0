#include "viz/figure/dice_figure.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/common/error.h"
#include "viz/figure/figure_text.h"

namespace p2r::viz {
namespace {

constexpr double kFontPt = 6.0, kLegendInset = 1.0, kLegendGap = 2.0, kMargin = 2.5;

}  // namespace

DiceLayout layout_dice_figure(const DiceFigureData& d) {
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
  DiceLayout l;
  l.width_mm = column_width_mm(d.column);
  l.height_mm = l.width_mm * 0.68;
  Axes& a = l.axes;
  a.x = 11.0, a.y = kMargin, a.w = l.width_mm - a.x - kMargin, a.h = l.height_mm - a.y - 9.5;
  const int x_first = *xs.begin(), x_last = *xs.rbegin();
  a.log_x = x_last > x_first;
  a.x_min = a.log_x ? x_first / 1.25 : x_first - 1.0;
  a.x_max = a.log_x ? x_last * 1.25 : x_last + 1.0;
  a.y_min = std::max(0.0, std::floor(lo * 10) / 10);
  a.y_max = std::min(1.0, std::ceil(hi * 10) / 10);
  if (a.y_max <= a.y_min) a.y_min = 0, a.y_max = 1;
  for (int x : xs) l.x_ticks.values.push_back(x), l.x_ticks.labels.push_back(std::to_string(x));
  const MarkerShape shapes[] = {MarkerShape::Circle, MarkerShape::Square, MarkerShape::Diamond, MarkerShape::Circle,
                                MarkerShape::Square};
  for (size_t i = 0; i < d.curves.size(); ++i) {
    const DiceCurve& c = d.curves[i];
    LineSeries s;
    s.name = c.method, s.colour = okabe_ito(int(i)), s.marker = shapes[i % 5];
    s.dashed = c.method.find("v2") != std::string::npos;
    s.x.assign(c.n_labelled.begin(), c.n_labelled.end());
    s.y = c.mean, s.err = c.std;
    l.series.push_back(s);
    l.legend.push_back({c.method, s.colour, s.marker, true});
  }
  TextMeasure measure;
  double w = 0, h = 0;
  legend_size_mm(measure.context(), l.legend, kFontPt, w, h);
  std::vector<PageSegment> data;
  for (const LineSeries& s : l.series)
    for (const PageSegment& piece : series_segments(a, s)) data.push_back(piece);
  const FigureRect area{a.x, a.y, a.w, a.h};
  if (free_corner(area, w, h, data, kLegendInset, kPlotMarkerMm / 2 + 0.3, l.legend_box)) return l;
  if (w <= l.width_mm / 3) {  // to the right of a narrower plot area
    a.w -= w + kLegendGap;
    l.legend_box = {a.x + a.w + kLegendGap, a.y, w, h};
  } else {  // under the x axis label
    l.legend_box = {a.x, l.height_mm - kMargin, w, h};
    l.height_mm += h + kMargin;
  }
  return l;
}

Figure make_dice_figure(const DiceFigureData& d) {
  const DiceLayout l = layout_dice_figure(d);
  Figure fig;
  fig.title = "Dice vs labelled subjects";
  fig.width_mm = l.width_mm, fig.height_mm = l.height_mm;
  fig.add([d, l](cairo_t* cr) {
    draw_axes(cr, l.axes, d.x_label, d.y_label, l.x_ticks, {}, kFontPt);
    for (const LineSeries& s : l.series) draw_line_series(cr, l.axes, s);
    draw_legend(cr, l.legend_box.x, l.legend_box.y, l.legend, kFontPt);
  });
  return fig;
}

}  // namespace p2r::viz
