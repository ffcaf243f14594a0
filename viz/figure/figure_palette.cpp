#include "viz/figure/figure_palette.h"

namespace p2r::viz {

Rgb okabe_ito(int i) {
  static const Rgb k[kOkabeItoSize] = {
      {230 / 255., 159 / 255., 0 / 255.},   {86 / 255., 180 / 255., 233 / 255.}, {0 / 255., 158 / 255., 115 / 255.},
      {0 / 255., 114 / 255., 178 / 255.},   {213 / 255., 94 / 255., 0 / 255.},  {204 / 255., 121 / 255., 167 / 255.},
      {240 / 255., 228 / 255., 66 / 255.},  {0, 0, 0}};
  return k[((i % kOkabeItoSize) + kOkabeItoSize) % kOkabeItoSize];
}

Rgb structure_colour(uint8_t label) {
  switch (label) {
    case 0: return {0, 0, 0};
    case 1: return okabe_ito(3);  // RV: blue
    case 2: return okabe_ito(6);  // MYO: yellow
    case 3: return okabe_ito(4);  // LV: vermillion
    default: return okabe_ito(label == 4 ? 2 : label == 5 ? 5 : label);
  }
}

}  // namespace p2r::viz
