#pragma once
// The similarity figure (Pix2Rep paper, Fig. 2): the query slice with its marked pixel, then the
// cosine-similarity maps of that pixel on K other slices with each slice's best match marked, and
// a colour bar. Built from plain arrays so the studio exports exactly what it shows.
#include <string>
#include <vector>

#include "viz/colormap.h"
#include "viz/figure/figure.h"
#include "viz/figure/figure_rect.h"
#include "viz/figure/figure_text.h"

namespace p2r::viz {

/// One target slice: its image, the similarity of every pixel with the query, the best match.
struct SimilarityPanel {
  std::string title;              ///< e.g. "patient003 ES z=4"
  std::vector<float> image;       ///< [height * width] intensities in [0, 1] (drawn under the map)
  std::vector<float> similarity;  ///< [height * width] cosine similarity
  int best_x = 0, best_y = 0;     ///< best-matching pixel (column, row)
  float best_score = 0;
};

/// Everything the figure shows; all images are width x height, row-major.
struct SimilarityFigureData {
  int width = 0, height = 0;
  std::string query_title;
  std::vector<float> query_image;  ///< [height * width] in [0, 1]
  int query_x = 0, query_y = 0;
  std::vector<SimilarityPanel> targets;
  float low = 0, high = 1;                ///< similarity mapped to the ends of the colour map
  float map_opacity = 1.0f;               ///< < 1 blends the map over the target image
  Colormap colormap = Colormap::Viridis;  ///< perceptually uniform, colour-blind safe
  ColumnWidth column = ColumnWidth::Double;
  int max_columns = 6;                    ///< most panels per row (query included)
};

/// Where the figure's parts lie on the page (mm), computed from the panels drawn.
struct SimilarityLayout {
  double width_mm = 0, height_mm = 0;
  int rows = 0, cols = 0;            ///< the grid; a last row with fewer panels is centred
  std::vector<FigureRect> panels;    ///< query first, then the targets
  std::vector<FittedText> titles;    ///< over each panel; every line no wider than the panel
  std::vector<FittedText> captions;  ///< under each panel; no wider than the panel
  FigureRect colorbar;               ///< the bar itself (its labels lie to its right)
};

/// Lays the panels out in the fewest rows of at most max_columns panels no narrower than 20 mm, with
/// as many panels in each (every row full but maybe the last, which lacks fewer panels than there
/// are rows); panels fill the column width, unless that makes them larger than 60 mm, then the page
/// is as narrow as the grid and the colour bar. Throws p2r::Error as make_similarity_figure does.
SimilarityLayout layout_similarity_figure(const SimilarityFigureData& data);

/// Draws the layout: query, then targets, row by row, markers clipped to their panels; colour bar
/// at the right. Throws p2r::Error when there is no target, a size disagrees, a pixel is outside or
/// low >= high.
Figure make_similarity_figure(const SimilarityFigureData& data);

}  // namespace p2r::viz
