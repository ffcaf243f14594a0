#include "core/eval/segmentation_eval.h"

#include "core/common/error.h"
#include "core/data/preprocess.h"
#include "core/eval/largest_components.h"
#ifdef PIX2REP_HAS_ITK
#include "core/io/nifti.h"
#endif

namespace p2r {

std::vector<VolumeEvaluation> evaluate_segmenter(const Segmenter& model, const SliceSet& test, bool original_space,
                                                 ProgressSink& progress) {
  const ClassList& classes = model.config().classes;
  P2R_CHECK(same_class_names(classes, acdc_classes()),
            model.dir() << ": the model's classes (" << class_names_text(classes) << ") are not the dataset's ("
                        << class_names_text(acdc_classes()) << "); Dice scores only models of the dataset's classes");
  int labelled = 0;
  for (const auto& v : test.volumes) labelled += v.has_label;
  P2R_CHECK(labelled > 0, test.source_root << ": the test set has no labels, so Dice cannot be computed "
                                           << "(segmentations can still be written with 'pix2rep predict')");
  std::vector<VolumeEvaluation> out;
  progress.begin("evaluate", labelled);
  for (int vi = 0; vi < int(test.volumes.size()); ++vi) {
    const VolumeRecord& v = test.volumes[vi];
    if (!v.has_label) continue;
    if (progress.cancelled()) {
      progress.end();
      throw Cancelled();
    }
    std::vector<uint8_t> pred = model.predict_volume(test, vi);
    const int64_t plane = test.pixels_per_slice();
    VolumeEvaluation e;
    e.subject = v.subject;
    e.group = v.group;
    e.phase = v.phase;
    e.frame = v.frame;
    e.prepared = dice_scores(pred.data(), test.label(v.first_slice), plane * v.slice_count);
    const std::vector<uint8_t> cleaned =
        keep_largest_components(pred, v.slice_count, test.size, test.size, int(classes.size()));
    e.largest_components = dice_scores(cleaned.data(), test.label(v.first_slice), plane * v.slice_count);
#ifdef PIX2REP_HAS_ITK
    if (original_space && !v.label_path.empty()) {
      LabelVolume truth = read_nifti_labels(v.label_path);
      LabelVolume mapped = labels_to_original_space(test, vi, pred);
      P2R_CHECK(truth.geometry.size == mapped.geometry.size, v.label_path << ": label file has shape "
                                                                          << truth.geometry.describe()
                                                                          << " but the prepared record says "
                                                                          << mapped.geometry.describe());
      e.original = dice_scores(mapped.voxels, truth.voxels);
      e.has_original = true;
    }
#endif
    out.push_back(e);
    progress.update(int64_t(out.size()), v.subject);
  }
  progress.end();
  return out;
}

}  // namespace p2r
