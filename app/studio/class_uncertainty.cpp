#include "app/studio/class_uncertainty.h"

#include <algorithm>
#include <cmath>

namespace p2r::studio {

ClassMaps class_maps(const std::vector<float>& probabilities, int classes) {
  ClassMaps out;
  if (classes <= 0) return out;
  const size_t pixels = probabilities.size() / size_t(classes);
  out.labels.resize(pixels);
  out.uncertainty.resize(pixels);
  const double norm = classes > 1 ? 1.0 / std::log(double(classes)) : 0.0;
  for (size_t i = 0; i < pixels; ++i) {
    const float* p = probabilities.data() + i * size_t(classes);
    int best = 0;
    double entropy = 0;
    for (int c = 0; c < classes; ++c) {
      if (p[c] > p[best]) best = c;
      if (p[c] > 0) entropy -= double(p[c]) * std::log(double(p[c]));
    }
    out.labels[i] = uint8_t(best);
    out.uncertainty[i] = float(std::clamp(entropy * norm, 0.0, 1.0));
  }
  return out;
}

}  // namespace p2r::studio
