#pragma once
// Label clean-up after prediction: a heart structure is one connected piece, so pieces of a
// predicted label that lie apart from its largest one are mistakes (nnU-Net's post-processing).
#include <cstdint>
#include <vector>

namespace p2r {

/// Labels of a [depth, height, width] volume (values 0..classes-1, 0 background) with every
/// face-connected (6-neighbour) piece of the foreground but the largest set to background, then of
/// each class c >= 1 every piece but its largest. Throws p2r::Error when the sizes do not match or
/// a value is >= classes.
std::vector<uint8_t> keep_largest_components(const std::vector<uint8_t>& labels, int depth, int height, int width,
                                             int classes);

}  // namespace p2r
