#pragma once
// An interactive pixel query: the cosine similarity of one pixel's embedding with every pixel of
// the shown slice (the "similarity" layer, recomputed on the main thread whenever the query or the
// slice changes: ~0.2 ms for 128 x 128) and with a grid of comparison slices (comparison_slices.h),
// each with its best-matching pixel. In the position mode the grid is the same position in other
// subjects, recomputed at most every kGridInterval seconds while the query moves; in the dataset
// mode it is the best-matching slices of other subjects, from a search of the whole dataset on a
// worker (dataset_search.h; the position mode is shown until its index is built). Main thread only.
#include <chrono>
#include <vector>

#include "app/studio/dataset_search.h"
#include "app/studio/gl_texture.h"
#include "core/analysis/similarity_map.h"
#include "core/data/slice_set.h"

namespace p2r::studio {

class DatasetBrowser;
class LayeredImage;
class EmbeddingState;

/// Name of the layer that shows the query's similarity map on the shown slice.
inline constexpr const char* kSimilarityLayer = "similarity";

/// What the grid compares the query with.
enum class GridMode {
  Position,  ///< the same phase and relative height in other subjects (comparison_slices)
  Dataset,   ///< the slices of other subjects whose best match scores highest, best first
};

/// One comparison slice of the grid.
struct GridCell {
  int slice = -1;
  PixelMatch best;         ///< its best-matching pixel
  GlTexture texture;       ///< the slice with the map over it (RGBA, the layer's colours)
};

class SimilarityQuery {
 public:
  /// Seconds between grid updates while the query moves.
  static constexpr double kGridInterval = 0.1;
  /// Comparison slices in the grid.
  int grid_size = 8;
  /// Colour range from the shown map's min..max (else the layer's window is kept).
  bool auto_range = true;
  /// Opacity of the map over the slices in the grid.
  float grid_opacity = 0.65f;
  /// What the grid compares with; falls back to Position when the dataset index or search fails.
  GridMode grid_mode = GridMode::Position;

  /// Queries pixel (x, y) of slice (an index into the open data).
  void set_query(int slice, int x, int y);
  void clear() { m_active = false; }
  bool active() const { return m_active; }
  const PixelRef& query() const { return m_query; }

  /// Once per frame: recomputes the shown slice's map when the query, the slice or the store
  /// changed, keeps the similarity layer on it (removed without a query), refreshes the grid.
  void update(const EmbeddingState& embeddings, const DatasetBrowser& browser, LayeredImage& image);
  /// True when the grid shows the current query in the mode shown (scripts wait for this).
  bool grid_current() const { return !m_active || m_grid_key == m_key; }
  /// True while the dataset index builds or a dataset search runs.
  bool busy() const { return m_search.building() || m_search.searching(); }
  /// The dataset mode's index and searches (its build's progress, its error).
  DatasetSearch& dataset() { return m_search; }
  const DatasetSearch& dataset() const { return m_search; }
  /// True when the shown grid comes from the dataset search (the dataset mode with its index built).
  bool grid_from_dataset() const { return m_grid_from_dataset; }

  const std::vector<GridCell>& grid() const { return m_grid; }
  /// The best match of the shown slice's map (valid while active).
  const PixelMatch& shown_best() const { return m_shown_best; }
  /// Colour range of the last maps.
  float low() const { return m_low; }
  float high() const { return m_high; }
  /// Milliseconds of the last shown-slice map (query vector + map + layer upload) and grid.
  double map_ms() const { return m_map_ms; }
  double grid_ms() const { return m_grid_ms; }
  /// Milliseconds of the last finished dataset search (the dataset mode).
  double search_ms() const { return m_search_ms; }

 private:
  /// The grid of slices, each with its map for query [D] over its image; matches[i] is cell i's
  /// best match when given (the dataset search's), else its map's best pixel.
  void render_grid(const EmbeddingStore& store, const SliceSet& data, const float* query,
                   const std::vector<int>& slices, const std::vector<PixelMatch>* matches);
  /// In the dataset mode: asks for the current key's search and shows the last finished one.
  void update_dataset_grid(const SliceSet& data, const EmbeddingStore& store);
  bool m_active = false;
  PixelRef m_query;
  int m_query_revision = 0;
  std::vector<float> m_vector, m_map;
  // What the shown map / the grid were computed for: query revision, store revision, shown slice.
  std::vector<int> m_key, m_shown_key, m_grid_key;
  PixelMatch m_shown_best;
  std::vector<GridCell> m_grid;
  float m_low = 0, m_high = 1;
  double m_map_ms = 0, m_grid_ms = 0, m_search_ms = 0;
  DatasetSearch m_search;
  std::vector<int> m_search_key;  // the last search asked for: m_key and the query's slice
  bool m_grid_from_dataset = false;
  std::chrono::steady_clock::time_point m_grid_time{};
};

}  // namespace p2r::studio
