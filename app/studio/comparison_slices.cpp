#include "app/studio/comparison_slices.h"

#include <cmath>
#include <string>

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

}  // namespace p2r::studio
