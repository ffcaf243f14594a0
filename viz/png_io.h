#pragma once
// PNG files of RGBA images.
#include <string>

#include "viz/rgba_image.h"

namespace p2r::viz {

/// Writes image as an 8-bit RGBA PNG, atomically (temporary file, then rename). Throws p2r::Error
/// naming the path when the image is empty or the file cannot be written.
void write_png(const std::string& path, const RgbaImage& image);

/// Reads a PNG (any channel count, converted to RGBA). Throws p2r::Error naming the path when it
/// is missing or not a readable image.
RgbaImage read_png(const std::string& path);

}  // namespace p2r::viz
