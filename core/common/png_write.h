#pragma once
// Minimal dependency-free PNG writer (8-bit grey or RGB, stored deflate blocks: no zlib, no stb), so
// the command-line tool can write images in builds without the GUI/viz library or system packages.
#include <cstdint>
#include <string>

namespace p2r {

/// Writes pixels [height, width, channels] (row 0 at the top; channels 1 = grey, 3 = RGB, 4 = RGBA)
/// as an uncompressed PNG at path, atomically. Throws p2r::Error for bad sizes or an unwritable path.
void write_png(const std::string& path, const uint8_t* pixels, int width, int height, int channels);

}  // namespace p2r
