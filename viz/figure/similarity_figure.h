#pragma once
// The similarity figure (Pix2Rep paper, Fig. 2): the query slice with its marked pixel, then the
// cosine-similarity maps of that pixel on K other slices with each slice's best match marked, and
// a colour bar. Built from plain arrays so the studio exports exactly what it shows.
#include <string>
#include <vector>

#include "viz/colormap.h"
#include "viz/figure/figure.h"

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
  int max_columns = 6;                    ///< panels per row (query included)
};

/// Lays the figure out: query, then targets, row by row; colour bar at the right. Throws
/// p2r::Error when there is no target, a size disagrees, a pixel is outside or low >= high.
Figure make_similarity_figure(const SimilarityFigureData& data);

}  // namespace p2r::viz
