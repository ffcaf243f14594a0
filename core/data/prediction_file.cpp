#include "core/data/prediction_file.h"

#include <cstdio>

#ifdef PIX2REP_HAS_ITK
#include "core/data/prepared_grid.h"
#include "core/data/preprocess.h"
#include "core/io/nifti.h"
#endif

namespace p2r {

std::string prediction_file_name(const std::string& subject, int frame) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "_frame%02d_pred.nii.gz", frame);
  return subject + buf;
}

#ifdef PIX2REP_HAS_ITK
void write_prediction_file(const std::string& path, const SliceSet& set, int volume_index,
                           const std::vector<uint8_t>& labels, bool original_space) {
  LabelVolume out;
  if (original_space) {
    out = labels_to_original_space(set, volume_index, labels);
  } else {
    out.geometry = prepared_grid(set, volume_index);
    // Prepared slices are row-major (y, x) per z, the same order as NIfTI's x-fastest layout.
    out.voxels = labels;
  }
  write_nifti(path, out);
}
#endif

}  // namespace p2r
