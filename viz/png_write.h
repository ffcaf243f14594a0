#pragma once
// The project's one PNG writer: dependency-free (8-bit grey, RGB or RGBA; stored deflate blocks, no
// zlib, no stb), so every build writes images, the command-line tool without the GUI included.
#include <cstdint>
#include <string>

#include "viz/rgba_image.h"

namespace p2r::viz {

/// Writes pixels [height, width, channels] (row 0 at the top; channels 1 = grey, 3 = RGB, 4 = RGBA)
/// as an uncompressed PNG at path, atomically. Throws p2r::Error for bad sizes or an unwritable path.
void write_png(const std::string& path, const uint8_t* pixels, int width, int height, int channels);

/// Writes image as an 8-bit RGBA PNG, atomically (temporary file, then rename). Throws p2r::Error
/// naming the path when the image is empty or inconsistent or the file cannot be written.
void write_png(const std::string& path, const RgbaImage& image);

}  // namespace p2r::viz
