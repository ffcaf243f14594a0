#pragma once
// The segmentation grid: one row per slice with the image, the ground truth and the predictions of
// several methods, labels blended over the image in colour-blind-safe per-structure colours, and a
// legend of the structures. Built from plain arrays (the studio and the CLI share it).
#include <cstdint>
#include <string>
#include <vector>

#include "viz/figure/figure.h"

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

/// Columns: image, ground truth (when any row has one), one per method. Throws p2r::Error when
/// there are no rows, or a row's arrays disagree with size or with the number of methods.
Figure make_segmentation_figure(const SegmentationFigureData& data);

}  // namespace p2r::viz
