#include "viz/figure/segmentation_figure.h"

#include <algorithm>

#include "core/common/error.h"
#include "viz/compositing.h"
#include "viz/figure/figure_palette.h"
#include "viz/figure/figure_plots.h"
#include "viz/figure/figure_raster.h"
#include "viz/figure/figure_text.h"

namespace p2r::viz {
namespace {

RgbaImage overlay(const std::vector<float>& image, const std::vector<uint8_t>& labels, int size, float opacity) {
  RgbaImage out = render_scalar(image.data(), size, size, {0.f, 1.f, Colormap::Gray});
  const float a = std::clamp(opacity, 0.f, 1.f);
  for (int i = 0; i < size * size; ++i) {
    if (labels[i] == 0) continue;
    const Rgb c = structure_colour(labels[i]);
    uint8_t* p = out.pixels.data() + size_t(i) * 4;
    p[0] = uint8_t(p[0] * (1 - a) + c.r * 255 * a + 0.5f);
    p[1] = uint8_t(p[1] * (1 - a) + c.g * 255 * a + 0.5f);
    p[2] = uint8_t(p[2] * (1 - a) + c.b * 255 * a + 0.5f);
  }
  return out;
}

}  // namespace

Figure make_segmentation_figure(const SegmentationFigureData& d) {
  P2R_CHECK(!d.rows.empty(), "segmentation figure: nothing computed (no slices)");
  P2R_CHECK(d.size > 0, "segmentation figure: slice size must be positive");
  const size_t n = size_t(d.size) * d.size;
  bool any_truth = false;
  for (const SegmentationRow& r : d.rows) {
    P2R_CHECK(r.image.size() == n, "segmentation figure: row '" << r.title << "' image has " << r.image.size()
                                                                 << " values, expected " << n);
    P2R_CHECK(r.truth.empty() || r.truth.size() == n, "segmentation figure: row '" << r.title << "' ground truth size");
    P2R_CHECK(r.predictions.size() == d.method_names.size(),
              "segmentation figure: row '" << r.title << "' has " << r.predictions.size() << " predictions for "
                                           << d.method_names.size() << " methods");
    for (const auto& p : r.predictions)
      P2R_CHECK(p.size() == n, "segmentation figure: row '" << r.title << "' prediction size");
    any_truth = any_truth || !r.truth.empty();
  }
  const int cols = 1 + (any_truth ? 1 : 0) + int(d.method_names.size());
  Figure fig;
  fig.title = "Pix2Rep segmentation";
  fig.width_mm = column_width_mm(d.column);
  const double margin = 1.5, gap = 1.0, title_h = 3.4, row_label = 4.0, legend_h = 4.0;
  const double side = std::min(40.0, (fig.width_mm - 2 * margin - row_label - gap * (cols - 1)) / cols);
  const int rows = int(d.rows.size());
  fig.height_mm = 2 * margin + title_h + rows * side + (rows - 1) * gap + legend_h;
  const double x0 = margin + row_label, y0 = margin + title_h;
  fig.add([d, any_truth, side, x0, y0, gap, cols](cairo_t* cr) {
    TextStyle title;
    title.size_pt = 7, title.halign = HAlign::Center;
    std::vector<std::string> heads{"image"};
    if (any_truth) heads.push_back("ground truth");
    heads.insert(heads.end(), d.method_names.begin(), d.method_names.end());
    for (int c = 0; c < cols; ++c)
      draw_text_fitted(cr, x0 + c * (side + gap) + side / 2, y0 - 1.0, heads[c], side + gap, title);
    TextStyle row_style = title;
    row_style.size_pt = 6, row_style.angle_deg = 90, row_style.valign = VAlign::Baseline;
    for (size_t r = 0; r < d.rows.size(); ++r) {
      const SegmentationRow& row = d.rows[r];
      const double y = y0 + r * (side + gap);
      draw_text_fitted(cr, x0 - 1.0, y + side / 2, row.title, side + gap, row_style);
      int c = 0;
      draw_raster(cr, render_scalar(row.image.data(), d.size, d.size, {0.f, 1.f, Colormap::Gray}), x0, y, side, side);
      if (any_truth) {
        ++c;
        if (!row.truth.empty()) draw_raster(cr, overlay(row.image, row.truth, d.size, d.opacity), x0 + c * (side + gap), y, side, side);
      }
      for (const auto& p : row.predictions) {
        ++c;
        draw_raster(cr, overlay(row.image, p, d.size, d.opacity), x0 + c * (side + gap), y, side, side);
      }
    }
  });
  const double legend_y = y0 + rows * side + (rows - 1) * gap + 0.8;
  fig.add([d, x0, legend_y](cairo_t* cr) {
    TextStyle ts;
    ts.size_pt = 6, ts.valign = VAlign::Middle;
    double x = x0;
    for (size_t s = 1; s < d.structure_names.size(); ++s) {
      const Rgb c = structure_colour(uint8_t(s));
      cairo_rectangle(cr, x, legend_y + 0.4, 2.2, 2.2);
      cairo_set_source_rgb(cr, c.r, c.g, c.b);
      cairo_fill(cr);
      draw_text(cr, x + 3.0, legend_y + 1.5, d.structure_names[s], ts);
      x += 4.5 + text_width_mm(cr, d.structure_names[s], ts);
    }
  });
  return fig;
}

}  // namespace p2r::viz
