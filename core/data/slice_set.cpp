#include "core/data/slice_set.h"

#include <algorithm>

#include "core/common/error.h"

namespace p2r {

const char* crop_mode_name(CropMode mode) {
  return mode == CropMode::Center ? "center" : mode == CropMode::PaperRoi ? "paper-roi" : "motion";
}

CropMode parse_crop_mode(const std::string& text) {
  if (text == "center") return CropMode::Center;
  if (text == "paper-roi") return CropMode::PaperRoi;
  if (text == "motion") return CropMode::Motion;
  P2R_FAIL("unknown crop mode '" << text << "' (expected center, motion or paper-roi)");
}

void PrepareConfig::validate() const {
  P2R_CHECK(size >= 8 && size <= 1024, "slice size " << size << " outside 8..1024");
  P2R_CHECK(fov_mm > 0, "field of view " << fov_mm << " mm must be positive");
  P2R_CHECK(margin_voxels >= 0, "crop margin " << margin_voxels << " must be >= 0");
  P2R_CHECK(motion_margin_mm >= 0, "motion crop margin " << motion_margin_mm << " mm must be >= 0");
  P2R_CHECK(motion_min_side_mm > 0, "motion crop smallest side " << motion_min_side_mm << " mm must be > 0");
  P2R_CHECK(percentile_low >= 0 && percentile_low < percentile_high && percentile_high <= 100,
            "percentiles " << percentile_low << "/" << percentile_high << " must satisfy 0 <= low < high <= 100");
}

std::vector<std::string> SliceSet::subject_ids() const {
  std::vector<std::string> ids;
  for (const auto& v : volumes)
    if (ids.empty() || ids.back() != v.subject) ids.push_back(v.subject);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

void SliceSet::append(const SliceSet& other) {
  if (slices.empty() && volumes.empty()) {
    size = other.size;
    config = other.config;
  }
  P2R_CHECK(other.size == size, "cannot join slice sets of size " << size << " and " << other.size);
  const int volume_offset = int(volumes.size()), slice_offset = slice_count();
  for (VolumeRecord v : other.volumes) {
    v.first_slice += slice_offset;
    volumes.push_back(std::move(v));
  }
  for (SliceRef s : other.slices) {
    s.volume += volume_offset;
    slices.push_back(s);
  }
  images.insert(images.end(), other.images.begin(), other.images.end());
  labels.insert(labels.end(), other.labels.begin(), other.labels.end());
}

SliceSet SliceSet::select_volumes(const std::vector<int>& volume_indices) const {
  SliceSet out;
  out.config = config;
  out.source_root = source_root;
  out.size = size;
  const int64_t plane = pixels_per_slice();
  for (int vi : volume_indices) {
    P2R_CHECK(vi >= 0 && vi < int(volumes.size()), "volume index " << vi << " out of range 0.." << volumes.size());
    VolumeRecord rec = volumes[vi];
    rec.first_slice = out.slice_count();
    for (int s = 0; s < rec.slice_count; ++s) {
      int src = volumes[vi].first_slice + s;
      out.slices.push_back({int(out.volumes.size()), slices[src].z});
      out.images.insert(out.images.end(), image(src), image(src) + plane);
      out.labels.insert(out.labels.end(), label(src), label(src) + plane);
    }
    out.volumes.push_back(std::move(rec));
  }
  return out;
}

void SliceSet::validate() const {
  const int64_t n = slice_count();
  P2R_CHECK(int64_t(images.size()) == n * pixels_per_slice(), "slice set holds " << images.size()
                                                                 << " image values for " << n << " slices");
  P2R_CHECK(int64_t(labels.size()) == n * pixels_per_slice(), "slice set holds " << labels.size()
                                                                 << " label values for " << n << " slices");
  int expected_first = 0;
  for (size_t v = 0; v < volumes.size(); ++v) {
    P2R_CHECK(volumes[v].first_slice == expected_first && volumes[v].slice_count >= 0,
              "volume " << v << " (" << volumes[v].subject << ") has inconsistent slice range");
    expected_first += volumes[v].slice_count;
  }
  P2R_CHECK(expected_first == n, "volumes cover " << expected_first << " slices but the set has " << n);
  for (int64_t i = 0; i < n; ++i)
    P2R_CHECK(slices[i].volume >= 0 && slices[i].volume < int(volumes.size()), "slice " << i << " names volume "
                                                                                        << slices[i].volume);
}

}  // namespace p2r
