#pragma once
// Class-balanced loss weights from per-class pixel counts. No Torch.
#include <cstdint>
#include <vector>

namespace p2r {

/// Weight of each class inverse to its pixel count, scaled so that the weighted count of every
/// present class is total / (present classes): each class contributes equally to a weighted mean
/// loss, and sum(weight * count) = total. Classes without pixels get 0. Throws p2r::Error for a
/// negative count or no pixel at all.
std::vector<double> class_balance_weights(const std::vector<int64_t>& pixel_counts);

}  // namespace p2r
