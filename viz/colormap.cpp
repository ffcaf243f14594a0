#include "viz/colormap.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"

namespace p2r::viz {
namespace {

using Rgb = std::array<uint8_t, 3>;

// Anchor colours at evenly spaced t, linearly interpolated between them.
const std::vector<Rgb>& anchors(Colormap map) {
  static const std::vector<Rgb> gray = {{0, 0, 0}, {255, 255, 255}};
  static const std::vector<Rgb> viridis = {{68, 1, 84},    {72, 40, 120},  {59, 82, 139},
                                           {44, 114, 142}, {33, 145, 140}, {40, 174, 128},
                                           {94, 201, 98},  {173, 220, 48}, {253, 231, 37}};
  static const std::vector<Rgb> magma = {{0, 0, 4},       {28, 16, 68},   {79, 18, 123},
                                         {129, 37, 129},  {181, 54, 122}, {229, 80, 100},
                                         {251, 135, 97},  {254, 194, 135}, {252, 253, 191}};
  static const std::vector<Rgb> coolwarm = {{59, 76, 192},   {141, 176, 254}, {221, 221, 221},
                                            {244, 154, 123}, {180, 4, 38}};
  switch (map) {
    case Colormap::Gray: return gray;
    case Colormap::Viridis: return viridis;
    case Colormap::Magma: return magma;
    case Colormap::Coolwarm: return coolwarm;
  }
  return gray;
}

}  // namespace

const char* colormap_name(Colormap map) {
  switch (map) {
    case Colormap::Gray: return "gray";
    case Colormap::Viridis: return "viridis";
    case Colormap::Magma: return "magma";
    case Colormap::Coolwarm: return "coolwarm";
  }
  return "?";
}

Colormap parse_colormap(const std::string& name) {
  for (Colormap map : all_colormaps())
    if (name == colormap_name(map)) return map;
  P2R_FAIL("unknown colour map '" << name << "' (expected gray, viridis, magma or coolwarm)");
}

const std::vector<Colormap>& all_colormaps() {
  static const std::vector<Colormap> maps = {Colormap::Gray, Colormap::Viridis, Colormap::Magma,
                                             Colormap::Coolwarm};
  return maps;
}

std::array<uint8_t, 3> colormap_rgb(Colormap map, float t) {
  if (!(t > 0.f)) t = 0.f;  // also NaN
  if (t > 1.f) t = 1.f;
  const auto& a = anchors(map);
  const float pos = t * float(a.size() - 1);
  const int i = std::min(int(pos), int(a.size()) - 2);
  const float f = pos - float(i);
  Rgb out{};
  for (int c = 0; c < 3; ++c)
    out[c] = uint8_t(std::lround(float(a[i][c]) * (1.f - f) + float(a[i + 1][c]) * f));
  return out;
}

std::vector<uint8_t> colormap_table(Colormap map, int n) {
  P2R_CHECK(n >= 2, "colour map table needs at least 2 entries, got " << n);
  std::vector<uint8_t> table(size_t(n) * 4);
  for (int i = 0; i < n; ++i) {
    const Rgb c = colormap_rgb(map, float(i) / float(n - 1));
    table[i * 4 + 0] = c[0];
    table[i * 4 + 1] = c[1];
    table[i * 4 + 2] = c[2];
    table[i * 4 + 3] = 255;
  }
  return table;
}

float apply_window(float v, float low, float high) {
  if (!(v == v)) return 0.f;
  if (high <= low) return v >= low ? 1.f : 0.f;
  return std::clamp((v - low) * (1.f / std::max(high - low, 1e-6f)), 0.f, 1.f);
}

std::array<uint8_t, 3> label_rgb(uint8_t label) { return label_palette_rgb(label); }

std::string label_name(uint8_t label) {
  switch (label) {
    case 0: return "background";
    case 1: return "RV";
    case 2: return "MYO";
    case 3: return "LV";
    default: return "label " + std::to_string(int(label));
  }
}

}  // namespace p2r::viz
