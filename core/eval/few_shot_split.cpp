#include "core/eval/few_shot_split.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "core/common/error.h"
#include "core/common/seeded_shuffle.h"

namespace p2r {

namespace {

// Group -> subject ids (sorted, so the draw does not depend on input order).
std::map<std::string, std::vector<std::string>> by_group(const std::vector<SubjectInfo>& subjects) {
  std::map<std::string, std::vector<std::string>> groups;
  for (const auto& s : subjects) groups[s.group].push_back(s.id);
  for (auto& [g, ids] : groups) std::sort(ids.begin(), ids.end());
  return groups;
}

}  // namespace

std::vector<SubjectInfo> subject_infos(const SliceSet& set, bool labelled_only) {
  std::vector<SubjectInfo> out;
  std::set<std::string> seen;
  for (const auto& v : set.volumes)
    if ((!labelled_only || v.has_label) && seen.insert(v.subject).second) out.push_back({v.subject, v.group});
  return out;
}

std::vector<std::string> draw_stratified(const std::vector<SubjectInfo>& subjects, int count, uint64_t seed) {
  P2R_CHECK(count >= 1, "number of labelled subjects must be >= 1 (got " << count << ")");
  P2R_CHECK(count <= int(subjects.size()), "asked for " << count << " labelled subjects but only "
                                                        << subjects.size() << " are available");
  auto groups = by_group(subjects);
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + 17);
  std::vector<std::string> names;
  for (auto& [g, ids] : groups) {
    names.push_back(g);
    shuffle_seeded(ids, rng);
  }
  shuffle_seeded(names, rng);  // which groups get the remainder
  const int G = int(names.size());
  std::map<std::string, int> quota;
  for (int i = 0; i < G; ++i) quota[names[i]] = count / G + (i < count % G ? 1 : 0);
  // Groups too small to fill their quota pass the rest on, in the seeded group order.
  int spill = 0;
  for (const auto& g : names) {
    int have = int(groups[g].size());
    if (quota[g] > have) spill += quota[g] - have, quota[g] = have;
  }
  for (const auto& g : names) {
    int take = std::min(spill, int(groups[g].size()) - quota[g]);
    quota[g] += take;
    spill -= take;
  }
  std::vector<std::string> out;
  for (const auto& g : names) out.insert(out.end(), groups[g].begin(), groups[g].begin() + quota[g]);
  std::sort(out.begin(), out.end());
  return out;
}

std::pair<std::vector<std::string>, std::vector<std::string>> hold_out_per_group(
    const std::vector<SubjectInfo>& subjects, int per_group, uint64_t seed) {
  P2R_CHECK(per_group >= 1, "held-out subjects per group must be >= 1 (got " << per_group << ")");
  auto groups = by_group(subjects);
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + 23);
  std::vector<std::string> test, rest;
  for (auto& [g, ids] : groups) {
    P2R_CHECK(int(ids.size()) > per_group, "group '" << g << "' has " << ids.size() << " subjects; cannot hold out "
                                                     << per_group << " and keep some for training");
    shuffle_seeded(ids, rng);
    test.insert(test.end(), ids.begin(), ids.begin() + per_group);
    rest.insert(rest.end(), ids.begin() + per_group, ids.end());
  }
  std::sort(test.begin(), test.end());
  std::sort(rest.begin(), rest.end());
  return {test, rest};
}

std::pair<SliceSet, SliceSet> hold_out_slices(const SliceSet& pool, int per_group, uint64_t seed) {
  const auto [held, rest] = hold_out_per_group(subject_infos(pool, false), per_group, seed);
  std::vector<int> held_volumes, rest_volumes;
  for (int i = 0; i < int(pool.volumes.size()); ++i)
    (std::binary_search(held.begin(), held.end(), pool.volumes[i].subject) ? held_volumes : rest_volumes).push_back(i);
  return {pool.select_volumes(held_volumes), pool.select_volumes(rest_volumes)};
}

SliceSet pool_subjects_of(const SliceSet& other, const std::string& other_name, const SliceSet& pool) {
  P2R_CHECK(other.config.crop != CropMode::PaperRoi || pool.config.crop == CropMode::PaperRoi,
            other_name << ": cropped around its labels (paper-roi), so pretraining on it would use labels; "
                                 "only a paper-roi pool may pretrain on it (prepare it with --crop center or motion)");
  const std::vector<std::string> wanted = pool.subject_ids();
  std::vector<int> volumes;
  for (int i = 0; i < int(other.volumes.size()); ++i)
    if (std::binary_search(wanted.begin(), wanted.end(), other.volumes[i].subject)) volumes.push_back(i);
  SliceSet out = other.select_volumes(volumes);
  const std::vector<std::string> have = out.subject_ids();
  std::vector<std::string> missing;
  std::set_difference(wanted.begin(), wanted.end(), have.begin(), have.end(), std::back_inserter(missing));
  if (!missing.empty()) {
    std::ostringstream names;
    for (size_t i = 0; i < missing.size() && i < 5; ++i) names << (i ? ", " : "") << missing[i];
    P2R_FAIL(other_name << ": lacks " << missing.size() << " of the pool's " << wanted.size() << " subjects ("
                               << names.str() << (missing.size() > 5 ? ", ..." : "") << ")");
  }
  return out;
}

}  // namespace p2r
