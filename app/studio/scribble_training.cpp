#include "app/studio/scribble_training.h"

#include <filesystem>
#include <mutex>
#include <sstream>
#include <utility>

#include "app/studio/dataset_browser.h"
#include "app/studio/layered_image.h"
#include "app/studio/scribble_canvas.h"
#include "app/studio/studio_jobs.h"
#include "app/studio/timing_text.h"
#include "core/common/error.h"
#include "core/data/prediction_file.h"
#include "core/data/scribble_set.h"
#include "core/train/segmenter.h"

namespace fs = std::filesystem;

namespace p2r::studio {

// The worker's side: the frozen features of the backbone on the data and the newest classifier.
// Only the running task touches it (tasks run one at a time).
struct ScribbleTraining::Engine {
  std::shared_ptr<const SliceSet> data;
  std::string backbone;
  std::unique_ptr<FrozenSliceFeatures> features;
  std::unique_ptr<ScribbleClassifier> classifier;
  ScribbleTrainConfig config;  ///< the classifier's
  ScribbleTrainReport report;
  std::vector<std::string> subjects;
  int classifier_id = 0;

  // The features of run on set (loaded when either changed; the classifier goes with them).
  void use(const std::string& run, std::shared_ptr<const SliceSet> set) {
    if (features && backbone == run && data == set) return;
    classifier.reset();
    features.reset();
    data = std::move(set);
    backbone = run;
    features = std::make_unique<FrozenSliceFeatures>(run, *data, "auto", "auto", kStudioJobThreads);
  }
  FrozenSliceFeatures& ready_classifier() {
    P2R_CHECK(classifier && features, "no classifier yet: paint strokes with a backbone open");
    return *features;
  }
};

// What tasks hand to the main thread.
struct ScribbleTraining::Shared {
  std::mutex mutex;
  int classifier_id = 0;  ///< newest classifier published
  bool has_classifier = false;
  int revision = -1;     ///< scribble revision it was trained on (-1: opened from a folder)
  int head_hidden = -1;  ///< an opened classifier's head (-1: as configured)
  std::string status;
  std::vector<std::pair<int, ClassMaps>> maps;  ///< slice maps of classifier_id not taken yet
  /// Trainings' task times (ms from the task's start) to the shown slice's and the volume's maps.
  std::vector<double> task_slice_ms, task_volume_ms;

