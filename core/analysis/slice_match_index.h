#pragma once
// The best match of a query pixel in every slice of an EmbeddingStore in interactive time: a
// coarse-to-fine index in memory beside the store. Every pixel's unit embedding is projected on
// the top 32 uncentred principal components of a sample of the store's pixels and kept as fp16
// ("fine rows", 64 bytes a pixel); the first 8 components are also quantised to 8 bits ("coarse
// codes", 8 bytes a pixel). A query scores every pixel of a slice by its code (integer SIMD),
// keeps about coarse_candidates pixels, re-scores them with their fine rows, and computes the
// exact cosine of the best fine_candidates (with the other pixels of their 32-pixel store segments)
// from the store itself, as best_match_per_slice does. So a returned match always carries its
// exact score; which pixel wins is approximate, and `bench query` measures recall@1 per slice
// against exact search. Torch-free; needs BLAS (FAISS part of the core).
#include <cstdint>
#include <memory>
#include <vector>

#include "core/analysis/embedding_store.h"
#include "core/analysis/similarity_map.h"
#include "core/common/progress.h"

namespace p2r {

/// How many pixels each stage of a query keeps, and what fits the projection.
struct SliceMatchConfig {
  int coarse_candidates = 512;   ///< pixels per slice kept by the coarse codes for the fine rows
  int fine_candidates = 8;       ///< pixels per slice kept by the fine rows for the exact score
  int64_t pca_sample = 100000;   ///< pixels (spread evenly over the store) that fit the components
};

/// A built index over one store; queries are const and thread-safe. Cheap to copy (shared).
class SliceMatchIndex {
 public:
  SliceMatchIndex();
  /// Indexes every pixel of store (threads <= 0: all cores); progress stage "index". Throws
  /// p2r::Error for an empty store or candidate counts below 1 (fine above coarse), p2r::Cancelled.
  static SliceMatchIndex build(const EmbeddingStore& store, const SliceMatchConfig& config = {}, int threads = 0,
                               ProgressSink& progress = null_progress());

  /// The best pixel of each slice in slices (all when empty), in the order given, for the unit
  /// query [dim()], scored with the store's exact cosine (first in row-major order on ties among
  /// the pixels scored). threads <= 0: all cores. Throws p2r::Error for a bad slice index.
  std::vector<PixelMatch> best_match_per_slice(const float* query, const std::vector<int>& slices = {},
                                               int threads = 0) const;

  bool empty() const { return !m_data; }
  const EmbeddingStore& store() const;
  const SliceMatchConfig& config() const;
  int components() const;              ///< principal components kept: min(32, D)
  double explained_variance() const;   ///< share of the sample's energy (mean square) the components keep
  uint64_t memory_bytes() const;       ///< fine rows and coarse codes
  double build_seconds() const;

 private:
  struct Data;
  std::shared_ptr<const Data> m_data;
};

}  // namespace p2r
