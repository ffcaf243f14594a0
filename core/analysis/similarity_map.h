#pragma once
// Cosine similarity between one query pixel and every pixel of chosen slices of an EmbeddingStore:
// dense maps, the best-matching pixel per slice, and the top-K matches over the set. Torch-free.
#include <algorithm>
#include <vector>

#include "core/analysis/embedding_store.h"

namespace p2r {

/// A cosine computed from rounded unit vectors (fp16, PCA, L2 distances), clamped to [-1, 1].
inline float clamp_cosine(float cosine) { return std::clamp(cosine, -1.f, 1.f); }

/// A pixel and its cosine similarity with the query.
struct PixelMatch {
  PixelRef pixel;
  float score = 0;
};

/// The unit query vector [D] (fp32) of pixel p; throws p2r::Error when p is outside the store.
std::vector<float> query_vector(const EmbeddingStore& store, const PixelRef& p);

/// Cosine similarity of unit query [D] with every pixel of slice s into out [H * W] (row-major),
/// as a dot product with the stored fp16 unit vectors, clamped to [-1, 1] (pixels with a zero
/// embedding score 0).
/// threads <= 0: all cores. Thread-safe; throws p2r::Error for a bad slice index.
void similarity_map(const EmbeddingStore& store, const float* query, int s, float* out, int threads = 1);

/// The highest-scoring pixel (first in row-major order on ties) of map [count = H * W, row-major]
/// of slice s with the given width; count must be > 0.
PixelMatch best_pixel(const float* map, int64_t count, int width, int s);

/// The highest-scoring pixel (first in row-major order on ties) of each slice in slices (all
/// slices when empty), in the order given. threads <= 0: all cores.
std::vector<PixelMatch> best_match_per_slice(const EmbeddingStore& store, const float* query,
                                             const std::vector<int>& slices = {}, int threads = 0);

/// The k highest-scoring pixels over slices (all when empty), best first; pixels of
/// exclude_slice (if >= 0) are skipped. threads <= 0: all cores. Throws p2r::Error for k < 1.
std::vector<PixelMatch> top_k_matches(const EmbeddingStore& store, const float* query, int k,
                                      const std::vector<int>& slices = {}, int exclude_slice = -1,
                                      int threads = 0);

}  // namespace p2r
