#include "core/data/slice_content_hash.h"

#include "core/common/content_hash.h"

namespace p2r {

uint64_t slice_content_hash(const SliceSet& set) {
  const int side = set.size;
  return hash_bytes(set.images.data(), set.images.size() * sizeof(float), hash_bytes(&side, sizeof side));
}

}  // namespace p2r
