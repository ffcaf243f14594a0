#pragma once
// 2D reference colour map: a colour for every position of a 2D embedding (t-SNE), so that nearby
// points get similar colours, plus the vignette image that shows the map itself.
#include <cstdint>
#include <vector>

namespace p2r {

/// sRGB colour in [0, 1] of the unit-square position (u, v) (clamped to [0, 1]): a CIELAB colour
/// wheel, hue = angle around the centre, chroma growing with the distance from the centre, lightness
/// falling gently from 80 (centre) to 60 (corners). Smooth, deterministic, no seam.
void colormap_2d(double u, double v, float rgb[3]);

/// Maps embedding coordinates xy [n, 2] into the unit square (each axis from its [lo_pct, hi_pct]
/// percentiles, clamped) and colours them with colormap_2d. Returns [n, 3] floats in [0, 1].
/// Throws p2r::Error for n < 1 or percentiles outside 0 <= lo < hi <= 100.
std::vector<float> embedding_colours(const float* xy, int64_t n, double lo_pct = 0.5, double hi_pct = 99.5);

/// The colour map as a size x size RGB8 image [size, size, 3] (row 0 at the top, v up). When xy
/// [n, 2] is given, its points are drawn as dark dots at their normalised positions (same
/// percentiles as embedding_colours). Throws p2r::Error for size < 2.
std::vector<uint8_t> colormap_vignette(int size, const float* xy = nullptr, int64_t n = 0, double lo_pct = 0.5,
                                       double hi_pct = 99.5);

}  // namespace p2r
