#pragma once
// A shuffle whose result depends on the seed only, not on the standard library.
#include <random>
#include <utility>
#include <vector>

namespace p2r {

/// Deterministic Fisher-Yates with our own index draw (std::shuffle and
/// std::uniform_int_distribution differ between standard libraries; results must not).
template <class T>
void shuffle_seeded(std::vector<T>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

}  // namespace p2r
