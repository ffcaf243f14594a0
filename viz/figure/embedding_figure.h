#pragma once
// The embedding figure (Pix2Rep paper, Fig. 4): a t-SNE scatter of sampled pixel embeddings
// coloured by class, the slices coloured by the 2D reference colour map of their embeddings, and
// the colour-map vignette. Built from plain arrays (the studio and the CLI share it).
#include <string>
#include <vector>

#include "viz/figure/figure.h"
#include "viz/figure/figure_palette.h"
#include "viz/rgba_image.h"

namespace p2r::viz {

/// Everything the figure shows.
struct EmbeddingFigureData {
  std::vector<float> coords;                 ///< [n, 2] t-SNE coordinates
  std::vector<int> classes;                  ///< [n] class of each point (ACDC label: 0 bg, 1 RV, 2 MYO, 3 LV)
  std::vector<std::string> class_names;      ///< name of class c (legend); missing names: "class c"
  std::vector<RgbaImage> coloured_images;    ///< slices coloured through the reference colour map
  std::vector<std::string> image_titles;     ///< one per coloured image
  RgbaImage vignette;                        ///< the 2D reference colour map (colormap_vignette)
  ColumnWidth column = ColumnWidth::Double;
};

/// Colour of class c in the scatter: background grey, structures as label_colour (the studio's colours).
Rgb class_colour(int c);

/// Scatter (left), vignette (right of it) and the coloured images (rest of the row, two rows when
/// more than four). Throws p2r::Error when there are no points, sizes disagree or the vignette is
/// empty.
Figure make_embedding_figure(const EmbeddingFigureData& data);

}  // namespace p2r::viz
