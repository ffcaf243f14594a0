#pragma once
// A t-SNE layout on disk: `pix2rep tsne`'s tsne_points.csv and the studio's "Save layout", one row
// per sampled pixel: `slice,x,y,tsne_x,tsne_y,r,g,b` (r, g, b: embedding_colours of the layout).
// t-SNE amplifies the last bits in which two CPUs' kernels differ, so the same embeddings give
// another picture on another machine; a saved layout redraws the same one anywhere.
#include <string>
#include <vector>

#include "core/analysis/embedding_store.h"

namespace p2r {

/// The points of a layout: which pixel each one samples and where it sits in 2D.
struct TsnePoints {
  std::vector<PixelRef> pixels;  ///< [n]
  std::vector<float> coords;     ///< [n, 2]
  std::vector<float> colours;    ///< [n, 3] in [0, 1]
  int size() const { return int(pixels.size()); }
};

/// Writes the points file atomically; throws p2r::Error when sizes disagree or the write fails.
void write_tsne_points(const std::string& path, const TsnePoints& points);

/// Reads a points file; throws p2r::Error naming the file (and line) when it is missing, has
/// another header, a malformed or non-finite row, a negative pixel, or no rows.
TsnePoints read_tsne_points(const std::string& path);

/// Throws p2r::Error naming `source` when a point's slice or pixel lies outside the store.
void check_points_fit(const TsnePoints& points, const EmbeddingStore& store, const std::string& source);

}  // namespace p2r
