#include "viz/figure/similarity_figure.h"

#include <algorithm>
#include <cstdio>

#include "core/common/error.h"
#include "viz/compositing.h"
#include "viz/figure/figure_colorbar.h"
#include "viz/figure/figure_marker.h"
#include "viz/figure/figure_raster.h"

namespace p2r::viz {
namespace {

constexpr double kMargin = 1.5, kGap = 1.5, kBarSpace = 13.0, kBarWidth = 2.0, kMinSide = 20.0, kMaxSide = 60.0;
constexpr double kTitleGap = 0.9, kCaptionGap = 0.7;

TextStyle title_style() {
  return centred_text(7);
}

TextStyle caption_style() {
  return centred_text(6, VAlign::Top);
}

void check(const SimilarityFigureData& d) {
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
}

RgbaImage map_image(const SimilarityFigureData& d, const SimilarityPanel& p) {
  const float* grey = d.map_opacity >= 1.f ? nullptr : p.image.data();  // the image may be absent then
  return render_scalar_over_grey(p.similarity.data(), grey, d.width, d.height, {d.low, d.high, d.colormap},
                                 d.map_opacity);
}

std::string pixel_text(int x, int y) {
  return "(" + std::to_string(x) + ", " + std::to_string(y) + ")";
}

std::string best_caption(const SimilarityPanel& p) {
  char score[32];
  std::snprintf(score, sizeof score, "%.2f", double(p.best_score));
  return std::string("best ") + score + " at " + pixel_text(p.best_x, p.best_y);
}

}  // namespace

SimilarityLayout layout_similarity_figure(const SimilarityFigureData& d) {
  check(d);
  SimilarityLayout l;
  const int panels = 1 + int(d.targets.size());
  const double column = column_width_mm(d.column), grid_w = column - 2 * kMargin - kBarSpace;
  const int max_cols = std::max(1, std::min(d.max_columns, int((grid_w + kGap) / (kMinSide + kGap))));
  l.rows = (panels + max_cols - 1) / max_cols;
  l.cols = (panels + l.rows - 1) / l.rows;
  const double aspect = double(d.height) / d.width;
  const double side = std::min({(grid_w - kGap * (l.cols - 1)) / l.cols, kMaxSide, kMaxSide / aspect});
  const double panel_h = side * aspect;
  TextMeasure measure;
  cairo_t* cr = measure.context();
  std::vector<std::string> titles{d.query_title.empty() ? "query" : d.query_title};
  std::vector<std::string> captions{"query " + pixel_text(d.query_x, d.query_y)};
  for (const SimilarityPanel& p : d.targets) {
    titles.push_back(p.title);
    captions.push_back(best_caption(p));
  }
  size_t title_lines = 1, caption_lines = 1;
  for (int i = 0; i < panels; ++i) {
    l.titles.push_back(fit_text(cr, titles[size_t(i)], side, title_style(), 2));
    l.captions.push_back(fit_text(cr, captions[size_t(i)], side, caption_style(), 2));
    title_lines = std::max(title_lines, l.titles.back().lines.size());
    caption_lines = std::max(caption_lines, l.captions.back().lines.size());
  }
  const double title_h = kTitleGap + text_block_height_mm(title_lines, title_style().size_pt) + 0.5;
  const double caption_h = kCaptionGap + double(caption_lines) * line_pitch_mm(caption_style().size_pt) + 0.3;
  const double cell_h = title_h + panel_h + caption_h;
  const int in_last_row = panels - (l.rows - 1) * l.cols;
  for (int i = 0; i < panels; ++i) {
    const int row = i / l.cols, col = i % l.cols;
    const double indent = row == l.rows - 1 ? (l.cols - in_last_row) * (side + kGap) / 2 : 0.0;
    l.panels.push_back(
        {kMargin + indent + col * (side + kGap), kMargin + row * (cell_h + kGap) + title_h, side, panel_h});
  }
  const double grid_right = kMargin + l.cols * side + (l.cols - 1) * kGap;
  l.colorbar = {grid_right + kGap, l.panels[0].y, kBarWidth, panel_h};
  l.width_mm = grid_right + kBarSpace + kMargin;
  l.height_mm = 2 * kMargin + l.rows * cell_h + (l.rows - 1) * kGap;
  return l;
}

Figure make_similarity_figure(const SimilarityFigureData& d) {
  const SimilarityLayout l = layout_similarity_figure(d);
  Figure fig;
  fig.title = "Pix2Rep similarity: " + d.query_title;
  fig.width_mm = l.width_mm, fig.height_mm = l.height_mm;
  fig.add([d, l](cairo_t* cr) {
    const double side = l.panels[0].w;
    MarkerStyle query_marker;
    query_marker.shape = MarkerShape::Plus, query_marker.colour = {1, 1, 1}, query_marker.size_mm = side * 0.06 + 0.8;
    MarkerStyle best_marker = query_marker;
    best_marker.shape = MarkerShape::Cross, best_marker.colour = {1, 0.2, 0.2};  // red-white: visible on viridis
    for (size_t i = 0; i < l.panels.size(); ++i) {
      const FigureRect& p = l.panels[i];
      draw_fitted_text(cr, p.x + p.w / 2, p.y - kTitleGap, l.titles[i], title_style());
      draw_fitted_text(cr, p.x + p.w / 2, p.bottom() + kCaptionGap, l.captions[i], caption_style());
      const bool query = i == 0;
      draw_raster(cr,
                  query ? render_scalar(d.query_image.data(), d.width, d.height, {0.f, 1.f, Colormap::Gray})
                        : map_image(d, d.targets[i - 1]),
                  p.x, p.y, p.w, p.h);
      double fx, fy;
      raster_to_figure(query ? d.query_x : d.targets[i - 1].best_x, query ? d.query_y : d.targets[i - 1].best_y,
                       d.width, d.height, p.x, p.y, p.w, p.h, fx, fy);
      cairo_save(cr);
      clip_to(cr, p);
      draw_marker(cr, fx, fy, query ? query_marker : best_marker);
      cairo_restore(cr);
    }
  });
  fig.add([d, l](cairo_t* cr) {
    const FigureRect& b = l.colorbar;
    draw_colorbar(cr, b.x, b.y, b.w, b.h, d.colormap, d.low, d.high, "cosine similarity", 2);
  });
  return fig;
}

}  // namespace p2r::viz
