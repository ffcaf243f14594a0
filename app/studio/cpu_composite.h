#pragma once
// The CPU reference of what the image view's shaders draw (viz compositing with the layers' styles).
#include "app/studio/image_layer.h"
#include "core/data/slice_set.h"
#include "viz/rgba_image.h"

namespace p2r::studio {

/// Slice `slice` of data through image's style, with labels blended as the label layer shows them
/// (visibility, opacity, single-structure filter), on black, at native resolution.
viz::RgbaImage composite_on_cpu(const SliceSet& data, int slice, const ScalarLayer& image,
                                const LabelLayer& labels);

}  // namespace p2r::studio
