#include "app/studio/view_grid.h"

#include <cmath>

namespace p2r::studio {

ViewGrid ViewGrid::prepared(int size) {
  ViewGrid g;
  g.size = size;
  g.crop = {0, 0, double(size), double(size)};
  return g;
}

ViewGrid ViewGrid::native_of(const VolumeRecord& record, int size) {
  ViewGrid g;
  g.native = true;
  g.size = size;
  g.crop = record.crop;
  const double sx = record.geometry.spacing[0], sy = record.geometry.spacing[1];
  g.aspect = sx > 0 && sy > 0 ? float(sy / sx) : 1.f;
  return g;
}

Vec2 ViewGrid::prepared_origin() const { return {float(crop.x0), float(crop.y0) * aspect}; }

Vec2 ViewGrid::prepared_extent() const { return {float(crop.width), float(crop.height) * aspect}; }

bool ViewGrid::to_prepared(Vec2 p, int& u, int& v) const {
  const Vec2 o = prepared_origin(), e = prepared_extent();
  if (e.x <= 0 || e.y <= 0) return false;
  u = int(std::floor((p.x - o.x) * float(size) / e.x));
  v = int(std::floor((p.y - o.y) * float(size) / e.y));
  return u >= 0 && v >= 0 && u < size && v < size;
}

Vec2 ViewGrid::from_prepared(int u, int v) const {
  const Vec2 o = prepared_origin(), e = prepared_extent();
  return {o.x + (float(u) + 0.5f) * e.x / float(size), o.y + (float(v) + 0.5f) * e.y / float(size)};
}

void ViewGrid::to_source(Vec2 p, int& x, int& y) const {
  x = int(std::floor(p.x));
  y = int(std::floor(p.y / aspect));
}

Vec2 ViewGrid::source_point(Vec2 p, const VolumeRecord& record) const {
  if (native) return {p.x, p.y / aspect};
  const CropBox& c = record.crop;
  return {float(c.x0 + double(p.x) * c.width / size), float(c.y0 + double(p.y) * c.height / size)};
}

void ViewGrid::source_placement(const VolumeRecord& record, Vec2& origin, Vec2& extent) const {
  const float w = float(record.geometry.size[0]), h = float(record.geometry.size[1]);
  if (native) {
    origin = {};
    extent = {w, h * aspect};
    return;
  }
  const CropBox& c = record.crop;
  const float sx = float(size / c.width), sy = float(size / c.height);  // prepared pixels per source pixel
  origin = {float(-c.x0) * sx, float(-c.y0) * sy};
  extent = {w * sx, h * sy};
}

}  // namespace p2r::studio
