#include "viz/figure/figure_palette.h"

#include "viz/colormap.h"

namespace p2r::viz {

Rgb okabe_ito(int i) {
  static const Rgb k[kOkabeItoSize] = {
      {230 / 255., 159 / 255., 0 / 255.},   {86 / 255., 180 / 255., 233 / 255.}, {0 / 255., 158 / 255., 115 / 255.},
      {0 / 255., 114 / 255., 178 / 255.},   {213 / 255., 94 / 255., 0 / 255.},  {204 / 255., 121 / 255., 167 / 255.},
      {240 / 255., 228 / 255., 66 / 255.},  {0, 0, 0}};
  return k[((i % kOkabeItoSize) + kOkabeItoSize) % kOkabeItoSize];
}

Rgb label_colour(uint8_t label) {
  const auto c = label_rgb(label);
  return {c[0] / 255., c[1] / 255., c[2] / 255.};
}

}  // namespace p2r::viz
