#include "app/studio/model_state.h"

#include <chrono>
#include <sstream>

#include "app/studio/dataset_browser.h"
#include "app/studio/layered_image.h"
#include "core/common/error.h"
#include "core/eval/largest_components.h"
#include "core/train/segmenter.h"

namespace p2r::studio {

// What a finished task hands back to the main thread.
struct ModelState::Pending {
  std::shared_ptr<Segmenter> segmenter;  // open
  std::string dir, description;
  const SliceSet* data = nullptr;        // segment
  std::vector<VolumePrediction> predictions;
};

namespace {

std::string describe_model(const SegmentConfig& c) {
  std::ostringstream out;
  out << segment_mode_name(c.mode) << ", U-Net base " << c.model.base << " x " << c.model.levels
      << " levels, n_ft " << c.model.n_ft << ", " << c.subjects.size() << " training subject"
      << (c.subjects.size() == 1 ? "" : "s");
  return out.str();
}

}  // namespace

ModelState::ModelState() = default;
ModelState::~ModelState() = default;  // m_task's destructor cancels and joins first

void ModelState::open(const std::string& dir) {
  if (busy()) {
    error = "the model is busy; try again when it is done";
    return;
  }
  error.clear();
  auto pending = std::make_shared<Pending>();
  m_pending = pending;
  m_task = std::make_unique<Job>("open model", "opening " + dir, dir, [dir, pending](JobProgress& progress) {
    progress.begin("loading model", 0);
    P2R_CHECK(!dir.empty(), "no model folder given");
    auto segmenter = std::make_shared<Segmenter>(dir, "auto");
    pending->description = describe_model(segmenter->config());
    pending->segmenter = std::move(segmenter);
    pending->dir = dir;
    return pending->description;
  });
  m_task->start();
}

void ModelState::segment(std::shared_ptr<const SliceSet> data, std::vector<int> volumes) {
  if (busy()) {
    error = "the model is busy; try again when it is done";
    return;
  }
  if (!m_segmenter) {
    error = "no model open: open a segmentation run folder first";
    return;
  }
  bool valid = data && !volumes.empty();
  for (int v : volumes) valid = valid && v >= 0 && v < int(data->volumes.size());
  if (!valid) {
    error = "nothing to segment: open data and pick a subject";
    return;
  }
  error.clear();
  auto pending = std::make_shared<Pending>();
  m_pending = pending;
  std::shared_ptr<Segmenter> segmenter = m_segmenter;  // the task uses it alone while it runs
  const VolumeRecord& first = data->volumes[volumes[0]];
  const std::string what = volumes.size() == 1 ? first.subject + " " + phase_name(first.phase) : first.subject;
  m_task = std::make_unique<Job>(
      "segment", "segmenting " + what, m_dir, [segmenter, data, volumes, pending, what](JobProgress& progress) {
        progress.begin("segmenting " + what, int64_t(volumes.size()));
        std::vector<VolumePrediction> out;
        for (int volume : volumes) {
          if (progress.cancelled()) throw Cancelled();
          const auto start = std::chrono::steady_clock::now();
          const VolumeRecord& v = data->volumes[volume];
          VolumePrediction p;
          p.volume = volume;
          try {
            p.labels = segmenter->predict_volume(*data, volume);
          } catch (const Error& e) {
            P2R_FAIL("cannot segment " << v.subject << " with this model: " << e.message());
          }
          P2R_CHECK(p.labels.size() == size_t(v.slice_count) * size_t(data->pixels_per_slice()),
                    "the model returned " << p.labels.size() << " labels for " << v.slice_count << " slices");
          if (same_class_names(segmenter->config().classes, acdc_classes())) {  // the ACDC four
            p.cleaned = keep_largest_components(p.labels, v.slice_count, data->size, data->size, kNumClasses);
            if (v.has_label) {
              p.dice = dice_scores(p.labels.data(), data->label(v.first_slice), int64_t(p.labels.size()));
              p.cleaned_dice = dice_scores(p.cleaned.data(), data->label(v.first_slice), int64_t(p.cleaned.size()));
            }
          }
          p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          out.push_back(std::move(p));
          progress.update(int64_t(out.size()), "");
        }
        pending->data = data.get();
        pending->predictions = std::move(out);
        return "segmented " + what;
      });
  m_task->start();
}

const VolumePrediction* ModelState::prediction(int volume) const {
  auto it = m_predictions.find(volume);
  return it == m_predictions.end() ? nullptr : &it->second;
}

void ModelState::set_clean(bool clean) {
  if (clean == m_clean) return;
  m_clean = clean;
  ++m_revision;  // the layer shows the other labels
}

void ModelState::update(const DatasetBrowser& browser, LayeredImage& image) {
  if (m_task && m_task->finished() && m_pending) {
    if (m_task->state() == JobState::Failed) {
      error = m_task->error();
    } else if (m_pending->segmenter) {
      m_segmenter = std::move(m_pending->segmenter);
      m_dir = m_pending->dir;
      m_description = m_pending->description;
      m_predictions.clear();  // they came from the previous model
      ++m_revision;
    } else if (m_pending->data == browser.data()) {
      for (VolumePrediction& p : m_pending->predictions) m_predictions[p.volume] = std::move(p);
      ++m_revision;
    }
    m_pending.reset();
  }
  if (browser.data() != m_data) {
    m_data = browser.data();
    m_predictions.clear();
    ++m_revision;
  }
  if (browser.generation() == m_shown_generation && m_revision == m_shown_revision) return;
  m_shown_generation = browser.generation();
  m_shown_revision = m_revision;
  const int slice = browser.slice_index();
  const VolumePrediction* p = slice >= 0 ? prediction(browser.volume()) : nullptr;
  if (!p) {
    image.remove(kPredictionLayer);
    return;
  }
  const SliceSet& data = *browser.data();
  const int64_t offset = int64_t(slice - data.volumes[p->volume].first_slice) * data.pixels_per_slice();
  image.add_label_layer(kPredictionLayer, p->shown(m_clean).data() + offset, data.size, data.size);
}

}  // namespace p2r::studio
