// Figures that fill the page and match the studio: the structure colours are the studio's and stay
// apart under colour blindness; no column band of a page is empty; grids have no empty slots;
// titles fit their panels; markers stay in their panels; the Dice legend is clear of the data; the
// equivariance figure's panels fit and its missing pixels are grey.
// Pixels are read back from PNG files written by write_figure; nothing depends on the CPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <string>

#include "core/common/error.h"
#include "viz/colormap.h"
#include "viz/figure/dice_figure.h"
#include "viz/figure/equivariance_figure.h"
#include "viz/figure/figure_export.h"
#include "viz/figure/figure_palette.h"
#include "viz/figure/segmentation_figure.h"
#include "viz/figure/similarity_figure.h"
#include "viz/png_read.h"

namespace fs = std::filesystem;
using namespace p2r::viz;

namespace {

constexpr double kDpi = 150;

double px_per_mm() {
  return kDpi / 25.4;
}

// figure written as a PNG at kDpi and read back.
RgbaImage png_of(const Figure& figure) {
  const fs::path dir = fs::temp_directory_path() / ("p2r_figure_layout_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "figure.png").string();
  write_figure(figure, path, kDpi);
  RgbaImage image = read_png(path);
  fs::remove_all(dir);
  return image;
}

using Bytes = std::array<int, 3>;

Bytes bytes(const uint8_t* rgb) {
  return {rgb[0], rgb[1], rgb[2]};
}

bool background(const uint8_t* p) {
  return p[0] >= 250 && p[1] >= 250 && p[2] >= 250;
}

// Left edges (mm) of the bands of width band_mm, tiling the page, where every pixel is background.
std::vector<double> empty_column_bands(const RgbaImage& image, double band_mm) {
  std::vector<double> empty;
  const int band = int(std::lround(band_mm * px_per_mm()));
  for (int x0 = 0; x0 + band <= image.width; x0 += band) {
    bool blank = true;
    for (int x = x0; x < x0 + band && blank; ++x)
      for (int y = 0; y < image.height && blank; ++y) blank = background(image.at(x, y));
    if (blank) empty.push_back(x0 / px_per_mm());
  }
  return empty;
}

// Pixels of image inside the rectangle r (mm) shrunk by one pixel, that are not background.
int drawn_pixels_in(const RgbaImage& image, const FigureRect& r) {
  const int x0 = int(std::ceil(r.x * px_per_mm())) + 1, x1 = int(std::floor(r.right() * px_per_mm())) - 1;
  const int y0 = int(std::ceil(r.y * px_per_mm())) + 1, y1 = int(std::floor(r.bottom() * px_per_mm())) - 1;
  int n = 0;
  for (int y = std::max(0, y0); y <= std::min(y1, image.height - 1); ++y)
    for (int x = std::max(0, x0); x <= std::min(x1, image.width - 1); ++x) n += !background(image.at(x, y));
  return n;
}

// Every line of text no wider than width_mm, measured as the figure draws it.
void expect_fits(const FittedText& text, double width_mm, TextStyle style, const std::string& what) {
  TextMeasure measure;
  style.size_pt = text.size_pt;
  for (const std::string& line : text.lines)
    EXPECT_LE(text_width_mm(measure.context(), line, style), width_mm + 1e-9) << what << ": '" << line << "'";
}

std::string joined(const FittedText& text) {
  std::string out;
  for (const std::string& line : text.lines) out += (out.empty() ? "" : " ") + line;
  return out;
}

std::vector<float> disc(int n, float centre) {
  std::vector<float> v(size_t(n) * n);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) v[size_t(y) * n + x] = std::hypot(x - centre, y - centre) < n * 0.4f ? 0.7f : 0.1f;
  return v;
}

SegmentationFigureData segmentation_data(int methods, int rows, bool truth, ColumnWidth column) {
  SegmentationFigureData d;
  d.size = 32, d.column = column;
  for (int m = 0; m < methods; ++m) d.method_names.push_back("method " + std::to_string(m));
  for (int r = 0; r < rows; ++r) {
    SegmentationRow row;
    row.title = "patient00" + std::to_string(r + 1) + " ED z=4";
    row.image = disc(32, 16);
    std::vector<uint8_t> labels(32 * 32, 0);
    for (int i = 0; i < 32 * 32; ++i) labels[size_t(i)] = uint8_t(std::min(3, (i % 32) / 8));
    if (truth) row.truth = labels;
    row.predictions.assign(size_t(methods), labels);
    d.rows.push_back(row);
  }
  return d;
}

SimilarityFigureData similarity_data(int targets, ColumnWidth column) {
  SimilarityFigureData d;
  d.width = d.height = 32, d.column = column;
  d.query_title = "query: patient002 ED z=4";
  d.query_image = disc(32, 16);
  d.query_x = 0, d.query_y = 31;  // corners: a marker there reaches past the panel unless clipped
  for (int t = 0; t < targets; ++t) {
    SimilarityPanel p;
    p.title = "patient0" + std::to_string(10 + t) + " ES z=" + std::to_string(t);
    p.image = disc(32, 16);
    p.similarity = disc(32, float(t));
    p.best_x = t % 2 ? 31 : 0, p.best_y = t % 3 ? 31 : 0, p.best_score = 0.97f;
    d.targets.push_back(p);
  }
  return d;
}

EquivarianceFigureData equivariance_data(ColumnWidth column) {
  EquivarianceFigureData d;
  d.width = d.height = 32, d.column = column;
  d.image_title = "patient002 ED z=4";
  d.image = disc(32, 16);
  std::vector<float> spatial = disc(32, 10);
  for (int x = 0; x < 8; ++x) spatial[size_t(x)] = std::nanf("");  // outside phi's view: grey
  d.maps.push_back({"rotate 30 deg, scale 0.9, flip", "mean 0.123, median 0.045", spatial});
  d.maps.push_back({"intensity reversal", "mean 0.300, median 0.250", disc(32, 20)});
  d.high = 0.7f;
  return d;
}

// Machado et al. 2009 full-severity simulation matrices on linear RGB, then CIE L*a*b* (D65).
using Vec3 = std::array<double, 3>;

Vec3 lab_as_seen(const std::array<uint8_t, 3>& srgb, int deficiency) {
  static const double kMachado[3][3][3] = {
      {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},   // protan
      {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},    // deutan
      {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}}};  // tritan
  Vec3 lin;
  for (int c = 0; c < 3; ++c) {
    const double v = srgb[size_t(c)] / 255.0;
    lin[size_t(c)] = v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  }
  Vec3 seen = lin;
  if (deficiency >= 0)
    for (int i = 0; i < 3; ++i) {
      seen[size_t(i)] = 0;
      for (int j = 0; j < 3; ++j) seen[size_t(i)] += kMachado[deficiency][i][j] * lin[size_t(j)];
      seen[size_t(i)] = std::clamp(seen[size_t(i)], 0.0, 1.0);
    }
  const double X = (0.4124 * seen[0] + 0.3576 * seen[1] + 0.1805 * seen[2]) / 0.95047;
  const double Y = 0.2126 * seen[0] + 0.7152 * seen[1] + 0.0722 * seen[2];
  const double Z = (0.0193 * seen[0] + 0.1192 * seen[1] + 0.9505 * seen[2]) / 1.08883;
  auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116; };
  return {116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))};
}

}  // namespace

