#pragma once
// Text on a figure, kept as text in PDF/SVG (Cairo's toy API, "sans-serif"; Cairo embeds font
// subsets). Sizes are typographic points; positions are millimetres. Every figure surface uses
// unhinted font metrics, so a width measured while laying a figure out is the width drawn.
#include <cairo.h>

#include <string>
#include <vector>

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

/// A style centred on its anchor at size_pt, with valign and rotation (panel titles, captions).
TextStyle centred_text(double size_pt, VAlign valign = VAlign::Baseline, double angle_deg = 0.0);

/// Sets cr's font options to those of Cairo's PDF and SVG surfaces (no hinting, unhinted advances).
void use_unhinted_text(cairo_t* cr);

/// A context for measuring text while laying a figure out (user unit mm, unhinted); owns a 1 x 1
/// surface. Not copyable; use one per thread.
class TextMeasure {
 public:
  TextMeasure();
  ~TextMeasure();
  TextMeasure(const TextMeasure&) = delete;
  TextMeasure& operator=(const TextMeasure&) = delete;
  /// The context to pass to text_width_mm and fit_text.
  cairo_t* context() const { return m_cr; }

 private:
  cairo_surface_t* m_surface = nullptr;
  cairo_t* m_cr = nullptr;
};

/// Draws text (UTF-8) anchored at (x, y) mm. Empty text draws nothing.
void draw_text(cairo_t* cr, double x, double y, const std::string& text, const TextStyle& style = {});

/// Advance width of text in mm at style's size and weight.
double text_width_mm(cairo_t* cr, const std::string& text, const TextStyle& style = {});

/// Distance in mm between the baselines of consecutive lines at size_pt.
double line_pitch_mm(double size_pt);

/// Height in mm of lines of text at size_pt, from the top of the first line's capitals to the last
/// baseline (lines >= 1).
double text_block_height_mm(size_t lines, double size_pt);

/// A text fitted into a width: its lines, first to last, and the size they are drawn at.
struct FittedText {
  std::vector<std::string> lines;
  double size_pt = 7.0;
};

/// Fits text into max_width_mm, preferring in turn: one line at style's size; one line shrunk to
/// no less than 85 % of it (and min_size_pt); broken at spaces into at most max_lines lines, shrunk
/// down to min_size_pt; at min_size_pt with lines ending in "...". Every line is then at most
/// max_width_mm wide unless a single character is wider. Empty text gives no line.
FittedText fit_text(cairo_t* cr, const std::string& text, double max_width_mm, const TextStyle& style,
                    int max_lines = 1, double min_size_pt = 5.0);

/// Draws fitted lines at text.size_pt with style's anchor: VAlign::Top puts the first line at
/// (x, y) and the others below it; the other anchors put the last line there and the others above.
void draw_fitted_text(cairo_t* cr, double x, double y, const FittedText& text, TextStyle style);

/// Draws text fitted into one line of max_width_mm (fit_text with max_lines 1).
void draw_text_fitted(cairo_t* cr, double x, double y, const std::string& text, double max_width_mm,
                      TextStyle style = {}, double min_size_pt = 5.0);

}  // namespace p2r::viz
