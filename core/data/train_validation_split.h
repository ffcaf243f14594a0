#pragma once
// The seeded split of labelled items into training and validation (model selection).
#include <cstdint>
#include <utility>
#include <vector>

namespace p2r {

/// Splits n items into (train, validation) indices with round(n * val_fraction) >= 1 validation
/// items when n >= 2, shuffled by seed. Throws p2r::Error when n < 2.
std::pair<std::vector<int>, std::vector<int>> split_train_validation(int n, double val_fraction, uint64_t seed);

}  // namespace p2r
