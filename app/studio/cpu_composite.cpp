#include "app/studio/cpu_composite.h"

#include <vector>

#include "viz/compositing.h"

namespace p2r::studio {

viz::RgbaImage composite_on_cpu(const SliceSet& data, int slice, const ScalarLayer& image,
                                const LabelLayer& labels) {
  const int n = data.size;
  // The scalar layer over black.
  viz::RgbaImage out = viz::render_scalar_over_grey(data.image(slice), nullptr, n, n, image.style,
                                                    image.visible ? image.opacity : 0.f);
  if (labels.visible) {
    std::vector<uint8_t> shown(data.label(slice), data.label(slice) + size_t(n) * n);
    if (labels.only_label >= 0)
      for (uint8_t& l : shown)
        if (l != labels.only_label) l = 0;
    viz::blend_labels(out, shown.data(), n, n, labels.opacity);
  }
  return out;
}

}  // namespace p2r::studio
