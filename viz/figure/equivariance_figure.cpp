#include "viz/figure/equivariance_figure.h"

#include <algorithm>

#include "core/common/error.h"
#include "viz/compositing.h"
#include "viz/figure/figure_colorbar.h"
#include "viz/figure/figure_raster.h"

namespace p2r::viz {
namespace {

constexpr double kMargin = 1.5, kGap = 1.5, kBarSpace = 13.0, kBarWidth = 2.0, kMaxSide = 60.0;
constexpr double kTitleGap = 0.9, kCaptionGap = 0.7;
constexpr uint8_t kOutside[4] = {225, 225, 225, 255};  // light grey: outside phi's view

TextStyle title_style() { return centred_text(7); }
TextStyle caption_style() { return centred_text(6, VAlign::Top); }

void check(const EquivarianceFigureData& d) {
  P2R_CHECK(!d.maps.empty(), "equivariance figure: nothing computed (no error map)");
  P2R_CHECK(d.width > 0 && d.height > 0, "equivariance figure: empty image");
  const size_t n = size_t(d.width) * size_t(d.height);
  P2R_CHECK(d.image.size() == n, "equivariance figure: image has " << d.image.size() << " values, expected " << n);
  P2R_CHECK(d.low < d.high, "equivariance figure: colour range [" << d.low << ", " << d.high << "] is empty");
  for (const ErrorPanel& p : d.maps)
    P2R_CHECK(p.error.size() == n, "equivariance figure: map '" << p.title << "' does not match the " << d.width
                                                                << " x " << d.height << " image");
}

}  // namespace

EquivarianceLayout layout_equivariance_figure(const EquivarianceFigureData& d) {
  check(d);
  EquivarianceLayout l;
  const int panels = 1 + int(d.maps.size());
  const double grid_w = column_width_mm(d.column) - 2 * kMargin - kBarSpace;
  const double aspect = double(d.height) / d.width;
  const double side = std::min({(grid_w - kGap * (panels - 1)) / panels, kMaxSide, kMaxSide / aspect});
  const double panel_h = side * aspect;
  TextMeasure measure;
  std::vector<std::string> titles{d.image_title}, captions{""};
  for (const ErrorPanel& p : d.maps) titles.push_back(p.title), captions.push_back(p.caption);
  size_t title_lines = 1, caption_lines = 1;
  for (int i = 0; i < panels; ++i) {
    l.titles.push_back(fit_text(measure.context(), titles[size_t(i)], side, title_style(), 2));
    l.captions.push_back(fit_text(measure.context(), captions[size_t(i)], side, caption_style(), 2));
    title_lines = std::max(title_lines, l.titles.back().lines.size());
    caption_lines = std::max(caption_lines, l.captions.back().lines.size());
  }
  const double title_h = kTitleGap + text_block_height_mm(title_lines, title_style().size_pt) + 0.5;
  const double caption_h = kCaptionGap + double(caption_lines) * line_pitch_mm(caption_style().size_pt) + 0.3;
  for (int i = 0; i < panels; ++i) l.panels.push_back({kMargin + i * (side + kGap), kMargin + title_h, side, panel_h});
  const double grid_right = kMargin + panels * side + (panels - 1) * kGap;
  l.colorbar = {grid_right + kGap, l.panels[0].y, kBarWidth, panel_h};
  l.width_mm = grid_right + kBarSpace + kMargin;
  l.height_mm = 2 * kMargin + title_h + panel_h + caption_h;
  return l;
}

Figure make_equivariance_figure(const EquivarianceFigureData& d) {
  const EquivarianceLayout l = layout_equivariance_figure(d);
  Figure fig;
  fig.title = "Pix2Rep equivariance error: " + d.image_title;
  fig.width_mm = l.width_mm, fig.height_mm = l.height_mm;
  fig.add([d, l](cairo_t* cr) {
    for (size_t i = 0; i < l.panels.size(); ++i) {
      const FigureRect& p = l.panels[i];
      draw_fitted_text(cr, p.x + p.w / 2, p.y - kTitleGap, l.titles[i], title_style());
      draw_fitted_text(cr, p.x + p.w / 2, p.bottom() + kCaptionGap, l.captions[i], caption_style());
      draw_raster(cr,
                  i == 0 ? render_scalar(d.image.data(), d.width, d.height, {0.f, 1.f, Colormap::Gray})
                         : render_scalar_masked(d.maps[i - 1].error.data(), d.width, d.height,
                                                {d.low, d.high, d.colormap}, kOutside),
                  p.x, p.y, p.w, p.h);
    }
  });
  fig.add([d, l](cairo_t* cr) {
    const FigureRect& b = l.colorbar;
    draw_colorbar(cr, b.x, b.y, b.w, b.h, d.colormap, d.low, d.high, "1 - cosine", 2);
  });
  return fig;
}

}  // namespace p2r::viz
