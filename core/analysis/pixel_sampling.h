#pragma once
// Which pixels of an EmbeddingStore enter a search index or a t-SNE: an explicit policy (every
// pixel, a regular grid stride, or a random budget), and gathering their vectors as rows.
#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/embedding_store.h"

namespace p2r {

/// How pixels are subsampled.
enum class SamplingMode { All, Stride, Budget };

/// The subsampling policy; text form "all", "stride:S" or "budget:N".
struct SamplingPolicy {
  SamplingMode mode = SamplingMode::Stride;
  int stride = 4;          ///< Stride: pixels with x % stride == 0 and y % stride == 0
  int64_t budget = 100000; ///< Budget: this many pixels drawn uniformly without replacement
  uint64_t seed = 0;       ///< Budget: random stream
  /// Parses "all" / "stride:S" / "budget:N"; throws p2r::Error otherwise.
  static SamplingPolicy parse(const std::string& text);
  /// Text form, e.g. "stride:4".
  std::string describe() const;
};

/// Global pixel id: slice * H * W + y * W + x.
int64_t pixel_id(const EmbeddingStore& store, const PixelRef& p);
/// The pixel of a global id (no bounds check).
PixelRef pixel_of_id(const EmbeddingStore& store, int64_t id);

/// Ascending pixel ids chosen by policy among the pixels of slices (all slices when empty).
/// Deterministic for a given policy. Throws p2r::Error for a bad slice, stride < 1 or budget < 1.
std::vector<int64_t> sample_pixels(const EmbeddingStore& store, const SamplingPolicy& policy,
                                   const std::vector<int>& slices = {});

/// Unit (unit=true) or raw embedding rows [ids.size(), D] (row-major float32) of the given ids.
std::vector<float> gather_rows(const EmbeddingStore& store, const std::vector<int64_t>& ids, bool unit = true);

}  // namespace p2r
