#pragma once
// Where prepared slices lie in the scanner's world: the grid of a volume's crop after resizing.
#include "core/data/slice_set.h"
#include "core/io/volume.h"

namespace p2r {

/// The grid of volume volume_index's prepared slices (set.size x set.size x slice_count, x fastest)
/// in its original volume's world: spacing from the crop box and the resize, origin at the centre
/// of the crop's first pixel, directions and NIfTI header affines of the original composed with
/// the crop and resize. Throws p2r::Error for an index out of range or slices that are not
/// consecutive z planes of the original.
Geometry prepared_grid(const SliceSet& set, int volume_index);

}  // namespace p2r
