#include "core/data/motion_roi.h"

#include <algorithm>
#include <cmath>
#include <deque>

#include "core/data/preprocess.h"

namespace p2r {

namespace {

// Settings chosen on the 100 ACDC training subjects (docs/pretraining.md, "Crops"): smoothing of the
// motion map, the centre prior's width (finds the peak only) and the share of the peak that bounds
// the moving region. A higher share gives tighter boxes that cut the heart more often.
constexpr double kSmoothMm = 6.0;
constexpr double kCentrePriorSigmaMm = 80.0;
constexpr double kRegionShareOfPeak = 0.2;

// In-place separable Gaussian blur of a sx x sy map with sigma in pixels along x and y.
void gaussian_blur(std::vector<double>& map, int sx, int sy, double sigma_x, double sigma_y) {
  auto blur_1d = [&](double sigma, bool along_x) {
    const int r = std::max(1, int(std::ceil(3 * sigma)));
    std::vector<double> k(2 * r + 1);
    double sum = 0;
    for (int i = -r; i <= r; ++i) sum += k[i + r] = std::exp(-0.5 * i * i / (sigma * sigma));
    for (double& v : k) v /= sum;
    std::vector<double> out(map.size(), 0.0);
    for (int y = 0; y < sy; ++y)
      for (int x = 0; x < sx; ++x) {
        double acc = 0, weight = 0;
        for (int i = -r; i <= r; ++i) {
          const int xx = along_x ? x + i : x, yy = along_x ? y : y + i;
          if (xx < 0 || yy < 0 || xx >= sx || yy >= sy) continue;
          acc += k[i + r] * map[size_t(yy) * sx + xx];
          weight += k[i + r];
        }
        out[size_t(y) * sx + x] = acc / weight;
      }
    map.swap(out);
  };
  blur_1d(sigma_x, true);
  blur_1d(sigma_y, false);
}

// Mean over z of the per-voxel intensity range across frames, each frame normalised to [0, 1].
std::vector<double> motion_map(const std::vector<const Volume*>& frames, const PrepareConfig& config) {
  const Geometry& g = frames[0]->geometry;
  const int64_t plane = int64_t(g.size[0]) * g.size[1], n = g.voxel_count();
  std::vector<float> lo(n, 1.f), hi(n, 0.f);
  for (const Volume* f : frames) {
    const auto [p_lo, p_hi] = intensity_percentiles(f->voxels, config.percentile_low, config.percentile_high);
    const float scale = p_hi > p_lo ? 1.f / (p_hi - p_lo) : 0.f;
    for (int64_t i = 0; i < n; ++i) {
      const float v = std::clamp((f->voxels[i] - p_lo) * scale, 0.f, 1.f);
      lo[i] = std::min(lo[i], v), hi[i] = std::max(hi[i], v);
    }
  }
  std::vector<double> map(plane, 0.0);
  for (int64_t i = 0; i < n; ++i) map[i % plane] += double(hi[i] - lo[i]) / g.size[2];
  return map;
}

}  // namespace

MotionRoi motion_roi_box(const std::vector<const Volume*>& frames, const PrepareConfig& config) {
  MotionRoi out;
  if (frames.size() < 2) {
    out.fallback_reason = "single frame";
    return out;
  }
  const Geometry& g = frames[0]->geometry;
  for (const Volume* f : frames)
    if (f->geometry.size != g.size || f->geometry.spacing != g.spacing) {
      out.fallback_reason = "frames on different grids";
      return out;
    }
  const int sx = g.size[0], sy = g.size[1];
  const double dx = g.spacing[0], dy = g.spacing[1];
  std::vector<double> map = motion_map(frames, config);
  gaussian_blur(map, sx, sy, kSmoothMm / dx, kSmoothMm / dy);
  // The peak of the motion weighted towards the image centre (the heart, not the edge of the field).
  int64_t peak = 0;
  double best = 0;
  for (int y = 0; y < sy; ++y)
    for (int x = 0; x < sx; ++x) {
      const double ex = (x + 0.5 - sx / 2.0) * dx, ey = (y + 0.5 - sy / 2.0) * dy;
      const double w = map[size_t(y) * sx + x] *
                       std::exp(-0.5 * (ex * ex + ey * ey) / (kCentrePriorSigmaMm * kCentrePriorSigmaMm));
      if (w > best) best = w, peak = int64_t(y) * sx + x;
    }
  if (!(map[peak] > 0)) {
    out.fallback_reason = "no motion between frames";
    return out;
  }
  // Bounding box of the 4-connected region around the peak above a share of it.
  const double level = kRegionShareOfPeak * map[peak];
  std::vector<char> seen(map.size(), 0);
  std::deque<int64_t> queue{peak};
  seen[peak] = 1;
  int xmin = sx, xmax = -1, ymin = sy, ymax = -1;
  while (!queue.empty()) {
    const int64_t i = queue.front();
    queue.pop_front();
    const int x = int(i % sx), y = int(i / sx);
    xmin = std::min(xmin, x), xmax = std::max(xmax, x), ymin = std::min(ymin, y), ymax = std::max(ymax, y);
    const int nx[4] = {x - 1, x + 1, x, x}, ny[4] = {y, y, y - 1, y + 1};
    for (int k = 0; k < 4; ++k) {
      if (nx[k] < 0 || ny[k] < 0 || nx[k] >= sx || ny[k] >= sy) continue;
      const int64_t j = int64_t(ny[k]) * sx + nx[k];
      if (!seen[j] && map[j] >= level) seen[j] = 1, queue.push_back(j);
    }
  }
  const double side = std::clamp(std::max((xmax + 1 - xmin) * dx, (ymax + 1 - ymin) * dy) + 2 * config.motion_margin_mm,
                                 std::min(config.motion_min_side_mm, config.fov_mm), config.fov_mm);
  const double cx = (xmin + xmax + 1) / 2.0, cy = (ymin + ymax + 1) / 2.0;
  CropBox box;
  box.width = side / dx, box.height = side / dy;
  box.x0 = cx - box.width / 2, box.y0 = cy - box.height / 2;
  out.box = box;
  return out;
}

}  // namespace p2r
