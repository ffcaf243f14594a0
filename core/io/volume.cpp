#include "core/io/volume.h"

#include <cstdio>

namespace p2r {

std::string Geometry::describe() const {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%dx%dx%d @ %.3gx%.3gx%.3g mm", size[0], size[1], size[2], spacing[0], spacing[1],
                spacing[2]);
  return buf;
}

Geometry Geometry::regridded(const std::array<int, 3>& new_size, const std::array<double, 3>& scale,
                             const std::array<double, 3>& offset) const {
  Geometry g = *this;
  g.size = new_size;
  for (int i = 0; i < 3; ++i) {
    g.spacing[i] = spacing[i] * scale[i];
    for (int j = 0; j < 3; ++j) g.origin[i] += direction[i * 3 + j] * spacing[j] * offset[j];
  }
  if (nifti) g.nifti = nifti->regridded(scale, offset);
  return g;
}

const std::array<const char*, kNumClasses>& class_names() {
  static const std::array<const char*, kNumClasses> names{"background", "RV", "MYO", "LV"};
  return names;
}

}  // namespace p2r
