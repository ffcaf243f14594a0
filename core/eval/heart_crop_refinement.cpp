#include "core/eval/heart_crop_refinement.h"

#include <algorithm>

#include "core/common/error.h"
#include "core/data/preprocess.h"
#include "core/eval/largest_components.h"
#ifdef PIX2REP_HAS_ITK
#include "core/io/nifti.h"
#endif

namespace p2r {

namespace {

// An empty set with set's preparation settings, source and slice size.
SliceSet empty_like(const SliceSet& set) {
  SliceSet out;
  out.config = set.config;
  out.source_root = set.source_root;
  out.size = set.size;
  return out;
}

// A prepared volume's source files read again: its frame of the image file and, where it has one,
// its label file (shapes checked). Throws p2r::Error naming the file; without ITK, always.
struct SourceVolume {
  Volume image;
  std::optional<LabelVolume> labels;
};
SourceVolume read_source(const VolumeRecord& record) {
#ifdef PIX2REP_HAS_ITK
  std::vector<Volume> frames = read_nifti_frames(record.image_path);
  const size_t t = frames.size() > 1 ? size_t(std::max(record.frame, 1) - 1) : 0;
  P2R_CHECK(t < frames.size(), record.image_path << ": " << frames.size() << " time points, but the prepared record of "
                                                 << record.subject << " names frame " << record.frame);
  SourceVolume source{std::move(frames[t]), std::nullopt};
  if (record.has_label) {
    source.labels = read_nifti_labels(record.label_path);
    P2R_CHECK(source.labels->geometry.size == source.image.geometry.size,
              record.label_path << ": label file has shape " << source.labels->geometry.describe() << " but its image "
                                << record.image_path << " has " << source.image.geometry.describe());
  }
  return source;
#else
  P2R_FAIL(record.image_path << ": cropping around the heart reads the source files again, which needs ITK "
                                "(this build has none)");
#endif
}

// Appends source, prepared with set's settings in box, as a volume of out with record's provenance.
void append_in_box(SliceSet& out, const SliceSet& set, const VolumeRecord& record, const SourceVolume& source,
                   const CropBox& box, const std::string& crop_source) {
  append_prepared_volume(out, prepare_volume_in_box(source.image, source.labels ? &*source.labels : nullptr,
                                                    set.config, record, box, crop_source));
}

}  // namespace

FrameBoxes frame_boxes_from_name(const std::string& name) {
  if (name == "each") return FrameBoxes::Each;
  if (name == "checked") return FrameBoxes::Checked;
  P2R_FAIL("frame boxes '" << name << "' unknown; allowed: each, checked");
}

std::optional<PredictedHeart> predicted_heart(const SliceSet& set, int volume_index, const std::vector<uint8_t>& prediction,
                                              int classes, int margin) {
  P2R_CHECK(volume_index >= 0 && volume_index < int(set.volumes.size()), "volume index " << volume_index
                                                                              << " out of range");
  const VolumeRecord& record = set.volumes[size_t(volume_index)];
  P2R_CHECK(int64_t(prediction.size()) == int64_t(record.slice_count) * set.pixels_per_slice(),
            record.subject << ": a prediction of " << prediction.size() << " labels for " << record.slice_count
                           << " slices of " << set.size << " x " << set.size);
  const std::vector<uint8_t> heart = keep_largest_components(prediction, record.slice_count, set.size, set.size, classes);
  if (std::none_of(heart.begin(), heart.end(), [](uint8_t l) { return l > 0; })) return std::nullopt;
  const LabelVolume original = labels_to_original_space(set, volume_index, heart);
  const int64_t voxels = std::count_if(original.voxels.begin(), original.voxels.end(), [](uint8_t l) { return l > 0; });
  return PredictedHeart{label_roi_box(original, margin), voxels};
}

std::vector<std::optional<CropBox>> frame_boxes(const SliceSet& set, const std::vector<std::optional<PredictedHeart>>& hearts,
                                                FrameBoxes rule) {
  P2R_CHECK(hearts.size() == set.volumes.size(), hearts.size() << " predicted hearts for " << set.volumes.size()
                                                               << " volumes");
  auto same_scan = [&](size_t a, size_t b) {
    const Geometry &ga = set.volumes[a].geometry, &gb = set.volumes[b].geometry;
    return set.volumes[a].subject == set.volumes[b].subject && ga.size == gb.size && ga.spacing == gb.spacing &&
           ga.origin == gb.origin && ga.direction == gb.direction;
  };
  std::vector<std::optional<CropBox>> boxes(hearts.size());
  for (size_t v = 0; v < hearts.size(); ++v) {
    if (rule == FrameBoxes::Each) {
      if (hearts[v]) boxes[v] = hearts[v]->box;
      continue;
    }
    const PredictedHeart* largest = nullptr;
    for (size_t u = 0; u < hearts.size(); ++u)
      if (hearts[u] && same_scan(u, v) && (!largest || hearts[u]->voxels > largest->voxels)) largest = &*hearts[u];
    if (!largest) continue;  // no frame of this scan has a predicted heart
    const CropBox& ref = largest->box;
    boxes[v] = ref;
    if (!hearts[v]) continue;
    const CropBox& own = hearts[v]->box;
    const double cx = own.x0 + own.width / 2, cy = own.y0 + own.height / 2;
    const bool centred = cx >= ref.x0 && cx <= ref.x0 + ref.width && cy >= ref.y0 && cy <= ref.y0 + ref.height;
    if (centred && double(hearts[v]->voxels) >= kMinFrameHeartShare * double(largest->voxels)) boxes[v] = own;
  }
  return boxes;
}

SliceSet crop_around_labels(const SliceSet& set, const std::vector<std::string>& subjects) {
  SliceSet out = empty_like(set);
  for (int v = 0; v < int(set.volumes.size()); ++v) {
    const VolumeRecord& record = set.volumes[size_t(v)];
    if (!record.has_label || std::find(subjects.begin(), subjects.end(), record.subject) == subjects.end()) continue;
    const SourceVolume source = read_source(record);
    append_in_box(out, set, record, source, label_roi_box(*source.labels, set.config.margin_voxels),
                  "paper-roi (the labelled subject's own labels)");
  }
  P2R_CHECK(!out.volumes.empty(), set.source_root << ": none of the subjects to crop around their labels has a "
                                                     "labelled volume");
  return out;
}

SliceSet crop_around_predictions(const Segmenter& model, const SliceSet& set, FrameBoxes rule, ProgressSink& progress) {
  const int volumes = int(set.volumes.size()), classes = int(model.config().classes.size());
  progress.begin("crop around the predicted heart", 2 * int64_t(volumes));
  auto check_cancelled = [&] {
    if (!progress.cancelled()) return;
    progress.end();
    throw Cancelled();
  };
  std::vector<std::optional<PredictedHeart>> hearts;
  for (int v = 0; v < volumes; ++v) {
    check_cancelled();
    hearts.push_back(predicted_heart(set, v, model.predict_volume(set, v), classes, set.config.margin_voxels));
    progress.update(v + 1, set.volumes[size_t(v)].subject);
  }
  const std::vector<std::optional<CropBox>> boxes = frame_boxes(set, hearts, rule);
  const std::string frames_note = rule == FrameBoxes::Checked ? " (checked against its subject's largest heart)" : "";
  SliceSet out = empty_like(set);
  for (int v = 0; v < volumes; ++v) {
    check_cancelled();
    const VolumeRecord& record = set.volumes[size_t(v)];
    const std::optional<CropBox>& box = boxes[size_t(v)];
    append_in_box(out, set, record, read_source(record), box ? *box : record.crop,
                  box ? "around the heart " + model.dir() + " predicts" + frames_note
                      : record.crop_source + " (" + model.dir() + " predicts no heart)");
    progress.update(volumes + v + 1, record.subject);
  }
  progress.end();
  return out;
}

}  // namespace p2r
