#include "app/studio/screenshot.h"

#include <algorithm>

#include "app/studio/gl.h"
#include "viz/png_write.h"

namespace p2r::studio {

viz::RgbaImage capture_framebuffer(int width, int height) {
  viz::RgbaImage image(width, height);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, image.pixels.data());
  // GL rows go bottom-up; PNG rows top-down.
  const size_t row = size_t(width) * 4;
  for (int y = 0; y < height / 2; ++y)
    std::swap_ranges(image.pixels.begin() + y * row, image.pixels.begin() + (y + 1) * row,
                     image.pixels.begin() + (height - 1 - y) * row);
  for (size_t i = 3; i < image.pixels.size(); i += 4) image.pixels[i] = 255;
  return image;
}

void save_screenshot(const std::string& path, int width, int height) {
  viz::write_png(path, capture_framebuffer(width, height));
}

}  // namespace p2r::studio
