#pragma once
// Colour-blind-safe colours for figures: the Okabe-Ito categorical palette and per-structure
// colours of the ACDC labels chosen from it (distinct under deuteranopia and protanopia).
#include <cstdint>

namespace p2r::viz {

/// An sRGB colour with components in [0, 1].
struct Rgb {
  double r = 0, g = 0, b = 0;
};

/// Number of colours of okabe_ito().
constexpr int kOkabeItoSize = 8;
/// Category colour i (wraps modulo kOkabeItoSize): orange, sky blue, bluish green, blue, vermillion,
/// reddish purple, yellow, black (Okabe & Ito 2008, black moved last).
Rgb okabe_ito(int i);

/// Colour of an ACDC structure for segmentation figures: 1 RV blue, 2 MYO yellow, 3 LV vermillion,
/// other labels > 0 the remaining Okabe-Ito colours; 0 (background) black.
Rgb structure_colour(uint8_t label);

}  // namespace p2r::viz
