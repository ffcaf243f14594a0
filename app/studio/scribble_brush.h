#pragma once
// The scribble brush: which voxels of one plane of the original image grid a brush stroke covers.
// Points are in source pixel coordinates (pixel (x, y) spans [x, x + 1) x [y, y + 1)). No GL, no ImGui.
#include <cstdint>
#include <vector>

#include "app/studio/view_transform.h"

namespace p2r::studio {

/// Indices (y * width + x, ascending, each once) of the pixels of a width x height plane that a
/// brush of diameter size (source pixels, >= 1) covers when dragged from `from` to `to`: every
/// pixel whose centre lies within size / 2 of the segment, and every pixel the segment passes
/// through (so a 1-pixel brush draws a connected line). Pixels outside the plane are dropped.
std::vector<int64_t> brush_pixels(int width, int height, Vec2 from, Vec2 to, float size);

}  // namespace p2r::studio
