#pragma once
// Reading a scanned dataset's volumes and preparing all of their slices (needs ITK).
#include "core/common/progress.h"
#include "core/data/slice_set.h"
#include "core/io/dataset_layout.h"

namespace p2r {

/// What preparation found besides the slices.
struct PrepareReport {
  int volumes = 0, labelled_volumes = 0, slices = 0;
  /// Labelled volumes whose every foreground voxel is inside the crop (the whole heart kept).
  int labelled_volumes_fully_inside = 0;
  /// Subjects (ids) of labelled volumes with foreground outside the crop.
  std::vector<std::string> cropped_subjects;
  /// Prepared pixels of labelled volumes, and those of them that are heart (label > 0).
  int64_t labelled_pixels = 0, heart_pixels = 0;
  /// Motion crop: subjects that fell back to the centre crop, with the reason.
  std::vector<std::string> motion_fallbacks;
};

/// Reads every frame of dataset (images, and labels where present), checks image/label shapes
/// agree, and prepares slices with config. Throws p2r::Error naming the file on any bad input.
/// Polls progress.cancelled() between volumes (throws Cancelled).
SliceSet prepare_dataset(const Dataset& dataset, const PrepareConfig& config, ProgressSink& progress,
                         PrepareReport* report = nullptr);

}  // namespace p2r
