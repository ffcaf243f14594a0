#include "viz/image_diff.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "core/common/error.h"

namespace p2r::viz {

ImageDiff compare_images(const RgbaImage& a, const RgbaImage& b, int pixel_tolerance) {
  ImageDiff d;
  d.same_size = a.width == b.width && a.height == b.height && !a.empty();
  if (!d.same_size) return d;
  const int64_t n = int64_t(a.width) * a.height;
  int64_t sum = 0, differing = 0;
  for (int64_t i = 0; i < n; ++i) {
    int pixel_max = 0;
    for (int c = 0; c < 3; ++c) {
      const int diff = std::abs(int(a.pixels[i * 4 + c]) - int(b.pixels[i * 4 + c]));
      sum += diff;
      pixel_max = std::max(pixel_max, diff);
    }
    d.max_abs_diff = std::max(d.max_abs_diff, pixel_max);
    if (pixel_max > pixel_tolerance) ++differing;
  }
  d.mean_abs_diff = double(sum) / double(n * 3);
  d.differing_fraction = double(differing) / double(n);
  return d;
}

bool within(const ImageDiff& diff, const DiffThreshold& threshold) {
  return diff.same_size && diff.mean_abs_diff <= threshold.max_mean_abs_diff &&
         diff.differing_fraction <= threshold.max_differing_fraction;
}

std::string describe(const ImageDiff& diff, const RgbaImage& a, const RgbaImage& b) {
  std::ostringstream os;
  os << "size " << a.width << "x" << a.height << " vs " << b.width << "x" << b.height;
  if (diff.same_size)
    os << ", mean |diff| " << diff.mean_abs_diff << ", " << diff.differing_fraction * 100.0
       << "% pixels differ, max " << diff.max_abs_diff;
  return os.str();
}

RgbaImage diff_image(const RgbaImage& a, const RgbaImage& b, int pixel_tolerance) {
  P2R_CHECK(a.width == b.width && a.height == b.height,
            "diff_image: sizes differ (" << a.width << "x" << a.height << " vs " << b.width << "x"
                                         << b.height << ")");
  RgbaImage out(a.width, a.height);
  for (int64_t i = 0; i < int64_t(a.width) * a.height; ++i) {
    const uint8_t* p = a.pixels.data() + i * 4;
    const uint8_t* q = b.pixels.data() + i * 4;
    int m = 0;
    for (int c = 0; c < 3; ++c) m = std::max(m, std::abs(int(p[c]) - int(q[c])));
    uint8_t* o = out.pixels.data() + i * 4;
    if (m > pixel_tolerance) {
      o[0] = uint8_t(std::min(255, 128 + m));
      o[1] = o[2] = 0;
    } else {
      o[0] = o[1] = o[2] = uint8_t((p[0] + p[1] + p[2]) / 9);  // dimmed grey context
    }
  }
  return out;
}

}  // namespace p2r::viz
