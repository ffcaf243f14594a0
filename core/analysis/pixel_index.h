#pragma once
// Nearest-pixel search over an EmbeddingStore with FAISS: L2-normalised (optionally PCA-reduced
// and re-normalised) pixel embeddings, exact inner product (IndexFlatIP) or approximate (IVF-Flat,
// HNSW), with the approximate index's recall@k against exact search measured at build time.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/analysis/pixel_sampling.h"
#include "core/analysis/similarity_map.h"
#include "core/common/progress.h"

namespace p2r {

/// Which FAISS index.
enum class IndexKind { Flat, IvfFlat, Hnsw };
/// "flat" / "ivf" / "hnsw".
const char* index_kind_name(IndexKind kind);
/// Parses "flat" / "ivf" / "hnsw"; throws p2r::Error otherwise.
IndexKind parse_index_kind(const std::string& text);

/// How an index is built.
struct PixelIndexConfig {
  IndexKind kind = IndexKind::Flat;
  SamplingPolicy sampling;      ///< which pixels are indexed
  std::vector<int> slices;      ///< slices to index (empty: all)
  int pca_dim = 0;              ///< > 0: PCA to this many dimensions (fitted on the indexed pixels)
  int nlist = 0;                ///< IVF lists (0: 4 * sqrt(n), clamped to [1, n / 39])
  int nprobe = 16;              ///< IVF lists visited per query
  int hnsw_m = 32, ef_construction = 80, ef_search = 64;
  int recall_queries = 500;     ///< queries (random store pixels) for the recall measurement
  int recall_k = 10;            ///< k of the recall@k figure
  uint64_t seed = 0;
};

/// Recall@k of an approximate index against exact inner-product search on the same vectors.
struct RecallReport {
  int k = 0, queries = 0;
  double recall = 1.0;             ///< mean |approx top-k ∩ exact top-k| / k (1 for a flat index)
  double exact_ms = 0, approx_ms = 0;  ///< mean search time per query
};

/// A built or loaded index; search is thread-safe (const).
class PixelIndex {
 public:
  PixelIndex();
  ~PixelIndex();
  PixelIndex(PixelIndex&&) noexcept;
  PixelIndex& operator=(PixelIndex&&) noexcept;

  /// Builds the index over store's pixels; progress stages "index"; throws p2r::Error for bad settings
  /// (pca_dim > D, too few pixels for IVF), p2r::Cancelled when cancelled between stages.
  static PixelIndex build(const EmbeddingStore& store, const PixelIndexConfig& config,
                          ProgressSink& progress = null_progress());
  /// Writes the index atomically; throws p2r::Error on failure.
  void save(const std::string& path) const;
  /// Reads an index; with store given, refuses (p2r::Error) an index of another embedding
  /// dimension, image size, checkpoint or data, naming both sides.
  static PixelIndex load(const std::string& path, const EmbeddingStore* store = nullptr);

  /// k best pixels for each unit query [nq, input_dim()] (row-major), best first; score = cosine
  /// similarity in the index space (after PCA when used), clamped to [-1, 1]. Throws p2r::Error for k < 1.
  std::vector<std::vector<PixelMatch>> search(const float* queries, int64_t nq, int k) const;
  /// k best pixels for the query pixel p of store (which must be the index's store).
  std::vector<PixelMatch> search_pixel(const EmbeddingStore& store, const PixelRef& p, int k) const;
  /// The index-space unit vectors of queries [nq, input_dim()] -> [nq, index_dim()].
  std::vector<float> to_index_space(const float* queries, int64_t nq) const;
  /// Every indexed vector [size(), index_dim()] (flat and HNSW; p2r::Error for IVF).
  std::vector<float> indexed_vectors() const;
  /// Pixel ids of the indexed rows (see pixel_id).
  const std::vector<int64_t>& ids() const;

  IndexKind kind() const;
  int input_dim() const;   ///< D of the embeddings
  int index_dim() const;   ///< D or the PCA dimension
  int64_t size() const;    ///< indexed pixels
  const RecallReport& recall() const;
  const EmbeddingKey& key() const;
  /// Sampling policy text of the build.
  const std::string& sampling() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> m_impl;
};

}  // namespace p2r
