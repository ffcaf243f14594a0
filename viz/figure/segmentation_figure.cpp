#include "viz/figure/segmentation_figure.h"

#include <algorithm>

#include "core/common/error.h"
#include "viz/compositing.h"
#include "viz/figure/figure_palette.h"
#include "viz/figure/figure_raster.h"

namespace p2r::viz {
namespace {

constexpr double kMargin = 1.5, kGap = 1.0, kTitleGap = 1.0, kLegendH = 4.0;
constexpr double kMinSide = 5.0, kMaxSide = 60.0, kMaxPage = 230.0;
constexpr double kLegendSwatch = 2.2, kLegendTextAt = 3.0, kLegendSpacing = 1.5;

TextStyle head_style() {
  return centred_text(7);
}

TextStyle row_style() {
  return centred_text(6, VAlign::Baseline, 90);
}

TextStyle legend_style() {
  TextStyle s;
  s.size_pt = 6, s.valign = VAlign::Middle;
  return s;
}

RgbaImage grey(const std::vector<float>& image, int size) {
  return render_scalar(image.data(), size, size, {0.f, 1.f, Colormap::Gray});
}

RgbaImage overlay(const std::vector<float>& image, const std::vector<uint8_t>& labels, int size, float opacity) {
  RgbaImage out = grey(image, size);
  blend_labels(out, labels.data(), size, size, opacity);
  return out;
}

bool any_truth(const SegmentationFigureData& d) {
  return std::any_of(d.rows.begin(), d.rows.end(), [](const SegmentationRow& r) { return !r.truth.empty(); });
}

void check(const SegmentationFigureData& d) {
  P2R_CHECK(!d.rows.empty(), "segmentation figure: nothing computed (no slices)");
  P2R_CHECK(d.size > 0, "segmentation figure: slice size must be positive");
  const size_t n = size_t(d.size) * d.size;
  for (const SegmentationRow& r : d.rows) {
    P2R_CHECK(r.image.size() == n, "segmentation figure: row '" << r.title << "' image has " << r.image.size()
                                                                 << " values, expected " << n);
    P2R_CHECK(r.truth.empty() || r.truth.size() == n, "segmentation figure: row '" << r.title << "' ground truth size");
    P2R_CHECK(r.predictions.size() == d.method_names.size(),
              "segmentation figure: row '" << r.title << "' has " << r.predictions.size() << " predictions for "
                                           << d.method_names.size() << " methods");
    for (const auto& p : r.predictions)
      P2R_CHECK(p.size() == n, "segmentation figure: row '" << r.title << "' prediction size");
  }
}

std::vector<std::string> column_heads(const SegmentationFigureData& d) {
  std::vector<std::string> heads{"image"};
  if (any_truth(d)) heads.push_back("ground truth");
  heads.insert(heads.end(), d.method_names.begin(), d.method_names.end());
  return heads;
}

}  // namespace

SegmentationLayout layout_segmentation_figure(const SegmentationFigureData& d) {
  check(d);
  const std::vector<std::string> names = column_heads(d);
  SegmentationLayout l;
  l.rows = int(d.rows.size()), l.cols = int(names.size());
  TextMeasure measure;
  cairo_t* cr = measure.context();
  const double column = column_width_mm(d.column);
  const double row_label = kTitleGap + text_block_height_mm(1, row_style().size_pt) + 0.3;  // rotated titles' width
  double side = std::min(kMaxSide, (column - 2 * kMargin - row_label - kGap * (l.cols - 1)) / l.cols);
  double head_h = 0;
  auto fit_heads = [&] {
    l.heads.clear();
    size_t lines = 1;
    for (const std::string& name : names) {
      l.heads.push_back(fit_text(cr, name, side, head_style(), 2));
      lines = std::max(lines, l.heads.back().lines.size());
    }
    head_h = kTitleGap + text_block_height_mm(lines, head_style().size_pt);
  };
  fit_heads();
  const double grid_h = l.rows * side + (l.rows - 1) * kGap;
  if (2 * kMargin + head_h + grid_h + kLegendH > kMaxPage) {
    side = std::max(kMinSide, (kMaxPage - 2 * kMargin - head_h - kLegendH - (l.rows - 1) * kGap) / l.rows);
    fit_heads();
  }
  const double x0 = kMargin + row_label, y0 = kMargin + head_h;
  for (int r = 0; r < l.rows; ++r) {
    for (int c = 0; c < l.cols; ++c) l.panels.push_back({x0 + c * (side + kGap), y0 + r * (side + kGap), side, side});
    l.row_titles.push_back(fit_text(cr, d.rows[size_t(r)].title, side, row_style()));
  }
  const FigureRect& last = l.panels.back();
  double legend_w = 0;
  for (size_t s = 1; s < d.structure_names.size(); ++s)
    legend_w += (s > 1 ? kLegendSpacing : 0) + kLegendTextAt + text_width_mm(cr, d.structure_names[s], legend_style());
  l.legend = {x0, last.bottom() + 0.8, legend_w, kLegendSwatch + 0.8};
  l.width_mm = std::max(last.right(), l.legend.right()) + kMargin;
  l.height_mm = last.bottom() + kLegendH + kMargin;
  return l;
}

Figure make_segmentation_figure(const SegmentationFigureData& d) {
  const SegmentationLayout l = layout_segmentation_figure(d);
  const bool truth_column = any_truth(d);
  Figure fig;
  fig.title = "Pix2Rep segmentation";
  fig.width_mm = l.width_mm, fig.height_mm = l.height_mm;
  fig.add([d, l, truth_column](cairo_t* cr) {
    for (int c = 0; c < l.cols; ++c) {
      const FigureRect& p = l.panels[size_t(c)];
      draw_fitted_text(cr, p.x + p.w / 2, p.y - kTitleGap, l.heads[size_t(c)], head_style());
    }
    for (int r = 0; r < l.rows; ++r) {
      const SegmentationRow& row = d.rows[size_t(r)];
      auto draw_panel = [&](int c, const RgbaImage& image) {
        const FigureRect& p = l.panels[size_t(r * l.cols + c)];
        draw_raster(cr, image, p.x, p.y, p.w, p.h);
      };
      const FigureRect& first = l.panels[size_t(r * l.cols)];
      draw_fitted_text(cr, first.x - kTitleGap, first.y + first.h / 2, l.row_titles[size_t(r)], row_style());
      int c = 0;
      draw_panel(c, grey(row.image, d.size));
      if (truth_column) {
        ++c;
        if (!row.truth.empty()) draw_panel(c, overlay(row.image, row.truth, d.size, d.opacity));
      }
      for (const auto& labels : row.predictions) draw_panel(++c, overlay(row.image, labels, d.size, d.opacity));
    }
  });
  fig.add([d, l](cairo_t* cr) {
    const double cy = l.legend.y + l.legend.h / 2;
    double x = l.legend.x;
    for (size_t s = 1; s < d.structure_names.size(); ++s) {
      const Rgb c = label_colour(uint8_t(s));
      cairo_rectangle(cr, x, cy - kLegendSwatch / 2, kLegendSwatch, kLegendSwatch);
      cairo_set_source_rgb(cr, c.r, c.g, c.b);
      cairo_fill(cr);
      draw_text(cr, x + kLegendTextAt, cy, d.structure_names[s], legend_style());
      x += kLegendTextAt + text_width_mm(cr, d.structure_names[s], legend_style()) + kLegendSpacing;
    }
  });
  return fig;
}

}  // namespace p2r::viz
