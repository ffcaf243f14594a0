#include "app/studio/cpu_composite.h"

#include <vector>

#include "viz/compositing.h"

namespace p2r::studio {

viz::RgbaImage composite_on_cpu(const SliceSet& data, int slice, const ScalarLayer& image,
                                const LabelLayer& labels) {
  const int n = data.size;
  viz::RgbaImage out = viz::render_scalar(data.image(slice), n, n, image.style);
  if (!image.visible || image.opacity < 1.f) {  // the scalar layer over black
    const float a = image.visible ? image.opacity : 0.f;
    for (size_t i = 0; i < out.pixels.size(); i += 4)
      for (int c = 0; c < 3; ++c) out.pixels[i + c] = uint8_t(out.pixels[i + c] * a + 0.5f);
  }
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