  void publish_classifier(const Engine& e, int trained_revision, std::string text, int hidden = -1) {
    std::lock_guard<std::mutex> lock(mutex);
    classifier_id = e.classifier_id;
    has_classifier = e.classifier != nullptr;
    revision = trained_revision;
    head_hidden = hidden;
    status = std::move(text);
    maps.clear();
  }
};

namespace {

std::string train_summary(const ScribbleTrainReport& r, const ScribbleTrainConfig& config, bool warm) {
  std::ostringstream out;
  out.precision(3);
  out << "trained on " << r.pixels << " px (";
  for (size_t c = 0; c < r.class_pixels.size(); ++c) out << (c ? " " : "") << r.class_pixels[c];
  out << "), " << scribble_head_name(config.head) << (warm ? " warm" : "") << ", loss " << r.initial_loss << " -> "
      << r.final_loss << ", " << timing_text(r.milliseconds, 0, "ms");
  return out.str();
}

}  // namespace

ScribbleTraining::ScribbleTraining() : m_engine(std::make_shared<Engine>()), m_shared(std::make_shared<Shared>()) {
  config.steps = 50;  // per stroke, from the previous weights
}

ScribbleTraining::~ScribbleTraining() = default;  // m_task's destructor cancels and joins

void ScribbleTraining::save_classifier(const std::string& dir, const std::string& data_path) {
  m_requests.push_back({Action::Save, dir, data_path});
}

void ScribbleTraining::open_classifier(const std::string& dir) {
  m_requests.push_back({Action::Open, dir, ""});
}

void ScribbleTraining::apply_to_dataset(const std::string& dir, const std::string& data_path) {
  m_requests.push_back({Action::Apply, dir, data_path});
}

void ScribbleTraining::take_results() {
  {
    std::lock_guard<std::mutex> lock(m_shared->mutex);
    Shared& s = *m_shared;
    if (s.classifier_id != m_classifier_id) {
      m_classifier_id = s.classifier_id;
      m_has_classifier = s.has_classifier;
      m_classifier_revision = s.revision;
      m_maps.clear();
      m_slice_timed = m_volume_timed = false;
      status = s.status;
      if (s.head_hidden >= 0) {
        config.head = s.head_hidden > 0 ? ScribbleHead::Mlp : ScribbleHead::Linear;
        if (s.head_hidden > 0) config.hidden = s.head_hidden;
      }
    }
    for (auto& [slice, maps] : s.maps) m_maps[slice] = std::move(maps);
    s.maps.clear();
    m_task_slice_ms = s.task_slice_ms;
    m_task_volume_ms = s.task_volume_ms;
  }
  if (!m_task || !m_task->finished()) return;
  const char* what[] = {"scribble training", "scribble prediction", "saving the classifier", "opening the classifier",
                        "applying the classifier"};
  if (m_task->state() == JobState::Failed) {
    error = std::string(what[int(m_task_action)]) + " failed: " + m_task->error();
    if (m_task_action == Action::Predict)
      m_failed_prediction = std::to_string(m_classifier_id) + "|" + std::to_string(m_task_volume);
  } else if (m_task->state() == JobState::Succeeded && m_task_action != Action::Train &&
             m_task_action != Action::Predict) {
    status = m_task->summary();
  }
  m_task.reset();
}

bool ScribbleTraining::volume_complete(const DatasetBrowser& browser) const {
  const SliceSet* data = browser.data();
  const int shown = browser.slice_index();
  if (!data || shown < 0) return true;
  const VolumeRecord& rec = data->volume_of(shown);
  for (int i = rec.first_slice; i < rec.first_slice + rec.slice_count; ++i)
    if (!m_maps.count(i)) return false;
  return true;
}

void ScribbleTraining::update(const ScribbleCanvas& canvas, const std::string& backbone, const DatasetBrowser& browser,
                              LayeredImage& image) {
  take_results();
  const int committed = canvas.committed_revision();
  m_committed_at.try_emplace(committed, Clock::now());
  const SliceSet* data = browser.data();
  const int shown = browser.slice_index();
  std::ostringstream key_text;
  key_text << backbone << '|' << static_cast<const void*>(data);
  const std::string key = key_text.str();
  if (key != m_trained_key && m_has_classifier) {  // other backbone or data: the classifier no longer applies
    m_has_classifier = false;
    m_maps.clear();
  }
  const bool can_train = !backbone.empty() && data && shown >= 0;
  const bool retrain = can_train && (committed != m_trained_revision || key != m_trained_key);
  const int shown_volume = shown >= 0 && data ? data->slices[size_t(shown)].volume : -1;
  if (m_task && !m_task->finished() && (m_task_action == Action::Train || m_task_action == Action::Predict) &&
      (retrain || m_task_volume != shown_volume))
    m_task->cancel();  // a newer stroke or another volume: its remaining predictions are not needed
  if (!m_task) {
    if (!m_requests.empty()) {
      const Request request = m_requests.front();
      m_requests.pop_front();
      if (can_train && request.action == Action::Open) {  // shown as it is until the next stroke
        m_trained_revision = committed;
        m_trained_key = key;
      }
      if (can_train) start(request, canvas, backbone, browser);
      else error = "open a backbone (Dataset panel) before saving, opening or applying a classifier";
    } else if (retrain) {
      m_trained_revision = committed;
      m_trained_key = key;
      if (!canvas.volumes().empty()) start({Action::Train, "", ""}, canvas, backbone, browser);
    } else if (can_train && m_has_classifier && !volume_complete(browser) &&
               m_failed_prediction != std::to_string(m_classifier_id) + "|" + std::to_string(shown_volume)) {
      start({Action::Predict, "", ""}, canvas, backbone, browser);
    }
  }
  m_current = !busy() && (!can_train || (committed == m_trained_revision && key == m_trained_key)) &&
              (!m_has_classifier || volume_complete(browser));
  show(canvas, browser, image);
}

void ScribbleTraining::start(const Request& request, const ScribbleCanvas& canvas, const std::string& backbone,
                             const DatasetBrowser& browser) {
  error.clear();
  std::shared_ptr<Engine> engine = m_engine;
  std::shared_ptr<Shared> shared = m_shared;
  std::shared_ptr<const SliceSet> data = browser.shared_data();
  const int shown = browser.slice_index();
  m_task_action = request.action;
  m_task_volume = data->slices[size_t(shown)].volume;
  // The shown slice's maps first, then the rest of its volume (cancelled by a newer stroke).
  // A training's task times both from its start (the frame after the stroke) when `since` is given.
  auto predict_volume = [engine, shared, shown](JobProgress& progress, const Clock::time_point* since) {
    Engine& e = *engine;
    const VolumeRecord& rec = e.data->volume_of(shown);
    std::vector<int> rest;
    for (int i = rec.first_slice; i < rec.first_slice + rec.slice_count; ++i)
      if (i != shown) rest.push_back(i);
    progress.begin("predicting", int64_t(rest.size()) + 1);
    const auto publish = [&](int slice) {
      ClassMaps maps =
          class_maps(e.classifier->slice_probabilities(*e.features, slice), int(e.classifier->classes().size()));
      std::lock_guard<std::mutex> lock(shared->mutex);
      shared->maps.emplace_back(slice, std::move(maps));
    };
    const auto record = [&](std::vector<double>& times) {
      if (!since) return;
      std::lock_guard<std::mutex> lock(shared->mutex);
      times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - *since).count());
    };
    publish(shown);
    record(shared->task_slice_ms);
    e.features->compute(rest, progress);  // throws Cancelled when a newer stroke came
    for (size_t k = 0; k < rest.size(); ++k) {
      if (progress.cancelled()) throw Cancelled();
      publish(rest[k]);
      progress.update(int64_t(k) + 2, "");
    }
    record(shared->task_volume_ms);
  };
  Job::Work work;
  std::string title;
  switch (request.action) {
    case Action::Train: {
      title = "scribble training";
      const ScribbleVolumes volumes = canvas.volumes();
      const ScribbleTrainConfig train_config = config;
      const int revision = canvas.committed_revision();
      work = [engine, shared, volumes, classes = canvas.classes(), train_config, revision, backbone, data,
              predict_volume](JobProgress& progress) -> std::string {
        const Clock::time_point started = Clock::now();
        Engine& e = *engine;
        progress.begin("training", 0);
        e.use(backbone, data);
        ScribbleSet set;
        set.classes = classes;
        for (const auto& [volume, scribbles] : volumes) add_volume_scribbles(*e.data, volume, *scribbles, set);
        if (set.pixel_count() == 0) {
          e.classifier.reset();
          ++e.classifier_id;
          shared->publish_classifier(e, revision, "no scribbles inside the prepared crops: nothing to train on");
          return std::string("no scribbles");
        }
        // Never across a change of the number of classes (the head's outputs): then from seeded weights.
        const bool warm = e.classifier && e.config.head == train_config.head &&
                          (train_config.head == ScribbleHead::Linear || e.config.hidden == train_config.hidden) &&
                          e.classifier->classes().size() == classes.size();
        ScribbleTrainReport report;
        ScribbleClassifier next =
            ScribbleClassifier::train(*e.features, set, train_config, warm ? e.classifier.get() : nullptr, &report);
        e.classifier = std::make_unique<ScribbleClassifier>(std::move(next));
        e.config = train_config;
        e.report = report;
        e.subjects = set.subjects(*e.data);
        ++e.classifier_id;
        const std::string summary = train_summary(report, train_config, warm);
        shared->publish_classifier(e, revision, summary);
        predict_volume(progress, &started);
        return summary;
      };
      break;
    }
    case Action::Predict:
      title = "scribble prediction";
      work = [predict_volume](JobProgress& progress) -> std::string {
        predict_volume(progress, nullptr);
        return std::string("predicted");
      };
      break;
    case Action::Save:
      title = "saving the classifier";
      work = [engine, dir = request.dir, data_path = request.data_path](JobProgress&) -> std::string {
        Engine& e = *engine;
        const FrozenSliceFeatures& features = e.ready_classifier();
        e.classifier->save(dir, features, data_path, e.subjects, e.config, e.report);
        return "saved the classifier to " + dir;
      };
      break;
    case Action::Open:
      title = "opening the classifier";
      work = [engine, shared, dir = request.dir, classes = canvas.classes(), backbone, data,
              predict_volume](JobProgress& progress) -> std::string {
        Engine& e = *engine;
        e.use(backbone, data);
        ScribbleClassifier opened = ScribbleClassifier::load(dir, *e.features);  // another backbone: an error
        P2R_CHECK(same_class_names(opened.classes(), classes),
                  dir << ": a classifier of the classes (" << class_names_text(opened.classes())
                      << "), not the scribbles' (" << class_names_text(classes) << ")");
        const int hidden = opened.model().head_hidden;
        e.classifier = std::make_unique<ScribbleClassifier>(std::move(opened));
        e.config.head = hidden > 0 ? ScribbleHead::Mlp : ScribbleHead::Linear;
        if (hidden > 0) e.config.hidden = hidden;
        e.report = {};
        e.subjects.clear();
        ++e.classifier_id;
        shared->publish_classifier(e, -1, "opened the classifier " + dir, hidden);
        predict_volume(progress, nullptr);
        return "opened the classifier " + dir;
      };
      break;
    case Action::Apply:
      title = "applying the classifier to the dataset";
      work = [engine, dir = request.dir, data_path = request.data_path](JobProgress& progress) -> std::string {
#ifndef PIX2REP_HAS_ITK
        P2R_FAIL("writing NIfTI predictions needs a build with ITK (PIX2REP_WITH_ITK)");
#else
        Engine& e = *engine;
        const std::string model_dir = (fs::path(dir) / "classifier").string();
        const FrozenSliceFeatures& features = e.ready_classifier();
        e.classifier->save(model_dir, features, data_path, e.subjects, e.config, e.report);
        const Segmenter segmenter(model_dir, "auto", "auto");
        const SliceSet& set = *e.data;
        progress.begin("applying", int64_t(set.volumes.size()));
        for (int vi = 0; vi < int(set.volumes.size()); ++vi) {
          if (progress.cancelled()) throw Cancelled();
          const VolumeRecord& rec = set.volumes[size_t(vi)];
          write_prediction_file((fs::path(dir) / prediction_file_name(rec.subject, rec.frame)).string(), set, vi,
                                segmenter.predict_volume(set, vi), true);
          progress.update(vi + 1, rec.subject);
        }
        return "wrote " + std::to_string(set.volumes.size()) + " predictions on the original grids to " + dir;
#endif
      };
      break;
  }
  m_task = std::make_unique<Job>("scribbles", title, request.dir, std::move(work));
  m_task->start();
}

