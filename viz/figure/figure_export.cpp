#include "viz/figure/figure_export.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "viz/figure/figure_text.h"
#include "viz/png_write.h"

namespace p2r::viz {
namespace {

std::string lower_extension(const std::string& path) {
  const size_t dot = path.find_last_of('.');
  const size_t slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return ext;
}

// Draws figure on a vector surface (takes ownership; finishes and destroys it) of the figure's size in points.
void draw_vector(const Figure& figure, cairo_surface_t* surface, const std::string& path) {
  const cairo_status_t created = cairo_surface_status(surface);
  if (created != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    P2R_FAIL(path << ": cannot create the file (" << cairo_status_to_string(created) << ")");
  }
  cairo_t* cr = cairo_create(surface);
  use_unhinted_text(cr);
  cairo_scale(cr, 1.0 / kMmPerPoint, 1.0 / kMmPerPoint);  // user unit: mm
  figure.draw(cr);
  const cairo_status_t draw_status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  P2R_CHECK(draw_status == CAIRO_STATUS_SUCCESS, path << ": drawing failed (" << cairo_status_to_string(draw_status) << ")");
  P2R_CHECK(status == CAIRO_STATUS_SUCCESS, path << ": writing failed (" << cairo_status_to_string(status) << ")");
}

}  // namespace

FigureFormat figure_format_from_path(const std::string& path) {
  const std::string ext = lower_extension(path);
  if (ext == "pdf") return FigureFormat::Pdf;
  if (ext == "svg") return FigureFormat::Svg;
  if (ext == "png") return FigureFormat::Png;
  P2R_FAIL(path << ": unknown figure format '" << ext << "' (use .pdf, .svg or .png)");
}

void png_pixel_size(const Figure& figure, double dpi, int& width, int& height) {
  P2R_CHECK(dpi >= 10 && dpi <= 2400, "DPI must be in [10, 2400], got " << dpi);
  P2R_CHECK(figure.width_mm > 0 && figure.height_mm > 0,
            "figure size must be positive, got " << figure.width_mm << " x " << figure.height_mm << " mm");
  width = std::max(1, int(std::lround(figure.width_mm / 25.4 * dpi)));
  height = std::max(1, int(std::lround(figure.height_mm / 25.4 * dpi)));
}

RgbaImage render_figure(const Figure& figure, double dpi) {
  int w = 0, h = 0;
  png_pixel_size(figure, dpi, w, h);
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  P2R_CHECK(cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, "cannot allocate a " << w << " x " << h << " raster");
  cairo_t* cr = cairo_create(surface);
  use_unhinted_text(cr);  // text as wide as measured by the layouts (TextMeasure), at any DPI
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, w / figure.width_mm, h / figure.height_mm);  // user unit: mm
  figure.draw(cr);
  const cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
  RgbaImage out(w, h);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint32_t v;
      std::memcpy(&v, data + size_t(y) * stride + size_t(x) * 4, 4);  // premultiplied ARGB, opaque here
      uint8_t* p = out.at(x, y);
      p[0] = uint8_t(v >> 16), p[1] = uint8_t(v >> 8), p[2] = uint8_t(v), p[3] = 255;
    }
  cairo_surface_destroy(surface);
  P2R_CHECK(status == CAIRO_STATUS_SUCCESS, "figure drawing failed (" << cairo_status_to_string(status) << ")");
  return out;
}

void write_figure(const Figure& figure, const std::string& path, double dpi) {
  const FigureFormat format = figure_format_from_path(path);
  if (format == FigureFormat::Png) {
    const RgbaImage image = render_figure(figure, dpi);  // before touching the file system
    write_png(path, image);                              // atomic
    return;
  }
  P2R_CHECK(figure.width_mm > 0 && figure.height_mm > 0, path << ": figure size must be positive");
  const double w_pt = figure.width_mm / kMmPerPoint, h_pt = figure.height_mm / kMmPerPoint;
  write_file_atomically(path, [&](const std::string& tmp) {
    if (format == FigureFormat::Pdf) {
      cairo_surface_t* s = cairo_pdf_surface_create(tmp.c_str(), w_pt, h_pt);
      if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "pix2rep " PIX2REP_VERSION);
        if (!figure.title.empty()) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, figure.title.c_str());
      }
      draw_vector(figure, s, path);
    } else {
      draw_vector(figure, cairo_svg_surface_create(tmp.c_str(), w_pt, h_pt), path);
    }
  });
}

}  // namespace p2r::viz
