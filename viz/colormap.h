#pragma once
// Colour maps for scalar images and the label palette (ACDC convention). The GL shaders sample the
// same tables (uploaded as a lookup texture), so CPU figures and the studio show the same colours.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/label_palette.h"

namespace p2r::viz {

enum class Colormap { Gray, Viridis, Magma, Coolwarm };

/// "gray", "viridis", "magma", "coolwarm".
const char* colormap_name(Colormap map);
/// Parses a name from colormap_name; throws p2r::Error otherwise.
Colormap parse_colormap(const std::string& name);
/// All colour maps, in menu order.
const std::vector<Colormap>& all_colormaps();

/// Colour of t in [0, 1] (clamped; NaN -> 0) as RGB bytes.
std::array<uint8_t, 3> colormap_rgb(Colormap map, float t);
/// A lookup table of n entries (n >= 2), RGBA bytes (alpha 255): entry i is colormap_rgb(i/(n-1)).
std::vector<uint8_t> colormap_table(Colormap map, int n = 256);

/// Maps intensity v through the window [low, high] to [0, 1] (clamped): (v - low) times the
/// reciprocal of the width (at most 1e6); low == high gives a step; NaN gives 0.
float apply_window(float v, float low, float high);

/// Number of entries in the label palette (core/common/label_palette.h).
using p2r::kLabelPaletteSize;
/// Colour of a label (label_palette_rgb): 0 background (black), 1 RV (blue), 2 myocardium (green),
/// 3 LV (red), then distinct colours for further classes.
std::array<uint8_t, 3> label_rgb(uint8_t label);
/// Human-readable ACDC structure name: "background", "RV", "MYO", "LV", or "label N".
std::string label_name(uint8_t label);

}  // namespace p2r::viz