TEST(FigurePalette, StructuresHaveTheStudiosColours) {
  for (int label = 0; label < kLabelPaletteSize; ++label) {
    const Rgb c = label_colour(uint8_t(label));
    const Bytes figure{int(std::lround(c.r * 255)), int(std::lround(c.g * 255)), int(std::lround(c.b * 255))};
    EXPECT_EQ(figure, bytes(label_rgb(uint8_t(label)).data())) << "label " << label;
  }
  // A segmentation figure at full opacity shows each structure in the studio's colour.
  SegmentationFigureData d = segmentation_data(1, 1, false, ColumnWidth::Single);
  d.opacity = 1.f;
  const SegmentationLayout l = layout_segmentation_figure(d);
  const RgbaImage png = png_of(make_segmentation_figure(d));
  const FigureRect& p = l.panels[1];
  for (int label = 1; label <= 3; ++label) {
    const double x = p.x + (label * 8 + 4) / 32.0 * p.w, y = p.y + p.h / 2;  // column band of that label
    EXPECT_EQ(bytes(png.at(int(x * px_per_mm()), int(y * px_per_mm()))), bytes(label_rgb(uint8_t(label)).data()))
        << label_name(uint8_t(label));
  }
}

TEST(FigurePalette, StructuresStayApartWithColourBlindness) {
  // CIE76 distance of every pair of RV, MYO, LV with normal vision and simulated protanopia,
  // deuteranopia and tritanopia; 12 is plainly different side by side (2.3 is just noticeable).
  const char* vision[] = {"normal", "protanopia", "deuteranopia", "tritanopia"};
  for (int v = 0; v < 4; ++v)
    for (int a = 1; a <= 3; ++a)
      for (int b = a + 1; b <= 3; ++b) {
        const Vec3 la = lab_as_seen(label_rgb(uint8_t(a)), v - 1), lb = lab_as_seen(label_rgb(uint8_t(b)), v - 1);
        const double distance = std::hypot(la[0] - lb[0], la[1] - lb[1], la[2] - lb[2]);
        EXPECT_GE(distance, 12.0) << label_name(uint8_t(a)) << " / " << label_name(uint8_t(b)) << ", " << vision[v];
      }
}

