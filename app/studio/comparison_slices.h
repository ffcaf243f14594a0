#pragma once
// Which slices a pixel query is compared with in the similarity grid: the same cardiac phase and
// the same relative height in the heart, in other subjects (the paper's Figure 2), or the slices of
// other subjects that match it best (the dataset mode). Pure (no GL).
#include <vector>

#include "core/analysis/similarity_map.h"
#include "core/data/slice_set.h"

namespace p2r::studio {

/// Up to k slice indices of data to compare slice with: one per other subject (subjects in data
/// order, starting after slice's subject and wrapping), from that subject's volume of the same
/// phase (else its first volume), at the same relative position (z / (count - 1), rounded).
/// When there are fewer other subjects than k, the other volume of slice's own subject follows.
std::vector<int> comparison_slices(const SliceSet& data, int slice, int k);

/// The k best of matches (each slice's best match, any order) among the slices of subjects other
/// than slice's, by score, best first (ties: lower slice index first); fewer when there are fewer.
/// Throws p2r::Error for a match or slice outside data.
std::vector<PixelMatch> best_matches_of_other_subjects(const SliceSet& data, int slice,
                                                       const std::vector<PixelMatch>& matches, int k);

}  // namespace p2r::studio
