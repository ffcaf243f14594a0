#pragma once
// How the image view's coordinates relate to the prepared slices: the prepared view shows a
// prepared slice pixel for pixel; the native view shows the source slice on its own grid (physical
// aspect) with the prepared crop placed where the prepared file records it. No GL, no ImGui.
#include "app/studio/view_transform.h"
#include "core/data/slice_set.h"

namespace p2r::studio {

/// The mapping between view coordinates (the reference grid of the view's layers) and prepared
/// pixels. View x is in source pixels, view y in source pixels times aspect.
struct ViewGrid {
  bool native = false;
  CropBox crop;       ///< the prepared crop, in source pixel edges (native only)
  int size = 0;       ///< prepared slices are size x size
  float aspect = 1;   ///< spacing y / spacing x: view units per source pixel along y

  /// The prepared view of size x size slices (view coordinates are prepared pixels).
  static ViewGrid prepared(int size);
  /// The native view of a volume: its crop, and the source grid's spacing.
  static ViewGrid native_of(const VolumeRecord& record, int size);

  /// The rectangle of view coordinates that the prepared slice covers.
  Vec2 prepared_origin() const;
  Vec2 prepared_extent() const;
  /// The prepared pixel (u, v) at view coordinate p; false when p lies outside the prepared slice.
  bool to_prepared(Vec2 p, int& u, int& v) const;
  /// View coordinate of the centre of prepared pixel (u, v).
  Vec2 from_prepared(int u, int v) const;
  /// The source pixel (x, y) at view coordinate p (the prepared pixel in the prepared view).
  void to_source(Vec2 p, int& x, int& y) const;
  /// The point of record's source grid (source pixel coordinates) at view coordinate p, in either
  /// view (the prepared view through record's crop): where a brush stroke lands.
  Vec2 source_point(Vec2 p, const VolumeRecord& record) const;
  /// The view rectangle [origin, origin + extent] that record's source grid (width x height source
  /// pixels) covers: a layer on the source grid (scribbles) sits there in either view.
  void source_placement(const VolumeRecord& record, Vec2& origin, Vec2& extent) const;
};

}  // namespace p2r::studio
