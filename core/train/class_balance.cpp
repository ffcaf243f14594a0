#include "core/train/class_balance.h"

#include "core/common/error.h"

namespace p2r {

std::vector<double> class_balance_weights(const std::vector<int64_t>& pixel_counts) {
  int64_t total = 0;
  int present = 0;
  for (int64_t n : pixel_counts) {
    P2R_CHECK(n >= 0, "negative pixel count " << n);
    total += n;
    present += n > 0;
  }
  P2R_CHECK(total > 0, "no labelled pixel to weigh classes by");
  std::vector<double> weights(pixel_counts.size(), 0.0);
  for (size_t c = 0; c < pixel_counts.size(); ++c)
    if (pixel_counts[c] > 0) weights[c] = double(total) / (double(present) * double(pixel_counts[c]));
  return weights;
}

}  // namespace p2r
