#include "core/io/volume.h"

#include <cstdio>

namespace p2r {

std::string Geometry::describe() const {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%dx%dx%d @ %.3gx%.3gx%.3g mm", size[0], size[1], size[2], spacing[0], spacing[1],
                spacing[2]);
  return buf;
}

const std::array<const char*, kNumClasses>& class_names() {
  static const std::array<const char*, kNumClasses> names{"background", "RV", "MYO", "LV"};
  return names;
}

}  // namespace p2r