TEST(SegmentationFigure, FillsThePageWithNoEmptyColumn) {
  struct Case {
    int methods, rows;
    bool truth;
    ColumnWidth column;
  };
  for (const Case& c : {Case{2, 2, false, ColumnWidth::Double}, Case{2, 2, true, ColumnWidth::Double},
                        Case{1, 1, false, ColumnWidth::Double}, Case{3, 2, true, ColumnWidth::Single},
                        Case{1, 10, true, ColumnWidth::Double}}) {
    const SegmentationFigureData d = segmentation_data(c.methods, c.rows, c.truth, c.column);
    const std::string what = std::to_string(c.methods) + " methods, " + std::to_string(c.rows) + " rows";
    const SegmentationLayout l = layout_segmentation_figure(d);
    ASSERT_EQ(l.panels.size(), size_t(l.rows * l.cols)) << what;
    EXPECT_EQ(l.cols, 1 + c.methods + (c.truth ? 1 : 0)) << what;
    EXPECT_LE(l.width_mm, column_width_mm(c.column) + 1e-9) << what;
    for (const FigureRect& p : l.panels) EXPECT_TRUE(p.right() <= l.width_mm && p.bottom() <= l.height_mm) << what;
    for (int col = 0; col < l.cols; ++col) expect_fits(l.heads[size_t(col)], l.panels[size_t(col)].w, {}, what);
    const RgbaImage png = png_of(make_segmentation_figure(d));
    EXPECT_EQ(empty_column_bands(png, 3.0), std::vector<double>()) << what;
  }
}

TEST(SimilarityFigure, GridHasNoEmptySlotAndFillsThePage) {
  for (ColumnWidth column : {ColumnWidth::Single, ColumnWidth::Double})
    for (int targets = 1; targets <= 12; ++targets) {
      const std::string what =
          std::to_string(targets) + (column == ColumnWidth::Single ? " targets, single" : " targets, double");
      const SimilarityLayout l = layout_similarity_figure(similarity_data(targets, column));
      const int panels = targets + 1;
      ASSERT_EQ(l.panels.size(), size_t(panels)) << what;
      EXPECT_LT(l.rows * l.cols - panels, l.rows) << what;  // at most one gap per row, all in the last
      EXPECT_GE(l.rows * l.cols, panels) << what;
      EXPECT_LE(l.width_mm, column_width_mm(column) + 1e-9) << what;
      for (size_t i = 0; i < l.panels.size(); ++i) {
        const FigureRect& p = l.panels[i];
        EXPECT_TRUE(p.x >= 0 && p.right() <= l.colorbar.x && p.bottom() <= l.height_mm) << what;
        for (size_t j = 0; j < i; ++j) EXPECT_FALSE(p.overlaps(l.panels[j])) << what << ": panels " << j << ", " << i;
      }
      // The last row is centred under the full ones.
      const FigureRect &first = l.panels[size_t((l.rows - 1) * l.cols)], &last = l.panels.back();
      EXPECT_NEAR(first.x - l.panels[0].x, l.panels[size_t(l.cols - 1)].right() - last.right(), 1e-9) << what;
      if (targets % 4 == 1) {
        const RgbaImage png = png_of(make_similarity_figure(similarity_data(targets, column)));
        EXPECT_EQ(empty_column_bands(png, 3.0), std::vector<double>()) << what;
      }
    }
}

