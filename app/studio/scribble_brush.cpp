#include "app/studio/scribble_brush.h"

#include <algorithm>
#include <cmath>

namespace p2r::studio {

std::vector<int64_t> brush_pixels(int width, int height, Vec2 from, Vec2 to, float size) {
  std::vector<int64_t> out;
  if (width <= 0 || height <= 0) return out;
  const float r = std::max(size, 1.f) * 0.5f;
  const float dx = to.x - from.x, dy = to.y - from.y, length2 = dx * dx + dy * dy;
  const auto inside = [&](int x, int y) { return x >= 0 && y >= 0 && x < width && y < height; };
  // Pixel centres within r of the segment, in its bounding box grown by r.
  const int x0 = int(std::floor(std::min(from.x, to.x) - r)), x1 = int(std::ceil(std::max(from.x, to.x) + r));
  const int y0 = int(std::floor(std::min(from.y, to.y) - r)), y1 = int(std::ceil(std::max(from.y, to.y) + r));
  for (int y = std::max(y0, 0); y <= std::min(y1, height - 1); ++y)
    for (int x = std::max(x0, 0); x <= std::min(x1, width - 1); ++x) {
      const float cx = float(x) + 0.5f - from.x, cy = float(y) + 0.5f - from.y;
      const float t = length2 > 0 ? std::clamp((cx * dx + cy * dy) / length2, 0.f, 1.f) : 0.f;
      const float ex = cx - t * dx, ey = cy - t * dy;
      if (ex * ex + ey * ey <= r * r) out.push_back(int64_t(y) * width + x);
    }
  // The pixels the segment passes through, sampled every quarter pixel.
  const int steps = std::max(1, int(std::ceil(std::sqrt(length2) * 4.f)));
  for (int i = 0; i <= steps; ++i) {
    const float t = float(i) / float(steps);
    const int x = int(std::floor(from.x + t * dx)), y = int(std::floor(from.y + t * dy));
    if (inside(x, y)) out.push_back(int64_t(y) * width + x);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace p2r::studio
