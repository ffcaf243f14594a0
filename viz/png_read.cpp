#include "viz/png_read.h"

#include <stb_image.h>

#include "core/common/error.h"

namespace p2r::viz {

RgbaImage read_png(const std::string& path) {
  int w = 0, h = 0, channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &channels, 4);
  P2R_CHECK(data != nullptr, "cannot read image " << path << ": "
                                 << (stbi_failure_reason() ? stbi_failure_reason() : "unknown error"));
  RgbaImage out;
  out.width = w;
  out.height = h;
  out.pixels.assign(data, data + size_t(w) * h * 4);
  stbi_image_free(data);
  return out;
}

}  // namespace p2r::viz
