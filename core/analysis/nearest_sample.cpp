#include "core/analysis/nearest_sample.h"

#include <faiss/IndexFlat.h>

#include <algorithm>

#include "core/analysis/pixel_sampling.h"
#include "core/common/error.h"

namespace p2r {

std::vector<int64_t> nearest_samples(const EmbeddingStore& store, const std::vector<int>& slices, const float* samples,
                                     int64_t n) {
  P2R_CHECK(n >= 1, "nearest samples: no sampled pixels");
  const int d = store.dim();
  faiss::IndexFlatIP index(d);
  index.add(n, samples);
  const int64_t np = store.pixels_per_slice();
  const size_t count = static_cast<size_t>(np);
  std::vector<int64_t> owner(slices.size() * count), ids(count);
  std::vector<float> score(count);
  std::vector<faiss::Index::idx_t> label(count);
  for (size_t i = 0; i < slices.size(); ++i) {
    store.check_slice(slices[i]);
    for (int64_t p = 0; p < np; ++p) ids[size_t(p)] = int64_t(slices[i]) * np + p;
    const std::vector<float> rows = gather_rows(store, ids, true);
    index.search(np, rows.data(), 1, score.data(), label.data());
    for (int64_t p = 0; p < np; ++p) owner[i * count + size_t(p)] = std::max<int64_t>(0, label[size_t(p)]);  // -1 only for NaN
  }
  return owner;
}

}  // namespace p2r
