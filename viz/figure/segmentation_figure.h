#pragma once
// The segmentation grid: one row per slice with the image, the ground truth and the predictions of
// several methods, labels blended over the image in the studio's structure colours (viz::label_rgb),
// and a legend of the structures. Built from plain arrays (the studio and the CLI share it).
#include <cstdint>
#include <string>
#include <vector>

#include "viz/figure/figure.h"
#include "viz/figure/figure_rect.h"
#include "viz/figure/figure_text.h"

namespace p2r::viz {

/// One row: a slice, its ground truth (empty: not shown) and one label map per method.
struct SegmentationRow {
  std::string title;                              ///< e.g. "patient101 ED z=5"
  std::vector<float> image;                       ///< [size * size] in [0, 1]
  std::vector<uint8_t> truth;                     ///< [size * size] or empty
  std::vector<std::vector<uint8_t>> predictions;  ///< [methods][size * size]
};

/// Everything the grid shows.
struct SegmentationFigureData {
  int size = 0;                            ///< slices are size x size
  std::vector<std::string> method_names;   ///< column titles of the predictions
  std::vector<SegmentationRow> rows;
  std::vector<std::string> structure_names{"background", "RV", "MYO", "LV"};
  float opacity = 0.55f;                   ///< label colour over the image
  ColumnWidth column = ColumnWidth::Double;
};

/// Where the grid's parts lie on the page (mm), computed from the columns and rows drawn.
struct SegmentationLayout {
  double width_mm = 0, height_mm = 0;
  int rows = 0, cols = 0;
  std::vector<FigureRect> panels;      ///< [rows * cols], row-major; columns as make_segmentation_figure
  std::vector<FittedText> heads;       ///< column titles, each line no wider than a panel
  std::vector<FittedText> row_titles;  ///< rotated row titles, no longer than a panel is high
  FigureRect legend;                   ///< the structure legend under the grid
};

/// Lays the grid out: panels fill the column width, unless that makes them larger than 60 mm or
/// the page taller than 230 mm (panels no smaller than 5 mm); then the page is as narrow as the
/// panels. Throws p2r::Error as make_segmentation_figure does.
SegmentationLayout layout_segmentation_figure(const SegmentationFigureData& data);

/// Columns: image, ground truth (when any row has one), one per method. Throws p2r::Error when
/// there are no rows, or a row's arrays disagree with size or with the number of methods.
Figure make_segmentation_figure(const SegmentationFigureData& data);

}  // namespace p2r::viz
