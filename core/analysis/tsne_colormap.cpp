#include "core/analysis/tsne_colormap.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"

namespace p2r {
namespace {

double srgb_gamma(double c) {
  c = std::clamp(c, 0.0, 1.0);
  return c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055;
}

// CIELAB (D65) to linear-light then gamma-encoded sRGB, clipped to the gamut.
void lab_to_srgb(double L, double a, double b, float rgb[3]) {
  const double fy = (L + 16.0) / 116.0, fx = fy + a / 500.0, fz = fy - b / 200.0;
  auto finv = [](double t) { return t > 6.0 / 29.0 ? t * t * t : 3.0 * (6.0 / 29.0) * (6.0 / 29.0) * (t - 4.0 / 29.0); };
  const double X = 0.95047 * finv(fx), Y = 1.0 * finv(fy), Z = 1.08883 * finv(fz);
  const double r = 3.2404542 * X - 1.5371385 * Y - 0.4985314 * Z;
  const double g = -0.9692660 * X + 1.8760108 * Y + 0.0415560 * Z;
  const double bl = 0.0556434 * X - 0.2040259 * Y + 1.0572252 * Z;
  rgb[0] = float(srgb_gamma(r));
  rgb[1] = float(srgb_gamma(g));
  rgb[2] = float(srgb_gamma(bl));
}

struct AxisRange {
  double lo = 0, scale = 1;
};

AxisRange axis_range(const float* xy, int64_t n, int axis, double lo_pct, double hi_pct) {
  const int64_t step = std::max<int64_t>(1, n / 200000);
  std::vector<float> v;
  for (int64_t i = 0; i < n; i += step) v.push_back(xy[2 * i + axis]);
  auto pct = [&](double p) {
    const size_t k = size_t(std::llround(p / 100.0 * double(v.size() - 1)));
    std::nth_element(v.begin(), v.begin() + k, v.end());
    return double(v[k]);
  };
  AxisRange r;
  r.lo = pct(lo_pct);
  const double hi = pct(hi_pct);
  r.scale = hi > r.lo ? 1.0 / (hi - r.lo) : 0.0;
  return r;
}

double normalise(double x, const AxisRange& r) { return r.scale > 0 ? std::clamp((x - r.lo) * r.scale, 0.0, 1.0) : 0.5; }

void check_percentiles(double lo, double hi) {
  P2R_CHECK(lo >= 0 && lo < hi && hi <= 100, "colour map percentiles must satisfy 0 <= lo < hi <= 100, got "
                                                  << lo << ", " << hi);
}

}  // namespace

void colormap_2d(double u, double v, float rgb[3]) {
  u = std::clamp(u, 0.0, 1.0) - 0.5;
  v = std::clamp(v, 0.0, 1.0) - 0.5;
  const double r = std::sqrt(u * u + v * v) / std::sqrt(0.5);  // 0 at the centre, 1 at the corners
  // a*, b* proportional to the offset: hue follows the angle, chroma the radius (no seam anywhere).
  const double chroma = 70.0;
  const double a = chroma * 2.0 * u, b = chroma * 2.0 * v;
  const double L = 80.0 - 20.0 * r * r;
  lab_to_srgb(L, a, b, rgb);
}

std::vector<float> embedding_colours(const float* xy, int64_t n, double lo_pct, double hi_pct) {
  P2R_CHECK(n >= 1 && xy != nullptr, "embedding_colours: need at least one point");
  check_percentiles(lo_pct, hi_pct);
  const AxisRange rx = axis_range(xy, n, 0, lo_pct, hi_pct), ry = axis_range(xy, n, 1, lo_pct, hi_pct);
  std::vector<float> out(size_t(n) * 3);
  for (int64_t i = 0; i < n; ++i) colormap_2d(normalise(xy[2 * i], rx), normalise(xy[2 * i + 1], ry), &out[3 * i]);
  return out;
}

std::vector<uint8_t> colormap_vignette(int size, const float* xy, int64_t n, double lo_pct, double hi_pct) {
  P2R_CHECK(size >= 2, "colour map vignette size must be >= 2, got " << size);
  check_percentiles(lo_pct, hi_pct);
  std::vector<uint8_t> img(size_t(size) * size * 3);
  for (int row = 0; row < size; ++row)
    for (int col = 0; col < size; ++col) {
      float rgb[3];
      colormap_2d(double(col) / (size - 1), 1.0 - double(row) / (size - 1), rgb);
      for (int c = 0; c < 3; ++c) img[(size_t(row) * size + col) * 3 + c] = uint8_t(std::lround(rgb[c] * 255.0f));
    }
  if (xy != nullptr && n > 0) {
    const AxisRange rx = axis_range(xy, n, 0, lo_pct, hi_pct), ry = axis_range(xy, n, 1, lo_pct, hi_pct);
    for (int64_t i = 0; i < n; ++i) {
      const int col = int(std::lround(normalise(xy[2 * i], rx) * (size - 1)));
      const int row = int(std::lround((1.0 - normalise(xy[2 * i + 1], ry)) * (size - 1)));
      uint8_t* px = &img[(size_t(row) * size + col) * 3];
      for (int c = 0; c < 3; ++c) px[c] = uint8_t(px[c] / 3);  // darken: dots stay tinted by the map
    }
  }
  return img;
}

}  // namespace p2r
