#pragma once
// Labels and uncertainty of per-pixel class probabilities (the scribble classifier's softmax).
// No GL, no ImGui, no Torch.
#include <cstdint>
#include <vector>

namespace p2r::studio {

/// The most probable class of each pixel and its uncertainty.
struct ClassMaps {
  std::vector<uint8_t> labels;     ///< argmax class per pixel (the lower index on ties)
  std::vector<float> uncertainty;  ///< entropy / log(classes) per pixel: 0 certain .. 1 uniform
};

/// Maps of pixels x classes probabilities (pixel-major: the classes of pixel 0 first). Each pixel's
/// probabilities should sum to 1; zeros count as 0 * log 0 = 0.
ClassMaps class_maps(const std::vector<float>& probabilities, int classes);

}  // namespace p2r::studio