TEST(SimilarityFigure, TitlesFitTheirPanelsWithoutBeingCut) {
  for (ColumnWidth column : {ColumnWidth::Single, ColumnWidth::Double})
    for (int targets : {3, 5, 7}) {
      const SimilarityFigureData d = similarity_data(targets, column);
      const SimilarityLayout l = layout_similarity_figure(d);
      const std::string what = std::to_string(targets) + " targets";
      for (size_t i = 0; i < l.panels.size(); ++i) {
        TextStyle caption;
        caption.size_pt = 6;
        expect_fits(l.titles[i], l.panels[i].w, {}, what);
        expect_fits(l.captions[i], l.panels[i].w, caption, what);
        EXPECT_EQ(joined(l.titles[i]), i == 0 ? d.query_title : d.targets[i - 1].title) << what;  // whole, not elided
        EXPECT_GE(l.titles[i].size_pt, 5.0) << what;
      }
    }
  // A title too long for two lines at the smallest size is elided, still within the panel.
  SimilarityFigureData d = similarity_data(3, ColumnWidth::Single);
  d.targets[0].title = "a_very_long_subject_identifier_without_any_space_in_it ES z=12";
  const SimilarityLayout l = layout_similarity_figure(d);
  expect_fits(l.titles[1], l.panels[1].w, {}, "long title");
  EXPECT_NE(joined(l.titles[1]).find("..."), std::string::npos);
}

TEST(SimilarityFigure, MarkersStayInsideTheirPanels) {
  // Markers sit at the corners of their slices: the page between and beside the panels stays blank
  // at the panels' height, and so does the strip just under each panel (captions begin lower).
  for (ColumnWidth column : {ColumnWidth::Single, ColumnWidth::Double}) {
    const SimilarityFigureData d = similarity_data(5, column);
    const SimilarityLayout l = layout_similarity_figure(d);
    const RgbaImage png = png_of(make_similarity_figure(d));
    for (size_t i = 0; i < l.panels.size(); ++i) {
      const FigureRect& p = l.panels[i];
      const FigureRect left{p.x - 1.4, p.y, 1.4, p.h}, right{p.right(), p.y, 1.4, p.h},
          under{p.x, p.bottom(), p.w, 0.5};
      EXPECT_EQ(drawn_pixels_in(png, left), 0) << "left of panel " << i;
      EXPECT_EQ(drawn_pixels_in(png, right), 0) << "right of panel " << i;
      EXPECT_EQ(drawn_pixels_in(png, under), 0) << "under panel " << i;
    }
  }
}

TEST(EquivarianceFigure, PanelsFitThePageWithTitlesAndGreyOutside) {
  for (ColumnWidth column : {ColumnWidth::Single, ColumnWidth::Double}) {
    const EquivarianceFigureData d = equivariance_data(column);
    const EquivarianceLayout l = layout_equivariance_figure(d);
    ASSERT_EQ(l.panels.size(), 3u);
    EXPECT_LE(l.width_mm, column_width_mm(column) + 1e-9);
    for (size_t i = 0; i < l.panels.size(); ++i) {
      const FigureRect& p = l.panels[i];
      EXPECT_TRUE(p.x >= 0 && p.right() <= l.colorbar.x && p.bottom() <= l.height_mm);
      if (i > 0) {
        EXPECT_FALSE(p.overlaps(l.panels[i - 1]));
      }
      TextStyle caption;
      caption.size_pt = 6;
      expect_fits(l.titles[i], p.w, {}, "title");
      expect_fits(l.captions[i], p.w, caption, "caption");
    }
    EXPECT_EQ(joined(l.titles[1]), d.maps[0].title);
    EXPECT_EQ(joined(l.captions[2]), d.maps[1].caption);
    // The first row of the spatial map is NaN up to x = 8: light grey, not a colour of the map.
    const RgbaImage png = png_of(make_equivariance_figure(d));
    const FigureRect& p = l.panels[1];
    const double cell = p.w / 32;
    const uint8_t* outside = png.at(int((p.x + 2.5 * cell) * px_per_mm()), int((p.y + 0.5 * cell) * px_per_mm()));
    EXPECT_EQ(bytes(outside), (Bytes{225, 225, 225}));
    EXPECT_EQ(empty_column_bands(png, 3.0), std::vector<double>());
  }
  EquivarianceFigureData none = equivariance_data(ColumnWidth::Single);
  none.maps.clear();
  EXPECT_THROW(layout_equivariance_figure(none), p2r::Error);
}

