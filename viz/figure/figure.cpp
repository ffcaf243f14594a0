#include "viz/figure/figure.h"

#include <cstring>

#include "core/common/error.h"

namespace p2r::viz {

double column_width_mm(ColumnWidth width) {
  return width == ColumnWidth::Double ? kDoubleColumnMm : kSingleColumnMm;
}

ColumnWidth parse_column_width(const char* text) {
  if (std::strcmp(text, "single") == 0) return ColumnWidth::Single;
  if (std::strcmp(text, "double") == 0) return ColumnWidth::Double;
  P2R_FAIL("column width must be 'single' (89 mm) or 'double' (183 mm), got '" << text << "'");
}

void Figure::draw(cairo_t* cr) const {
  for (const DrawStep& step : steps) {
    cairo_save(cr);
    step(cr);
    cairo_restore(cr);
  }
}

}  // namespace p2r::viz
