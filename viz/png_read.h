#pragma once
// Reading PNG files (any channel count) as RGBA images, for image comparison and tests. Built when
// stb is available (the GUI build); writing is viz/png_write.h.
#include <string>

#include "viz/rgba_image.h"

namespace p2r::viz {

/// Reads a PNG (any channel count, converted to RGBA). Throws p2r::Error naming the path when it
/// is missing or not a readable image.
RgbaImage read_png(const std::string& path);

}  // namespace p2r::viz
