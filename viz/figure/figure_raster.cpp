#include "viz/figure/figure_raster.h"

#include <cstring>

#include "core/common/error.h"

namespace p2r::viz {

void draw_raster(cairo_t* cr, const RgbaImage& image, double x, double y, double w, double h) {
  P2R_CHECK(!image.empty(), "figure panel: empty image");
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, image.width, image.height);
  P2R_CHECK(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, "figure panel: cannot allocate a raster");
  cairo_surface_flush(s);
  unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  for (int j = 0; j < image.height; ++j)
    for (int i = 0; i < image.width; ++i) {
      const uint8_t* p = image.at(i, j);
      const uint32_t a = p[3];
      const uint32_t r = (p[0] * a + 127) / 255, g = (p[1] * a + 127) / 255, b = (p[2] * a + 127) / 255;
      const uint32_t v = (a << 24) | (r << 16) | (g << 8) | b;  // premultiplied ARGB32
      std::memcpy(data + size_t(j) * stride + size_t(i) * 4, &v, 4);
    }
  cairo_surface_mark_dirty(s);
  cairo_save(cr);
  cairo_rectangle(cr, x, y, w, h);
  cairo_clip(cr);
  cairo_translate(cr, x, y);
  cairo_scale(cr, w / image.width, h / image.height);
  cairo_set_source_surface(cr, s, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
  cairo_paint(cr);
  cairo_restore(cr);
  cairo_surface_destroy(s);
}

void raster_to_figure(double px, double py, int image_w, int image_h, double x, double y, double w, double h,
                      double& fx, double& fy) {
  fx = x + (px + 0.5) * w / image_w;
  fy = y + (py + 0.5) * h / image_h;
}

}  // namespace p2r::viz
