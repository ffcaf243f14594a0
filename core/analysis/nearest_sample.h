#pragma once
// How a t-SNE of sampled pixels reaches every pixel (Pix2Rep paper, Fig. 4): each pixel takes the
// t-SNE point (and so the colour) of the sampled pixel whose embedding is nearest to its own.
#include <cstdint>
#include <vector>

#include "core/analysis/embedding_store.h"

namespace p2r {

/// For every pixel of each of slices (slice by slice, row by row: [slices.size() * H * W]), the
/// index of the row of samples [n, D] (unit vectors, e.g. gather_rows(..., true)) with the largest
/// inner product with the pixel's unit embedding. Exact search (FAISS IndexFlatIP); deterministic.
/// Throws p2r::Error for n < 1 or a slice out of range.
std::vector<int64_t> nearest_samples(const EmbeddingStore& store, const std::vector<int>& slices, const float* samples,
                                     int64_t n);

}  // namespace p2r
