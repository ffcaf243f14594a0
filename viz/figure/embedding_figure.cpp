#include "viz/figure/embedding_figure.h"

#include <algorithm>
#include <set>

#include "core/common/error.h"
#include "viz/figure/figure_axes.h"
#include "viz/figure/figure_legend.h"
#include "viz/figure/figure_plots.h"
#include "viz/figure/figure_raster.h"
#include "viz/figure/figure_text.h"

namespace p2r::viz {

namespace {

// The leading whole words (each followed by a space) that every title shares; "" when none.
std::string common_words(const std::vector<std::string>& titles) {
  if (titles.empty()) return "";
  size_t n = titles[0].size();
  for (const std::string& t : titles) {
    size_t k = 0;
    while (k < n && k < t.size() && t[k] == titles[0][k]) ++k;
    n = k;
  }
  while (n > 0 && titles[0][n - 1] != ' ') --n;  // back to a word boundary
  for (const std::string& t : titles)
    if (t.size() <= n) return "";  // a title would become empty
  return titles[0].substr(0, n);
}

}  // namespace

Rgb class_colour(int c) {
  return c <= 0 ? Rgb{0.62, 0.62, 0.62} : label_colour(uint8_t(c));
}

Figure make_embedding_figure(const EmbeddingFigureData& d) {
  const size_t n = d.classes.size();
  P2R_CHECK(n > 0, "embedding figure: nothing computed (no t-SNE points)");
  P2R_CHECK(d.coords.size() == 2 * n, "embedding figure: " << d.coords.size() / 2 << " coordinates for " << n
                                                             << " classes");
  P2R_CHECK(!d.vignette.empty(), "embedding figure: the reference colour map is empty");
  P2R_CHECK(d.image_titles.empty() || d.image_titles.size() == d.coloured_images.size(),
            "embedding figure: " << d.image_titles.size() << " titles for " << d.coloured_images.size() << " images");
  for (const RgbaImage& im : d.coloured_images) P2R_CHECK(!im.empty(), "embedding figure: empty coloured image");
  Figure fig;
  fig.title = "Pix2Rep embedding (t-SNE)";
  fig.width_mm = column_width_mm(d.column);
  const double margin = 1.5, gap = 2.0, title_h = 3.2, min_side = 14.0;
  const int images = int(d.coloured_images.size());
  // Titles sharing leading words ("patient002 ED z=3", "patient002 ED z=4"): the shared part once
  // above the images, the rest over each.
  const std::string heading = images > 1 ? common_words(d.image_titles) : std::string();
  std::vector<std::string> titles = d.image_titles;
  for (std::string& t : titles) t = t.substr(heading.size());
  const double head_h = heading.empty() ? 0.0 : title_h;
  // Scatter square of side `scatter`; vignette (with the legend under it) of side 0.4 * scatter;
  // the coloured images in the rows x columns grid that makes them largest within the scatter height
  // right of the vignette, or, when that leaves them smaller than min_side, in rows below.
  const double scatter = std::min(55.0, fig.width_mm * 0.3);
  const double vig = scatter * 0.4;
  const double rest = fig.width_mm - 2 * margin - 8.0 - scatter - vig - 2 * gap;
  double img_side = 0;
  int img_cols = 1;
  for (int rows = 1; rows <= std::max(1, images); ++rows) {
    const int cols = (images + rows - 1) / rows;
    const double side = std::min((rest - gap * (cols - 1)) / std::max(1, cols),
                                 (scatter - head_h - (rows - 1) * (gap + title_h)) / rows);
    if (side > img_side) img_side = side, img_cols = std::max(1, cols);
  }
  const bool below = images > 0 && img_side < min_side;
  const double upper_h = 2 * margin + title_h + scatter + 7.0;
  fig.height_mm = upper_h;
  if (below) {
    const double avail = fig.width_mm - 2 * margin;
    img_cols = std::clamp(int((avail + gap) / (min_side + gap)), 1, images);
    img_side = std::min(scatter, (avail - gap * (img_cols - 1)) / img_cols);
    const int rows = (images + img_cols - 1) / img_cols;
    fig.height_mm += head_h + rows * (title_h + img_side) + (rows - 1) * gap;
  }
  const double ax_x = margin + 8.0, top = margin + title_h;
  std::vector<double> xs(n), ys(n);
  for (size_t i = 0; i < n; ++i) xs[i] = d.coords[2 * i], ys[i] = d.coords[2 * i + 1];
  Axes axes;
  axes.x = ax_x, axes.y = top, axes.w = scatter, axes.h = scatter;
  const auto [xmin, xmax] = std::minmax_element(xs.begin(), xs.end());
  const auto [ymin, ymax] = std::minmax_element(ys.begin(), ys.end());
  const double px = std::max(1e-6, (*xmax - *xmin) * 0.05), py = std::max(1e-6, (*ymax - *ymin) * 0.05);
  axes.x_min = *xmin - px, axes.x_max = *xmax + px, axes.y_min = *ymin - py, axes.y_max = *ymax + py;
  fig.add([d, axes, xs, ys](cairo_t* cr) {
    std::vector<Rgb> colours(xs.size());
    for (size_t i = 0; i < xs.size(); ++i) colours[i] = class_colour(d.classes[i]);
    draw_scatter(cr, axes, xs, ys, colours, 0.25);
    draw_axes(cr, axes, "t-SNE 1", "t-SNE 2", {{}, {}}, {{}, {}}, 5.5);
    const TextStyle title = centred_text(7);
    draw_text_fitted(cr, axes.x + axes.w / 2, axes.y - 0.9, "t-SNE of pixel embeddings", axes.w + 1.0, title);
  });
  const double vig_x = ax_x + scatter + gap;
  fig.add([d, vig_x, top, vig](cairo_t* cr) {
    const TextStyle title = centred_text(7);
    draw_text_fitted(cr, vig_x + vig / 2, top - 0.9, "colour map", vig + 1.5, title);
    draw_raster(cr, d.vignette, vig_x, top, vig, vig);
    std::set<int> present(d.classes.begin(), d.classes.end());
    std::vector<LegendEntry> legend;
    for (int c : present)
      legend.push_back({c < int(d.class_names.size()) ? d.class_names[c] : "class " + std::to_string(c),
                        class_colour(c), MarkerShape::Circle, false});
    draw_legend(cr, vig_x, top + vig + 2.0, legend, 6);
  });
  const double img_x0 = below ? margin : vig_x + vig + gap;
  const double img_y0 = (below ? upper_h - margin + title_h : top) + head_h;
  const double block_w = img_cols * img_side + (img_cols - 1) * gap;
  fig.add([d, titles, heading, img_x0, img_y0, img_side, img_cols, block_w, gap, title_h](cairo_t* cr) {
    const TextStyle title = centred_text(6.5);
    if (!heading.empty()) {
      const TextStyle head = centred_text(7);
      draw_text_fitted(cr, img_x0 + block_w / 2, img_y0 - title_h - 0.9, heading.substr(0, heading.size() - 1),
                       block_w, head);
    }
    for (size_t i = 0; i < d.coloured_images.size(); ++i) {
      const double x = img_x0 + (i % img_cols) * (img_side + gap);
      const double y = img_y0 + (i / img_cols) * (img_side + gap + title_h);
      if (!titles.empty()) draw_text_fitted(cr, x + img_side / 2, y - 0.9, titles[i], img_side + gap, title);
      const RgbaImage& im = d.coloured_images[i];
      draw_raster(cr, im, x, y, img_side, img_side * im.height / im.width);
    }
  });
  return fig;
}

}  // namespace p2r::viz
