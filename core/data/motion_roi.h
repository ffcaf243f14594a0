#pragma once
// Label-free heart region from cardiac motion: where a subject's frames (ED and ES, or every frame
// of a cine) differ most, near the image centre, is the beating heart.
#include <optional>
#include <string>
#include <vector>

#include "core/data/slice_set.h"
#include "core/io/volume.h"

namespace p2r {

/// A motion ROI, or why there is none (then the caller falls back to the centre crop).
struct MotionRoi {
  std::optional<CropBox> box;  ///< square in millimetres, in voxel index coordinates of the frames
  std::string fallback_reason; ///< set when box is empty, e.g. "single frame"
};

/// Square box around the moving heart of one subject: frames are normalised by their intensity
/// percentiles, the per-voxel range over frames is averaged over z, smoothed, weighted towards the
/// image centre, and the connected region around its peak (above a share of the peak) is boxed with
/// motion_margin_mm on each side; the side is at least motion_min_side_mm and at most fov_mm (the
/// centre crop's side).
/// No box when there are fewer than two frames, their grids differ, or nothing moves.
MotionRoi motion_roi_box(const std::vector<const Volume*>& frames, const PrepareConfig& config);

}  // namespace p2r
