#pragma once
// Two-stage segmentation around the heart: a first model, trained on the label-free crop, finds the
// heart of each test volume; the volume is prepared again from its source file around that
// prediction, as tight as the paper's crop around the labels, and a second model trained on its
// labelled subjects' heart crops segments it (nnU-Net's cascade, without test labels).
#include <optional>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/data/slice_set.h"
#include "core/train/segmenter.h"

namespace p2r {

/// How a subject's frames are boxed from the hearts predicted on them. Frames of one subject on one
/// grid (the ED and ES volumes of a cine scan) hold the heart in about the same place, so one frame's
/// prediction can check another's.
enum class FrameBoxes {
  Each,     ///< every frame its own predicted box
  Checked,  ///< every frame its own box where that box's centre lies in the box of its subject's frame (on
            ///< its grid) with the most predicted heart voxels and its heart holds at least
            ///< kMinFrameHeartShare of that frame's; else, or with no heart of its own, that box
};

/// Under FrameBoxes::Checked, the least share of its subject's largest predicted heart a frame's own
/// heart must hold to keep its box: a whole ES heart holds more, a stray piece less (chosen on pool
/// subjects, docs/benchmarks.md).
constexpr double kMinFrameHeartShare = 0.5;

/// "each" or "checked" as FrameBoxes; throws p2r::Error naming the value and the allowed ones.
FrameBoxes frame_boxes_from_name(const std::string& name);

/// A heart predicted on one volume: its box and its voxel count, both in the original grid.
struct PredictedHeart {
  CropBox box;
  int64_t voxels = 0;
};

/// The heart a prediction of volume volume_index of set implies: its box is the bounding box over
/// all slices of the prediction's labels > 0, after keep_largest_components, mapped back to the
/// original grid, plus margin voxels and clipped to the image (label_roi_box of the prediction), in
/// the volume's voxel coordinates; nullopt when no heart is predicted. prediction is slice_count *
/// size * size values in 0..classes-1. Throws p2r::Error for a prediction of another size.
std::optional<PredictedHeart> predicted_heart(const SliceSet& set, int volume_index, const std::vector<uint8_t>& prediction,
                                              int classes, int margin);

/// The box of each volume of set under rule, from hearts[v] (the heart predicted on volume v, or none).
/// Volumes are frames of one subject when subject and grid (size, spacing, origin, direction) match;
/// a frame with no box stays nullopt (no predicted heart under Each; none in its subject under Checked).
std::vector<std::optional<CropBox>> frame_boxes(const SliceSet& set, const std::vector<std::optional<PredictedHeart>>& hearts,
                                                FrameBoxes rule);

/// The labelled volumes of set whose subject is in subjects, prepared again from their source files
/// around their own labels (label_roi_box with set.config.margin_voxels): the second stage's training
/// slices, at set.size. Throws p2r::Error naming a source file that is missing or unreadable, and
/// without ITK.
SliceSet crop_around_labels(const SliceSet& set, const std::vector<std::string>& subjects);

/// Every volume of set prepared again from its source files around the heart model predicts on it
/// (predicted_heart, set.config.margin_voxels, its subject's frames combined by rule); where there is
/// no box, the volume keeps its crop and its crop_source says so. Labels come from the source label
/// files, where the volume has one. Throws as crop_around_labels; p2r::Cancelled between volumes.
SliceSet crop_around_predictions(const Segmenter& model, const SliceSet& set, FrameBoxes rule, ProgressSink& progress);

}  // namespace p2r
