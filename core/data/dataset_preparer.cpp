#include "core/data/dataset_preparer.h"

#include "core/common/error.h"
#include "core/data/motion_roi.h"
#include "core/data/preprocess.h"
#include "core/io/nifti.h"

namespace p2r {

namespace {

// Number of a prepared volume's label pixels that are heart (label > 0).
int64_t heart_pixels(const PreparedVolume& pv) {
  int64_t n = 0;
  for (uint8_t l : pv.labels) n += l > 0;
  return n;
}

// The subject's frames with their images, in order: a 4D cine file gives one unlabelled frame per
// time point (frame numbers 1..T), a 3D file its own record. Throws p2r::Error naming the file.
std::vector<FrameRecord> read_subject_frames(const SubjectRecord& subject, std::vector<Volume>& images) {
  std::vector<FrameRecord> records;
  for (const FrameRecord& frame : subject.frames) {
    std::vector<Volume> series = read_nifti_frames(frame.image_path);
    P2R_CHECK(series.size() == 1 || !frame.has_label(),
              frame.image_path << ": 4D cine file (" << series.size() << " time points) with the label file "
                               << frame.label_path << "; labels go with 3D frames");
    for (size_t t = 0; t < series.size(); ++t) {
      FrameRecord record = frame;
      if (series.size() > 1) record.frame = int(t) + 1;
      records.push_back(record);
      images.push_back(std::move(series[t]));
    }
  }
  return records;
}

}  // namespace

SliceSet prepare_dataset(const Dataset& dataset, const PrepareConfig& config, ProgressSink& progress,
                         PrepareReport* report) {
  config.validate();
  SliceSet set;
  set.config = config;
  set.size = config.size;
  set.source_root = dataset.root;
  PrepareReport local;
  PrepareReport& rep = report ? *report : local;
  rep = PrepareReport();
  progress.begin("prepare", int(dataset.subjects.size()));
  int done = 0;
  for (const SubjectRecord& subject : dataset.subjects) {
    // A subject's frames are read together: the motion crop needs all of them.
    std::vector<Volume> images;
    const std::vector<FrameRecord> records = read_subject_frames(subject, images);
    std::vector<const Volume*> frames;
    for (const Volume& v : images) frames.push_back(&v);
    MotionRoi motion;
    if (config.crop == CropMode::Motion) {
      motion = motion_roi_box(frames, config);
      if (!motion.box) rep.motion_fallbacks.push_back(subject.id + " (" + motion.fallback_reason + ")");
    }
    for (size_t f = 0; f < records.size(); ++f) {
      const FrameRecord& frame = records[f];
      if (progress.cancelled()) {
        progress.end();
        throw Cancelled();
      }
      const Volume& image = images[f];
      LabelVolume labels;
      if (frame.has_label()) {
        labels = read_nifti_labels(frame.label_path);
        P2R_CHECK(labels.geometry.size == image.geometry.size,
                  frame.label_path << ": label file has shape " << labels.geometry.describe() << " but image "
                                   << frame.image_path << " has " << image.geometry.describe());
      }
      if (config.crop == CropMode::PaperRoi)
        P2R_CHECK(frame.has_label(), frame.image_path << ": paper-roi crop needs labels, but this frame has none "
                                                         "(use --crop center or motion for unlabelled data)");
      VolumeRecord base;
      base.subject = subject.id;
      base.group = subject.group;
      base.split = subject.split;
      base.frame = frame.frame;
      base.phase = frame.phase;
      base.image_path = frame.image_path;
      base.label_path = frame.label_path;
      PreparedVolume pv;
      try {
        pv = prepare_volume(image, frame.has_label() ? &labels : nullptr, config, base, &motion);
      } catch (const Error& e) {
        P2R_FAIL(frame.image_path << ": " << e.message());
      }
      rep.volumes++;
      if (frame.has_label()) {
        rep.labelled_volumes++;
        rep.heart_pixels += heart_pixels(pv);
        rep.labelled_pixels += int64_t(pv.labels.size());
        if (crop_contains_labels(labels, pv.record.crop)) rep.labelled_volumes_fully_inside++;
        else rep.cropped_subjects.push_back(subject.id + "/" + phase_name(frame.phase));
      }
      append_prepared_volume(set, std::move(pv));
    }
    progress.update(++done, subject.id);
  }
  progress.end();
  rep.slices = set.slice_count();
  return set;
}

}  // namespace p2r
