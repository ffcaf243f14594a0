#pragma once
// Text on a figure, kept as text in PDF/SVG (Cairo's toy API, "sans-serif"; Cairo embeds font
// subsets). Sizes are typographic points; positions are millimetres.
#include <cairo.h>

#include <string>

namespace p2r::viz {

/// Horizontal anchor of a text at its position.
enum class HAlign { Left, Center, Right };
/// Vertical anchor: the baseline, the middle of the capital height, or the top of the capitals.
enum class VAlign { Baseline, Middle, Top };

/// Style of a text run.
struct TextStyle {
  double size_pt = 7.0;
  bool bold = false;
  HAlign halign = HAlign::Left;
  VAlign valign = VAlign::Baseline;
  double angle_deg = 0.0;  ///< counter-clockwise rotation about the anchor (90: reads bottom-up)
  double r = 0, g = 0, b = 0;
};

/// Draws text (UTF-8) anchored at (x, y) mm. Empty text draws nothing.
void draw_text(cairo_t* cr, double x, double y, const std::string& text, const TextStyle& style = {});

/// Draws text like draw_text, but no wider than max_width_mm: the size shrinks down to
/// min_size_pt, then the end is elided with "...". For titles over panels of a fixed width.
void draw_text_fitted(cairo_t* cr, double x, double y, const std::string& text, double max_width_mm,
                      TextStyle style = {}, double min_size_pt = 5.0);

/// Advance width of text in mm at style's size and weight.
double text_width_mm(cairo_t* cr, const std::string& text, const TextStyle& style = {});

}  // namespace p2r::viz
