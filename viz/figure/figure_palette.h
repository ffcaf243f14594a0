#pragma once
// Colours of figures: the Okabe-Ito categorical palette (methods, curves) and the ACDC structure
// colours, which are the studio's label palette (viz::label_rgb) so that figures show what the
// studio shows.
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

/// Colour of an ACDC structure (1 RV, 2 MYO, 3 LV, other labels): viz::label_rgb in [0, 1].
Rgb label_colour(uint8_t label);

}  // namespace p2r::viz
