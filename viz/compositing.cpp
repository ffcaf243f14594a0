#include "viz/compositing.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"

namespace p2r::viz {

RgbaImage::RgbaImage(int w, int h, uint8_t r, uint8_t g, uint8_t b, uint8_t a)
    : width(w), height(h), pixels(size_t(std::max(w, 0)) * size_t(std::max(h, 0)) * 4) {
  for (size_t i = 0; i < pixels.size(); i += 4) {
    pixels[i] = r;
    pixels[i + 1] = g;
    pixels[i + 2] = b;
    pixels[i + 3] = a;
  }
}

RgbaImage render_scalar(const float* values, int width, int height, const ScalarStyle& style) {
  P2R_CHECK(width > 0 && height > 0, "render_scalar: empty image " << width << "x" << height);
  const auto table = colormap_table(style.colormap, 256);
  RgbaImage out(width, height);
  for (int64_t i = 0; i < int64_t(width) * height; ++i) {
    const float t = apply_window(values[i], style.low, style.high);
    const int idx = std::clamp(int(std::lround(t * 255.f)), 0, 255);
    std::copy_n(table.data() + idx * 4, 4, out.pixels.data() + i * 4);
  }
  return out;
}

RgbaImage render_scalar_masked(const float* values, int width, int height, const ScalarStyle& style,
                               const uint8_t missing[4]) {
  RgbaImage out = render_scalar(values, width, height, style);
  for (int64_t i = 0; i < int64_t(width) * height; ++i)
    if (!std::isfinite(values[i])) std::copy_n(missing, 4, out.pixels.data() + i * 4);
  return out;
}

RgbaImage render_scalar_over_grey(const float* values, const float* grey, int width, int height,
                                  const ScalarStyle& style, float opacity) {
  RgbaImage out = render_scalar(values, width, height, style);
  const float a = std::clamp(opacity, 0.f, 1.f);
  for (int64_t i = 0; i < int64_t(width) * height; ++i) {
    const float g = grey ? std::clamp(grey[i], 0.f, 1.f) * 255.f : 0.f;
    uint8_t* p = out.pixels.data() + i * 4;
    for (int c = 0; c < 3; ++c) p[c] = uint8_t(std::lround((1.f - a) * g + a * float(p[c])));
  }
  return out;
}

void blend_labels(RgbaImage& image, const uint8_t* labels, int width, int height, float opacity) {
  P2R_CHECK(image.width == width && image.height == height,
            "blend_labels: image is " << image.width << "x" << image.height << " but labels are "
                                      << width << "x" << height);
  const float a = std::clamp(opacity, 0.f, 1.f);
  for (int64_t i = 0; i < int64_t(width) * height; ++i) {
    if (labels[i] == 0) continue;
    const auto c = label_rgb(labels[i]);
    uint8_t* p = image.pixels.data() + i * 4;
    for (int k = 0; k < 3; ++k) p[k] = uint8_t(std::lround(p[k] * (1.f - a) + c[k] * a));
  }
}

RgbaImage upscale_nearest(const RgbaImage& image, int factor) {
  P2R_CHECK(factor >= 1, "upscale factor must be >= 1, got " << factor);
  RgbaImage out(image.width * factor, image.height * factor);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) std::copy_n(image.at(x / factor, y / factor), 4, out.at(x, y));
  return out;
}

}  // namespace p2r::viz