void ScribbleTraining::show(const ScribbleCanvas& canvas, const DatasetBrowser& browser, LayeredImage& image) {
  const SliceSet* data = browser.data();
  const int shown = browser.slice_index();
  if (!m_has_classifier || !data || shown < 0) {
    for (const char* name : {kScribblePredictionLayer, kScribbleUncertaintyLayer})
      if (image.find(name)) image.remove(name);
    m_uploaded.clear();
    return;
  }
  // Latencies of the newest training: stroke -> its maps of the shown slice, -> the whole volume.
  const auto found = m_maps.find(shown);
  const auto at = m_committed_at.find(m_classifier_revision);
  if (found != m_maps.end() && at != m_committed_at.end()) {
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - at->second).count();
    if (!m_slice_timed) m_slice_ms.push_back(ms);
    m_slice_timed = true;
    if (!m_volume_timed && volume_complete(browser)) {
      m_volume_ms.push_back(ms);
      m_volume_timed = true;
    }
    m_committed_at.erase(m_committed_at.begin(), at);  // older revisions are never reported
  }
  const std::string slice_prefix = std::to_string(shown) + "|";
  std::ostringstream key_text;
  key_text << slice_prefix;
  if (found != m_maps.end()) {
    key_text << m_classifier_id << '|' << canvas.colour_key();
  }
  const std::string key = key_text.str();
  // The same slice keeps its last maps until the new ones come; another slice shows blank layers
  // (keeping their style) until its maps come.
  if (found != m_maps.end() ? key == m_uploaded : m_uploaded.rfind(slice_prefix, 0) == 0) return;
  m_uploaded = key;
  const int64_t pixels = data->pixels_per_slice();
  std::vector<uint8_t> rgba(size_t(pixels) * 4, 0);
  std::vector<float> uncertainty(size_t(pixels), 0.f);
  if (found != m_maps.end()) {
    const ClassMaps& maps = found->second;
    for (int64_t i = 0; i < pixels; ++i) {
      const int c = maps.labels[size_t(i)];
      if (c == 0 || c >= int(canvas.classes().size())) continue;  // background transparent, as the prediction layer
      for (int k = 0; k < 3; ++k) rgba[size_t(i) * 4 + k] = canvas.classes()[size_t(c)].rgb[size_t(k)];
      rgba[size_t(i) * 4 + 3] = 255;
    }
    uncertainty = maps.uncertainty;
  }
  const bool added = image.find(kScribblePredictionLayer) == nullptr;
  ImageLayer& prediction = image.add_rgba_layer(kScribblePredictionLayer, rgba.data(), data->size, data->size);
  ScalarLayer& uncertain =
      image.add_scalar_layer(kScribbleUncertaintyLayer, uncertainty.data(), data->size, data->size);
  if (added) {
    prediction.opacity = 0.5f;
    uncertain.style = {0.f, 1.f, viz::Colormap::Magma};
    uncertain.opacity = 0.75f;
    uncertain.visible = false;
  }
}

}  // namespace p2r::studio
