#include "core/common/label_palette.h"

namespace p2r {

std::array<uint8_t, 3> label_palette_rgb(int label) {
  static const std::array<uint8_t, 3> palette[kLabelPaletteSize] = {
      {0, 0, 0},       // background
      {40, 110, 255},  // RV
      {40, 200, 70},   // myocardium
      {240, 50, 40},   // LV
      {250, 200, 30},  {200, 60, 220}, {30, 210, 210}, {250, 130, 30}};
  return palette[((label % kLabelPaletteSize) + kLabelPaletteSize) % kLabelPaletteSize];
}

}  // namespace p2r
