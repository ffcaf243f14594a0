#pragma once
// A figure for papers: a physical page size (journal column widths) and an ordered list of drawing
// steps on a Cairo context whose user unit is the millimetre. The same figure renders to PDF and
// SVG (vectors, text as text, fonts embedded by Cairo) and to PNG at any DPI (figure_export.h).
#include <cairo.h>

#include <functional>
#include <string>
#include <vector>

namespace p2r::viz {

/// Width of a single journal column in millimetres (Elsevier / Springer / IEEE: 85-90 mm).
constexpr double kSingleColumnMm = 89.0;
/// Width of a double (full-page) journal column in millimetres.
constexpr double kDoubleColumnMm = 183.0;
/// Millimetres per typographic point (1 pt = 1/72 inch).
constexpr double kMmPerPoint = 25.4 / 72.0;

/// Column width of a figure: "single" (89 mm) or "double" (183 mm).
enum class ColumnWidth { Single, Double };
/// kSingleColumnMm or kDoubleColumnMm.
double column_width_mm(ColumnWidth width);
/// Parses "single" / "double"; throws p2r::Error otherwise.
ColumnWidth parse_column_width(const char* text);

/// One drawing step: draws on cr, whose user unit is 1 mm with (0, 0) at the top-left corner.
using DrawStep = std::function<void(cairo_t* cr)>;

/// A page of width_mm x height_mm and the steps that draw it, in order (later steps on top).
/// Plain value; drawing steps must be deterministic so that every rendering is identical.
struct Figure {
  double width_mm = kSingleColumnMm, height_mm = 60.0;
  std::string title;  ///< PDF document title (metadata); not drawn
  std::vector<DrawStep> steps;

  /// Appends a drawing step.
  void add(DrawStep step) { steps.push_back(std::move(step)); }
  /// Runs every step on cr (already scaled to millimetres) inside cairo_save/restore pairs.
  void draw(cairo_t* cr) const;
};

}  // namespace p2r::viz
