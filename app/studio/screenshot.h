#pragma once
// Screenshots: what the window shows, read back from GL.
#include <string>

#include "viz/rgba_image.h"

namespace p2r::studio {

/// Reads the current read framebuffer (the back buffer after rendering, before the swap) of
/// width x height pixels into an opaque RGBA image, top row first. Main thread, GL context current.
viz::RgbaImage capture_framebuffer(int width, int height);

/// capture_framebuffer + viz::write_png. Throws p2r::Error naming path when it cannot be written.
void save_screenshot(const std::string& path, int width, int height);

}  // namespace p2r::studio
