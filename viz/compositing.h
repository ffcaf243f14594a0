#pragma once
// CPU compositing of image layers: the reference for what the studio's shaders draw, and the way
// figures are made without a window.
#include <cstdint>

#include "viz/colormap.h"
#include "viz/rgba_image.h"

namespace p2r::viz {

/// Display settings of a scalar layer: window [low, high] mapped through a colour map.
struct ScalarStyle {
  float low = 0.f, high = 1.f;
  Colormap colormap = Colormap::Gray;
};

/// Renders a width x height float image (row-major) through style into an opaque RGBA image.
RgbaImage render_scalar(const float* values, int width, int height, const ScalarStyle& style);

/// render_scalar, with every non-finite value (NaN: no value there) drawn as the RGBA colour `missing`
/// (e.g. alpha 0 to see through it): equivariance-error maps outside a transform's view.
RgbaImage render_scalar_masked(const float* values, int width, int height, const ScalarStyle& style,
                               const uint8_t missing[4]);

/// values through style (as render_scalar) at opacity a (clamped to [0, 1]) over a grey image
/// (grey: values in [0, 1], clamped, row-major; nullptr: black): each RGB channel becomes
/// round((1 - a) * 255 * grey + a * colour), alpha 255. How a similarity map lies over its slice.
RgbaImage render_scalar_over_grey(const float* values, const float* grey, int width, int height,
                                  const ScalarStyle& style, float opacity);

/// Alpha-blends label colours over image (same size as the labels): each pixel with label > 0
/// becomes (1 - opacity) * image + opacity * label_rgb(label); label 0 leaves the pixel unchanged.
/// opacity is clamped to [0, 1]. Throws p2r::Error when sizes differ.
void blend_labels(RgbaImage& image, const uint8_t* labels, int width, int height, float opacity);

/// Nearest-neighbour upscaling by an integer factor (>= 1), for readable figures of small slices.
RgbaImage upscale_nearest(const RgbaImage& image, int factor);

}  // namespace p2r::viz
