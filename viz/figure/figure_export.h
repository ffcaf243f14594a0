#pragma once
// Rendering a Figure to files: PDF and SVG (vector; raster panels embedded at their native
// resolution with nearest filtering; text as glyphs with embedded font subsets) and PNG at a DPI.
#include <string>

#include "viz/figure/figure.h"
#include "viz/rgba_image.h"

namespace p2r::viz {

enum class FigureFormat { Pdf, Svg, Png };

/// Format from the extension of path (.pdf, .svg, .png; case-insensitive). Throws p2r::Error
/// naming the path for any other extension.
FigureFormat figure_format_from_path(const std::string& path);

/// Pixel size of a PNG of figure at dpi: round(mm / 25.4 * dpi) per axis (at least 1). Throws
/// p2r::Error for dpi outside [10, 2400].
void png_pixel_size(const Figure& figure, double dpi, int& width, int& height);

/// Renders figure on an opaque white raster of png_pixel_size (antialiased, deterministic: same
/// figure and dpi give the same bytes). Throws p2r::Error for a bad dpi or a Cairo failure.
RgbaImage render_figure(const Figure& figure, double dpi);

/// Writes figure to path in the format of its extension (dpi is used by PNG only). The file is
/// written to a temporary sibling and renamed, so a failure leaves nothing behind and an older
/// file at path untouched. Throws p2r::Error naming path (unwritable folder, Cairo error).
void write_figure(const Figure& figure, const std::string& path, double dpi = 300.0);

}  // namespace p2r::viz
