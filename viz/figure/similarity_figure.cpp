#include "viz/figure/similarity_figure.h"

#include <algorithm>
#include <cstdio>

#include "core/common/error.h"
#include "viz/compositing.h"
#include "viz/figure/figure_colorbar.h"
#include "viz/figure/figure_marker.h"
#include "viz/figure/figure_raster.h"
#include "viz/figure/figure_text.h"

namespace p2r::viz {
namespace {

RgbaImage map_image(const SimilarityFigureData& d, const SimilarityPanel& p) {
  const float* grey = d.map_opacity >= 1.f ? nullptr : p.image.data();  // the image may be absent then
  return render_scalar_over_grey(p.similarity.data(), grey, d.width, d.height, {d.low, d.high, d.colormap},
                                 d.map_opacity);
}

}  // namespace

Figure make_similarity_figure(const SimilarityFigureData& d) {
  P2R_CHECK(!d.targets.empty(), "similarity figure: nothing computed (no target slices)");
  P2R_CHECK(d.width > 0 && d.height > 0, "similarity figure: empty query image");
  const size_t n = size_t(d.width) * d.height;
  P2R_CHECK(d.query_image.size() == n, "similarity figure: query image has " << d.query_image.size()
                                                                                 << " values, expected " << n);
  P2R_CHECK(d.query_x >= 0 && d.query_x < d.width && d.query_y >= 0 && d.query_y < d.height,
            "similarity figure: query pixel " << d.query_x << "," << d.query_y << " outside " << d.width << " x "
                                              << d.height);
  P2R_CHECK(d.low < d.high, "similarity figure: colour range [" << d.low << ", " << d.high << "] is empty");
  for (const SimilarityPanel& p : d.targets)
    P2R_CHECK(p.similarity.size() == n && (p.image.size() == n || d.map_opacity >= 1.f),
              "similarity figure: target '" << p.title << "' does not match the " << d.width << " x " << d.height
                                            << " query");
  const int panels = 1 + int(d.targets.size());
  const int cols = std::clamp(std::min(panels, d.max_columns), 1, panels);
  const int rows = (panels + cols - 1) / cols;
  Figure fig;
  fig.title = "Pix2Rep similarity: " + d.query_title;
  fig.width_mm = column_width_mm(d.column);
  const double margin = 1.5, gap = 1.5, bar_space = 13.0, title_h = 3.2, caption_h = 2.8;
  const double side = (fig.width_mm - 2 * margin - bar_space - gap * (cols - 1)) / cols;
  const double cell_h = title_h + side + caption_h;
  fig.height_mm = 2 * margin + rows * cell_h + (rows - 1) * gap;
  const double aspect = double(d.height) / d.width;
  auto cell = [=](int i, double& x, double& y) {
    x = margin + (i % cols) * (side + gap);
    y = margin + (i / cols) * (cell_h + gap) + title_h;
  };
  fig.add([d, side, aspect, cell](cairo_t* cr) {
    TextStyle title;
    title.size_pt = 7, title.halign = HAlign::Center;
    TextStyle caption = title;
    caption.size_pt = 6, caption.valign = VAlign::Top;
    MarkerStyle query_marker;
    query_marker.shape = MarkerShape::Plus, query_marker.colour = {1, 1, 1}, query_marker.size_mm = side * 0.06 + 0.8;
    MarkerStyle best_marker = query_marker;
    best_marker.shape = MarkerShape::Cross, best_marker.colour = {1, 0.2, 0.2};  // red-white: visible on viridis
    double x, y, fx, fy;
    cell(0, x, y);
    draw_text_fitted(cr, x + side / 2, y - 0.9, d.query_title.empty() ? "query" : d.query_title, side + 1.0, title);
    draw_raster(cr, render_scalar(d.query_image.data(), d.width, d.height, {0.f, 1.f, Colormap::Gray}), x, y, side,
                side * aspect);
    raster_to_figure(d.query_x, d.query_y, d.width, d.height, x, y, side, side * aspect, fx, fy);
    draw_marker(cr, fx, fy, query_marker);
    char text[64];
    std::snprintf(text, sizeof text, "query (%d, %d)", d.query_x, d.query_y);
    draw_text_fitted(cr, x + side / 2, y + side * aspect + 0.7, text, side + 1.0, caption);
    for (size_t t = 0; t < d.targets.size(); ++t) {
      const SimilarityPanel& p = d.targets[t];
      cell(int(t) + 1, x, y);
      draw_text_fitted(cr, x + side / 2, y - 0.9, p.title, side + 1.0, title);
      draw_raster(cr, map_image(d, p), x, y, side, side * aspect);
      raster_to_figure(p.best_x, p.best_y, d.width, d.height, x, y, side, side * aspect, fx, fy);
      draw_marker(cr, fx, fy, best_marker);
      std::snprintf(text, sizeof text, "best %.2f at (%d, %d)", p.best_score, p.best_x, p.best_y);
      draw_text_fitted(cr, x + side / 2, y + side * aspect + 0.7, text, side + 1.0, caption);
    }
  });
  const double bar_x = fig.width_mm - margin - bar_space + 1.5, bar_y = margin + title_h;
  const double bar_h = std::min(side * aspect, fig.height_mm - 2 * margin - title_h - caption_h);
  fig.add([d, bar_x, bar_y, bar_h](cairo_t* cr) {
    draw_colorbar(cr, bar_x, bar_y, 2.0, bar_h, d.colormap, d.low, d.high, "cosine similarity", 2);
  });
  return fig;
}

}  // namespace p2r::viz
