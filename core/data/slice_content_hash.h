#pragma once
// The identity of prepared slices by content: what pretraining and embeddings see, wherever the
// prepared file lives.
#include <cstdint>

#include "core/data/slice_set.h"

namespace p2r {

/// 64-bit content hash of set's images and slice side (labels, provenance and paths excluded).
uint64_t slice_content_hash(const SliceSet& set);

}  // namespace p2r
