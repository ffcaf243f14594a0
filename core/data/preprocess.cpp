#include "core/data/preprocess.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"
#include "core/data/motion_roi.h"

namespace p2r {

namespace {
// Edge coordinate (voxel i spans [i, i+1)) of the centre of output pixel u.
inline double source_edge(double origin, double extent, int size, int u) { return origin + (u + 0.5) * extent / size; }
}  // namespace

std::pair<float, float> intensity_percentiles(const std::vector<float>& values, double low, double high) {
  P2R_CHECK(!values.empty(), "cannot compute percentiles of an empty volume");
  std::vector<float> v(values);
  auto at = [&](double p) {
    size_t k = size_t(std::llround(p / 100.0 * double(v.size() - 1)));
    std::nth_element(v.begin(), v.begin() + k, v.end());
    return v[k];
  };
  float lo = at(low), hi = at(high);
  return {lo, hi};
}

CropBox center_crop_box(const Geometry& g, double fov_mm) {
  CropBox box;
  box.width = fov_mm / g.spacing[0];
  box.height = fov_mm / g.spacing[1];
  box.x0 = g.size[0] / 2.0 - box.width / 2.0;
  box.y0 = g.size[1] / 2.0 - box.height / 2.0;
  return box;
}

CropBox label_roi_box(const LabelVolume& labels, int margin) {
  const auto& s = labels.geometry.size;
  int xmin = s[0], xmax = -1, ymin = s[1], ymax = -1;
  for (int z = 0; z < s[2]; ++z)
    for (int y = 0; y < s[1]; ++y)
      for (int x = 0; x < s[0]; ++x)
        if (labels.voxels[labels.geometry.index(x, y, z)] > 0) {
          xmin = std::min(xmin, x), xmax = std::max(xmax, x);
          ymin = std::min(ymin, y), ymax = std::max(ymax, y);
        }
  P2R_CHECK(xmax >= 0, "paper-roi crop needs foreground labels, but the label volume is empty");
  CropBox box;
  box.x0 = std::max(0, xmin - margin);
  box.y0 = std::max(0, ymin - margin);
  box.width = std::min(s[0], xmax + 1 + margin) - box.x0;
  box.height = std::min(s[1], ymax + 1 + margin) - box.y0;
  return box;
}

bool crop_contains_labels(const LabelVolume& labels, const CropBox& box) {
  const auto& s = labels.geometry.size;
  for (int z = 0; z < s[2]; ++z)
    for (int y = 0; y < s[1]; ++y)
      for (int x = 0; x < s[0]; ++x)
        if (labels.voxels[labels.geometry.index(x, y, z)] > 0) {
          double cx = x + 0.5, cy = y + 0.5;
          if (cx < box.x0 || cx >= box.x0 + box.width || cy < box.y0 || cy >= box.y0 + box.height) return false;
        }
  return true;
}

void resample_image_slice(const float* src, int sx, int sy, const CropBox& box, int size, float* dst) {
  for (int v = 0; v < size; ++v) {
    double ey = source_edge(box.y0, box.height, size, v);
    for (int u = 0; u < size; ++u) {
      double ex = source_edge(box.x0, box.width, size, u);
      if (ex < 0 || ey < 0 || ex >= sx || ey >= sy) {
        dst[v * size + u] = 0.f;
        continue;
      }
      // Index coordinates, clamped to the outermost voxel centres.
      double cx = std::clamp(ex - 0.5, 0.0, double(sx - 1)), cy = std::clamp(ey - 0.5, 0.0, double(sy - 1));
      int x0 = std::min(int(cx), sx - 1), y0 = std::min(int(cy), sy - 1);
      int x1 = std::min(x0 + 1, sx - 1), y1 = std::min(y0 + 1, sy - 1);
      double fx = cx - x0, fy = cy - y0;
      double top = src[y0 * sx + x0] * (1 - fx) + src[y0 * sx + x1] * fx;
      double bottom = src[y1 * sx + x0] * (1 - fx) + src[y1 * sx + x1] * fx;
      dst[v * size + u] = float(top * (1 - fy) + bottom * fy);
    }
  }
}

void resample_label_slice(const uint8_t* src, int sx, int sy, const CropBox& box, int size, uint8_t* dst) {
  for (int v = 0; v < size; ++v) {
    int y = int(std::floor(source_edge(box.y0, box.height, size, v)));
    for (int u = 0; u < size; ++u) {
      int x = int(std::floor(source_edge(box.x0, box.width, size, u)));
      dst[v * size + u] = (x < 0 || y < 0 || x >= sx || y >= sy) ? 0 : src[y * sx + x];
    }
  }
}

void map_label_slice_to_volume(const uint8_t* slice, int size, const CropBox& box, int sx, int sy, uint8_t* dst) {
  for (int y = 0; y < sy; ++y) {
    int v = int(std::floor((y + 0.5 - box.y0) * size / box.height));
    for (int x = 0; x < sx; ++x) {
      int u = int(std::floor((x + 0.5 - box.x0) * size / box.width));
      dst[y * sx + x] = (u < 0 || v < 0 || u >= size || v >= size) ? 0 : slice[v * size + u];
    }
  }
}

PreparedVolume prepare_volume(const Volume& image, const LabelVolume* labels, const PrepareConfig& config,
                              const VolumeRecord& base, const MotionRoi* motion) {
  if (config.crop == CropMode::PaperRoi) {
    P2R_CHECK(labels, "paper-roi crop needs a label volume (it crops around the ground truth)");
    return prepare_volume_in_box(image, labels, config, base, label_roi_box(*labels, config.margin_voxels),
                                 crop_mode_name(config.crop));
  }
  if (config.crop == CropMode::Motion && motion && motion->box)
    return prepare_volume_in_box(image, labels, config, base, *motion->box, crop_mode_name(config.crop));
  const std::string source = config.crop == CropMode::Motion
                                 ? "center (motion ROI: " + (motion ? motion->fallback_reason : "no frames given") + ")"
                                 : crop_mode_name(config.crop);
  return prepare_volume_in_box(image, labels, config, base, center_crop_box(image.geometry, config.fov_mm), source);
}

PreparedVolume prepare_volume_in_box(const Volume& image, const LabelVolume* labels, const PrepareConfig& config,
                                     const VolumeRecord& base, const CropBox& box, const std::string& crop_source) {
  config.validate();
  const Geometry& g = image.geometry;
  P2R_CHECK(int64_t(image.voxels.size()) == g.voxel_count() && g.voxel_count() > 0,
            "image has " << image.voxels.size() << " voxels for geometry " << g.describe());
  if (labels)
    P2R_CHECK(labels->geometry.size == g.size, "label volume has shape " << labels->geometry.describe()
                                                                          << " but image has " << g.describe());
  PreparedVolume out;
  out.record = base;
  out.record.geometry = g;
  out.record.has_label = labels != nullptr;
  out.record.slice_count = g.size[2];
  out.record.crop = box;
  out.record.crop_source = crop_source;
  auto [lo, hi] = intensity_percentiles(image.voxels, config.percentile_low, config.percentile_high);
  out.record.intensity_low = lo;
  out.record.intensity_high = hi;
  const float scale = hi > lo ? 1.f / (hi - lo) : 0.f;

  const int sx = g.size[0], sy = g.size[1], S = config.size;
  const int64_t plane = int64_t(sx) * sy, out_plane = int64_t(S) * S;
  out.images.resize(out_plane * g.size[2]);
  out.labels.assign(out_plane * g.size[2], 0);
  std::vector<float> normalised(plane);
  for (int z = 0; z < g.size[2]; ++z) {
    const float* src = image.voxels.data() + z * plane;
    for (int64_t i = 0; i < plane; ++i) normalised[i] = std::clamp((src[i] - lo) * scale, 0.f, 1.f);
    resample_image_slice(normalised.data(), sx, sy, out.record.crop, S, out.images.data() + z * out_plane);
    if (labels)
      resample_label_slice(labels->voxels.data() + z * plane, sx, sy, out.record.crop, S,
                           out.labels.data() + z * out_plane);
  }
  return out;
}

void append_prepared_volume(SliceSet& set, PreparedVolume&& volume) {
  P2R_CHECK(int64_t(volume.images.size()) == int64_t(volume.record.slice_count) * set.pixels_per_slice(),
            volume.record.subject << ": prepared slices of another size than the set (" << set.size << ")");
  volume.record.first_slice = set.slice_count();
  const int index = int(set.volumes.size());
  for (int z = 0; z < volume.record.slice_count; ++z) set.slices.push_back({index, z});
  set.volumes.push_back(std::move(volume.record));
  set.images.insert(set.images.end(), volume.images.begin(), volume.images.end());
  set.labels.insert(set.labels.end(), volume.labels.begin(), volume.labels.end());
}

LabelVolume labels_to_original_space(const SliceSet& set, int volume_index, const std::vector<uint8_t>& slices) {
  P2R_CHECK(volume_index >= 0 && volume_index < int(set.volumes.size()), "volume index " << volume_index
                                                                              << " out of range");
  const VolumeRecord& rec = set.volumes[volume_index];
  const int64_t out_plane = set.pixels_per_slice();
  P2R_CHECK(int64_t(slices.size()) == out_plane * rec.slice_count,
            rec.subject << ": " << slices.size() << " label values for " << rec.slice_count << " slices of "
                        << set.size << "x" << set.size);
  LabelVolume out;
  out.geometry = rec.geometry;
  out.voxels.assign(rec.geometry.voxel_count(), 0);
  const int sx = rec.geometry.size[0], sy = rec.geometry.size[1];
  for (int s = 0; s < rec.slice_count; ++s) {
    int z = set.slices[rec.first_slice + s].z;
    map_label_slice_to_volume(slices.data() + s * out_plane, set.size, rec.crop, sx, sy,
                              out.voxels.data() + int64_t(z) * sx * sy);
  }
  return out;
}

}  // namespace p2r
