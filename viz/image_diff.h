#pragma once
// Screenshot comparison for the GUI tests: how different two images are, within what threshold.
#include <string>

#include "viz/rgba_image.h"

namespace p2r::viz {

/// Result of comparing two RGBA images (alpha ignored).
struct ImageDiff {
  bool same_size = false;
  double mean_abs_diff = 0;       ///< mean over pixels and RGB channels, in 0..255 units
  double differing_fraction = 0;  ///< fraction of pixels with any channel differing by > tolerance
  int max_abs_diff = 0;           ///< largest channel difference
};

/// Compares a and b channel by channel; pixel_tolerance is the per-channel difference a pixel may
/// have and still count as equal. Images of different sizes give same_size = false, all else 0.
ImageDiff compare_images(const RgbaImage& a, const RgbaImage& b, int pixel_tolerance = 8);

/// Thresholds a comparison must stay within.
struct DiffThreshold {
  double max_mean_abs_diff = 1.0;
  double max_differing_fraction = 0.01;
};

/// True when the sizes match and both measures are within the threshold.
bool within(const ImageDiff& diff, const DiffThreshold& threshold);

/// "size 1280x800 vs 1280x800, mean |diff| 0.12, 0.3% pixels differ (> 8), max 40".
std::string describe(const ImageDiff& diff, const RgbaImage& a, const RgbaImage& b);

/// A visual diff: grey copy of a, differing pixels in red with brightness by difference. Sizes must
/// match (throws p2r::Error otherwise).
RgbaImage diff_image(const RgbaImage& a, const RgbaImage& b, int pixel_tolerance = 8);

}  // namespace p2r::viz
