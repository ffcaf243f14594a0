#pragma once
// Predicted label maps written as NIfTI (pix2rep predict, the studio's "Apply to the dataset"):
// one file per volume, SUBJECT_frameFF_pred.nii.gz, on the volume's original grid and NIfTI header
// or on its prepared crop's grid.
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/slice_set.h"

namespace p2r {

/// "SUBJECT_frameFF_pred.nii.gz": the prediction file name of a volume.
std::string prediction_file_name(const std::string& subject, int frame);

#ifdef PIX2REP_HAS_ITK
/// Writes labels (volume volume_index of set, prepared space, in slice order) to path as NIfTI,
/// atomically: on the original grid (labels_to_original_space) when original_space, else on the
/// crop's grid placed where the crop lies in the source's world (prepared_grid).
void write_prediction_file(const std::string& path, const SliceSet& set, int volume_index,
                           const std::vector<uint8_t>& labels, bool original_space);
#endif

}  // namespace p2r