TEST(DiceFigure, LegendIsClearOfTheData) {
  const std::vector<DiceCurve> rising = {
      {"supervised", {1, 2, 5, 10}, {0.33, 0.51, 0.70, 0.79}, {0.04, 0.02, 0.02, 0.01}},
      {"pix2rep-probe", {1, 2, 5, 10}, {0.62, 0.70, 0.77, 0.81}, {0.0, 0.01, 0.01, 0.0}},
      {"pix2rep-finetune", {1, 2, 5, 10}, {0.66, 0.75, 0.82, 0.85}, {0.01, 0.0, 0.015, 0.0}}};
  // Curves through every corner: the legend must leave the plot area.
  const std::vector<DiceCurve> crossing = {
      {"supervised", {1, 2, 5, 10}, {0.9, 0.2, 0.9, 0.2}, {0.05, 0.05, 0.05, 0.05}},
      {"pix2rep-probe", {1, 2, 5, 10}, {0.2, 0.9, 0.2, 0.9}, {0.05, 0.05, 0.05, 0.05}}};
  // The bottom right, where the legend used to sit, is taken by a falling curve.
  const std::vector<DiceCurve> falling = {
      {"supervised", {1, 2, 5, 10}, {0.8, 0.6, 0.4, 0.2}, {0.02, 0.02, 0.02, 0.02}},
      {"pix2rep-probe", {1, 2, 5, 10}, {0.85, 0.7, 0.5, 0.3}, {0.02, 0.02, 0.02, 0.02}}};
  std::vector<DiceCurve> wide = crossing;
  wide[0].method = "supervised U-Net trained from scratch on the labelled subjects only";
  int outside = 0;
  for (const auto& curves : {rising, crossing, falling, wide})
    for (ColumnWidth column : {ColumnWidth::Single, ColumnWidth::Double}) {
      DiceFigureData d;
      d.curves = curves, d.column = column;
      const DiceLayout l = layout_dice_figure(d);
      const FigureRect& box = l.legend_box;
      const std::string what = curves[0].method + (column == ColumnWidth::Single ? ", single" : ", double");
      EXPECT_TRUE(box.x >= 0 && box.y >= 0 && box.right() <= l.width_mm && box.bottom() <= l.height_mm) << what;
      const FigureRect area{l.axes.x, l.axes.y, l.axes.w, l.axes.h};
      outside += !box.overlaps(area);
      // Markers (with their radius), error bars and curves sampled every 0.05 mm.
      const double r = kPlotMarkerMm / 2;
      for (const LineSeries& s : l.series) {
        int hits = 0;
        for (size_t i = 0; i < s.x.size(); ++i) {
          const double px = l.axes.map_x(s.x[i]), py = l.axes.map_y(s.y[i]);
          hits += box.overlaps({px - r, py - r, 2 * r, 2 * r});
          for (double y = s.y[i] - s.err[i]; y <= s.y[i] + s.err[i]; y += 0.001)
            hits += box.contains(px, l.axes.map_y(y));
          if (i == 0) continue;
          const double qx = l.axes.map_x(s.x[i - 1]), qy = l.axes.map_y(s.y[i - 1]);
          const int steps = int(std::hypot(px - qx, py - qy) / 0.05) + 1;
          for (int k = 0; k <= steps; ++k) hits += box.contains(qx + (px - qx) * k / steps, qy + (py - qy) * k / steps);
        }
        EXPECT_EQ(hits, 0) << what << ": the legend covers " << s.name;
      }
    }
  EXPECT_GE(outside, 4);  // crossing and wide, both widths: no corner is free
}
