#pragma once
// The equivariance-error figure: a slice, the per-pixel error 1 - cos(f(phi . x), phi . f(x)) of a
// spatial transform phi (pixels phi takes outside the image in light grey) and the error under
// intensity reversal, one colour bar, each map's mean and median under it. Built from plain arrays
// so the studio and `pix2rep figure equivariance` draw the same thing.
#include <string>
#include <vector>

#include "viz/colormap.h"
#include "viz/figure/figure.h"
#include "viz/figure/figure_rect.h"
#include "viz/figure/figure_text.h"

namespace p2r::viz {

/// One error map and its text.
struct ErrorPanel {
  std::string title;         ///< e.g. "rotate 30 deg" or "intensity reversal"
  std::string caption;       ///< e.g. "mean 0.123, median 0.045"
  std::vector<float> error;  ///< [height * width], NaN where there is no value
};

/// Everything the figure shows; all images are width x height, row-major.
struct EquivarianceFigureData {
  int width = 0, height = 0;
  std::string image_title;      ///< e.g. "patient001 ED z=4"
  std::vector<float> image;     ///< [height * width] intensities in [0, 1]
  std::vector<ErrorPanel> maps; ///< the spatial error, then the reversal error
  float low = 0, high = 1;      ///< error mapped to the ends of the colour map
  Colormap colormap = Colormap::Magma;
  ColumnWidth column = ColumnWidth::Double;
};

/// Where the parts lie on the page (mm): panels in one row (image first), colour bar at the right.
struct EquivarianceLayout {
  double width_mm = 0, height_mm = 0;
  std::vector<FigureRect> panels;
  std::vector<FittedText> titles, captions;
  FigureRect colorbar;
};

/// Panels as wide as the column allows, at most 60 mm. Throws p2r::Error as make_equivariance_figure.
EquivarianceLayout layout_equivariance_figure(const EquivarianceFigureData& data);

/// Draws the layout. Throws p2r::Error when there is no map, a size disagrees or low >= high.
Figure make_equivariance_figure(const EquivarianceFigureData& data);

}  // namespace p2r::viz
