#include "app/studio/comparison_slices.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/common/error.h"

namespace p2r::studio {
namespace {

// The slice of volume v at relative position t in [0, 1].
int slice_at(const VolumeRecord& v, double t) {
  const int count = std::max(v.slice_count, 1);
  return v.first_slice + int(std::lround(t * double(count - 1)));
}

}  // namespace

std::vector<int> comparison_slices(const SliceSet& data, int slice, int k) {
  std::vector<int> out;
  if (slice < 0 || slice >= data.slice_count() || k <= 0) return out;
  const int own = data.slices[slice].volume;
  const VolumeRecord& query = data.volumes[own];
  const double t = query.slice_count > 1 ? double(slice - query.first_slice) / double(query.slice_count - 1) : 0.5;
  // Volumes grouped by subject, in data order.
  std::vector<std::string> subjects;
  std::vector<std::vector<int>> volumes;
  for (int v = 0; v < int(data.volumes.size()); ++v) {
    const std::string& id = data.volumes[v].subject;
    if (subjects.empty() || subjects.back() != id) {
      subjects.push_back(id);
      volumes.emplace_back();
    }
    volumes.back().push_back(v);
  }
  int own_subject = 0;
  for (int s = 0; s < int(subjects.size()); ++s)
    if (subjects[s] == query.subject) own_subject = s;
  const int n = int(subjects.size());
  for (int i = 1; i < n && int(out.size()) < k; ++i) {
    const std::vector<int>& vs = volumes[(own_subject + i) % n];
    int chosen = vs.front();
    for (int v : vs)
      if (data.volumes[v].phase == query.phase) chosen = v;
    if (data.volumes[chosen].slice_count > 0) out.push_back(slice_at(data.volumes[chosen], t));
  }
  for (int v : volumes[own_subject])
    if (v != own && int(out.size()) < k && data.volumes[v].slice_count > 0) out.push_back(slice_at(data.volumes[v], t));
  return out;
}

std::vector<PixelMatch> best_matches_of_other_subjects(const SliceSet& data, int slice,
                                                       const std::vector<PixelMatch>& matches, int k) {
  P2R_CHECK(slice >= 0 && slice < data.slice_count(),
            "slice " << slice << " is outside the " << data.slice_count() << " slices");
  const std::string& subject = data.volume_of(slice).subject;
  std::vector<PixelMatch> out;
  for (const PixelMatch& m : matches) {
    P2R_CHECK(m.pixel.slice >= 0 && m.pixel.slice < data.slice_count(),
              "match of slice " << m.pixel.slice << " is outside the " << data.slice_count() << " slices");
    if (data.volume_of(m.pixel.slice).subject != subject) out.push_back(m);
  }
  const auto better = [](const PixelMatch& a, const PixelMatch& b) {
    return a.score != b.score ? a.score > b.score : a.pixel.slice < b.pixel.slice;
  };
  const size_t kept = std::min(out.size(), size_t(std::max(k, 0)));
  std::partial_sort(out.begin(), out.begin() + std::ptrdiff_t(kept), out.end(), better);
  out.resize(kept);
  return out;
}

}  // namespace p2r::studio
