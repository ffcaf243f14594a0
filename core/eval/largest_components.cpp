#include "core/eval/largest_components.h"

#include "core/common/error.h"

namespace p2r {

namespace {

// Sets to 0 every voxel of labels where inside(label) holds that is not in the largest
// face-connected piece of such voxels (ties: the piece met first in memory order).
template <class Inside>
void keep_largest_piece(std::vector<uint8_t>& labels, int depth, int height, int width, Inside inside) {
  const int64_t plane = int64_t(height) * width, n = plane * depth;
  std::vector<int32_t> piece(size_t(n), -1);
  std::vector<int64_t> sizes, stack;
  for (int64_t start = 0; start < n; ++start) {
    if (piece[size_t(start)] >= 0 || !inside(labels[size_t(start)])) continue;
    const int32_t id = int32_t(sizes.size());
    int64_t size = 0;
    piece[size_t(start)] = id;
    stack.push_back(start);
    while (!stack.empty()) {
      const int64_t v = stack.back();
      stack.pop_back();
      ++size;
      const int64_t z = v / plane, y = (v % plane) / width, x = v % width;
      auto visit = [&](bool exists, int64_t u) {
        if (exists && piece[size_t(u)] < 0 && inside(labels[size_t(u)])) {
          piece[size_t(u)] = id;
          stack.push_back(u);
        }
      };
      visit(x > 0, v - 1);
      visit(x + 1 < width, v + 1);
      visit(y > 0, v - width);
      visit(y + 1 < height, v + width);
      visit(z > 0, v - plane);
      visit(z + 1 < depth, v + plane);
    }
    sizes.push_back(size);
  }
  if (sizes.size() < 2) return;
  int32_t largest = 0;
  for (int32_t i = 1; i < int32_t(sizes.size()); ++i)
    if (sizes[size_t(i)] > sizes[size_t(largest)]) largest = i;
  for (int64_t v = 0; v < n; ++v)
    if (piece[size_t(v)] >= 0 && piece[size_t(v)] != largest) labels[size_t(v)] = 0;
}

}  // namespace

std::vector<uint8_t> keep_largest_components(const std::vector<uint8_t>& labels, int depth, int height, int width,
                                             int classes) {
  P2R_CHECK(depth >= 0 && height >= 0 && width >= 0 &&
                int64_t(labels.size()) == int64_t(depth) * height * width,
            "largest components: " << labels.size() << " labels for a " << depth << " x " << height << " x " << width
                                   << " volume");
  for (uint8_t l : labels)
    P2R_CHECK(l < classes, "largest components: label " << int(l) << " outside 0.." << classes - 1);
  std::vector<uint8_t> out = labels;
  keep_largest_piece(out, depth, height, width, [](uint8_t l) { return l != 0; });
  for (int c = 1; c < classes; ++c)
    keep_largest_piece(out, depth, height, width, [c](uint8_t l) { return l == c; });
  return out;
}

}  // namespace p2r
