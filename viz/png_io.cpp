#include "viz/png_io.h"

#include <stb_image.h>
#include <stb_image_write.h>

#include "core/common/atomic_file.h"
#include "core/common/error.h"

namespace p2r::viz {

void write_png(const std::string& path, const RgbaImage& image) {
  P2R_CHECK(!image.empty() && image.pixels.size() == size_t(image.width) * image.height * 4,
            "cannot write " << path << ": image is empty or inconsistent (" << image.width << "x"
                            << image.height << ")");
  write_file_atomically(path, [&](const std::string& tmp) {
    const int ok = stbi_write_png(tmp.c_str(), image.width, image.height, 4, image.pixels.data(),
                                  image.width * 4);
    P2R_CHECK(ok != 0, "cannot write PNG " << path);
  });
}

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
