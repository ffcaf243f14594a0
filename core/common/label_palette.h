#pragma once
// The label palette: one colour per label value (ACDC convention first, then distinct colours for
// further classes). Here, below viz, so that the core's default class list and the studio's and
// figures' label colours (viz::label_rgb) are one table.
#include <array>
#include <cstdint>

namespace p2r {

/// Number of entries in the label palette (labels >= this reuse the colours modulo the size).
constexpr int kLabelPaletteSize = 8;
/// Colour of a label: 0 background (black), 1 RV (blue), 2 myocardium (green), 3 LV (red), then
/// distinct colours for further classes; label modulo kLabelPaletteSize.
std::array<uint8_t, 3> label_palette_rgb(int label);

}  // namespace p2r
