#include "core/data/prepared_grid.h"

#include "core/common/error.h"

namespace p2r {

Geometry prepared_grid(const SliceSet& set, int volume_index) {
  P2R_CHECK(volume_index >= 0 && volume_index < int(set.volumes.size()),
            "volume index " << volume_index << " out of range");
  const VolumeRecord& v = set.volumes[volume_index];
  const int z0 = v.slice_count > 0 ? set.slices[v.first_slice].z : 0;
  for (int s = 0; s < v.slice_count; ++s)
    P2R_CHECK(set.slices[v.first_slice + s].z == z0 + s,
              v.subject << ": prepared slices are not consecutive planes of " << v.image_path);
  // Output pixel u's centre sits at voxel-edge coordinate x0 + (u + 0.5) * width / size, i.e. at
  // index coordinate x0 - 0.5 + (u + 0.5) * width / size (preprocess.cpp).
  const double sx = v.crop.width / set.size, sy = v.crop.height / set.size;
  return v.geometry.regridded({set.size, set.size, v.slice_count}, {sx, sy, 1.0},
                              {v.crop.x0 - 0.5 + 0.5 * sx, v.crop.y0 - 0.5 + 0.5 * sy, double(z0)});
}

}  // namespace p2r
