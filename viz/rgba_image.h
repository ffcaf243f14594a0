#pragma once
// An 8-bit RGBA raster: what the viz library composes, writes to PNG and compares.
#include <cstdint>
#include <vector>

namespace p2r::viz {

/// width x height pixels, 4 bytes each (R, G, B, A), rows top to bottom.
struct RgbaImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  ///< width * height * 4

  RgbaImage() = default;
  /// An image of the given size filled with one colour.
  RgbaImage(int w, int h, uint8_t r = 0, uint8_t g = 0, uint8_t b = 0, uint8_t a = 255);
  bool empty() const { return width <= 0 || height <= 0; }
  /// Pointer to the 4 bytes of pixel (x, y). No bounds check.
  uint8_t* at(int x, int y) { return pixels.data() + (int64_t(y) * width + x) * 4; }
  const uint8_t* at(int x, int y) const { return pixels.data() + (int64_t(y) * width + x) * 4; }
};

}  // namespace p2r::viz
