#pragma once
// Which slices a pixel query is compared with in the similarity grid (the paper's Figure 2): the
// same cardiac phase and the same relative height in the heart, in other subjects. Pure (no GL).
#include <vector>

#include "core/data/slice_set.h"

namespace p2r::studio {

/// Up to k slice indices of data to compare slice with: one per other subject (subjects in data
/// order, starting after slice's subject and wrapping), from that subject's volume of the same
/// phase (else its first volume), at the same relative position (z / (count - 1), rounded).
/// When there are fewer other subjects than k, the other volume of slice's own subject follows.
std::vector<int> comparison_slices(const SliceSet& data, int slice, int k);

}  // namespace p2r::studio
