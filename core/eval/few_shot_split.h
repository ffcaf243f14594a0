#pragma once
// Subject draws of the few-shot protocol: stratified over pathology groups, deterministic by seed.
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/slice_set.h"

namespace p2r {

/// A subject as the protocol sees it.
struct SubjectInfo {
  std::string id;
  std::string group;  ///< "" when unknown (then all subjects form one group)
};

/// The subjects of set (each once, in volume order) with their groups; labelled_only keeps those
/// with at least one labelled volume.
std::vector<SubjectInfo> subject_infos(const SliceSet& set, bool labelled_only);

/// Draws count subjects spread as evenly as possible over groups: every group gets count / G,
/// and count % G groups (chosen by seed) one more; within a group subjects are drawn by seed.
/// Returns ids sorted. Throws p2r::Error when count exceeds the subjects available (overall or
/// in a group that must give more than it has, then the remainder is taken from other groups).
std::vector<std::string> draw_stratified(const std::vector<SubjectInfo>& subjects, int count, uint64_t seed);

/// Splits subjects into (held-out test, rest): per_group subjects of every group go to the test
/// set, drawn by seed. Throws p2r::Error when a group has fewer than per_group + 1 subjects.
std::pair<std::vector<std::string>, std::vector<std::string>> hold_out_per_group(
    const std::vector<SubjectInfo>& subjects, int per_group, uint64_t seed);

/// hold_out_per_group on pool's subjects, as slice sets: (the held-out subjects' volumes, the rest).
std::pair<SliceSet, SliceSet> hold_out_slices(const SliceSet& pool, int per_group, uint64_t seed);

/// The volumes of other (the same subjects prepared another way, e.g. a tighter label-free crop for
/// pretraining) whose subject is one of pool's. Throws p2r::Error naming other_name (its file) and the
/// pool subjects other lacks, or other cropped around its labels (paper-roi) when pool is not.
SliceSet pool_subjects_of(const SliceSet& other, const std::string& other_name, const SliceSet& pool);

}  // namespace p2r
