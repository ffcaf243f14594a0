#pragma once
// A rectangle on a figure page in millimetres (y downwards): where a layout puts a panel, a legend
// or a colour bar, shared by the drawing steps and by the tests that check the geometry.
#include <cairo.h>

namespace p2r::viz {

/// Axis-aligned rectangle with its top-left corner at (x, y) mm, w x h mm.
struct FigureRect {
  double x = 0, y = 0, w = 0, h = 0;

  /// x + w.
  double right() const { return x + w; }
  /// y + h.
  double bottom() const { return y + h; }
  /// True when (px, py) lies inside or on the border.
  bool contains(double px, double py) const;
  /// True when the two rectangles share an area (touching borders do not count).
  bool overlaps(const FigureRect& other) const;
  /// True when some point of the segment (x0, y0)-(x1, y1) lies inside or on the border.
  bool meets_segment(double x0, double y0, double x1, double y1) const;
  /// This rectangle grown by d mm on every side (d < 0 shrinks it).
  FigureRect grown(double d) const;
};

/// Restricts later drawing on cr to rect (cairo_clip; undone by the enclosing cairo_restore).
void clip_to(cairo_t* cr, const FigureRect& rect);

}  // namespace p2r::viz
