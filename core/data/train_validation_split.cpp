#include "core/data/train_validation_split.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "core/common/error.h"
#include "core/common/seeded_shuffle.h"

namespace p2r {

std::pair<std::vector<int>, std::vector<int>> split_train_validation(int n, double val_fraction, uint64_t seed) {
  P2R_CHECK(n >= 2, "need at least 2 slices to split into training and validation (got " << n << ")");
  P2R_CHECK(val_fraction > 0 && val_fraction < 1, "validation fraction " << val_fraction << " outside (0, 1)");
  std::vector<int> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + 29);
  shuffle_seeded(idx, rng);
  int n_val = std::clamp(int(std::lround(n * val_fraction)), 1, n - 1);
  std::vector<int> val(idx.begin(), idx.begin() + n_val), train(idx.begin() + n_val, idx.end());
  std::sort(val.begin(), val.end());
  std::sort(train.begin(), train.end());
  return {train, val};
}

}  // namespace p2r
