#pragma once
// Live scribble training: each finished stroke retrains the scribble classifier
// (core/train/scribble_classifier.h) on a worker thread, warm-started from the previous one, on the
// frozen features of the open backbone; the shown slice's prediction and uncertainty come first,
// then the rest of its volume. Strokes that finish while it trains coalesce (the latest wins).
// Saving the classifier, opening a saved one and applying it to every volume run on the same
// worker, one task at a time. Torch-free; main thread (the work runs on the tasks' threads).
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/studio/class_uncertainty.h"
#include "core/jobs/job.h"
#include "core/train/scribble_classifier.h"

namespace p2r::studio {

class DatasetBrowser;
class LayeredImage;
class ScribbleCanvas;

inline constexpr const char* kScribblePredictionLayer = "scribble prediction";
inline constexpr const char* kScribbleUncertaintyLayer = "scribble uncertainty";

class ScribbleTraining {
 public:
  /// How each stroke trains (a linear head, 50 Adam steps from the previous weights).
  ScribbleTrainConfig config;
  /// Last failure (training, saving, opening, applying), shown in the Scribbles panel.
  std::string error;
  /// What the last training or action did ("trained on 812 px ...", "saved ... to DIR").
  std::string status;
  /// The folders the panel's Save classifier / Open and Apply to dataset use.
  std::string classifier_dir = "runs/scribble-classifier", predictions_dir = "runs/scribble-predictions";

  ScribbleTraining();
  ~ScribbleTraining();  ///< cancels and joins a running task

  /// Once per frame: takes finished work; starts training when the committed scribbles or the
  /// backbone changed (backbone "": none open, nothing trains), a queued action, or the prediction
  /// of the shown volume; keeps the prediction and uncertainty layers on the shown slice.
  void update(const ScribbleCanvas& canvas, const std::string& backbone, const DatasetBrowser& browser,
              LayeredImage& image);
  /// Queues saving the classifier as a segmentation model folder dir (`pix2rep predict` takes it);
  /// data_path is recorded in its segment.json.
  void save_classifier(const std::string& dir, const std::string& data_path);
  /// Queues opening the classifier saved in dir (same backbone, else an error naming both) as the
  /// shown one and the next warm start.
  void open_classifier(const std::string& dir);
  /// Queues a job that saves the classifier to dir/classifier and writes every volume's prediction
  /// on its original grid as dir/SUBJECT_frameFF_pred.nii.gz (pix2rep predict's path).
  void apply_to_dataset(const std::string& dir, const std::string& data_path);

  /// True while a task runs or is queued.
  bool busy() const { return (m_task && !m_task->finished()) || !m_requests.empty(); }
  /// The running task (progress, title) or nullptr.
  const Job* task() const { return m_task && !m_task->finished() ? m_task.get() : nullptr; }
  /// True when nothing runs or waits and the shown volume's maps belong to the latest scribbles
  /// (or there is nothing to show), as of the last update(); scripts wait for this.
  bool current() const { return m_current; }
  /// True while a trained or opened classifier is shown (Save classifier and Apply need one).
  bool has_classifier() const { return m_has_classifier; }
  /// The shown classifier's maps of slice (an index into the open data), nullptr before they came.
  const ClassMaps* slice_maps(int slice) const {
    const auto it = m_maps.find(slice);
    return it == m_maps.end() ? nullptr : &it->second;
  }
  /// Milliseconds from the frame a stroke ended to the frame its classifier's maps of the shown
  /// slice, and of the whole shown volume, were shown (one entry per training that got there).
  const std::vector<double>& slice_latencies_ms() const { return m_slice_ms; }
  const std::vector<double>& volume_latencies_ms() const { return m_volume_ms; }
  /// The same measured on the worker: from a training task's start (the frame after the stroke)
  /// until it published the shown slice's maps, and the whole volume's (no frame waits).
  const std::vector<double>& task_slice_ms() const { return m_task_slice_ms; }
  const std::vector<double>& task_volume_ms() const { return m_task_volume_ms; }

 private:
  struct Engine;
  struct Shared;
  enum class Action { Train, Predict, Save, Open, Apply };
  struct Request {
    Action action;
    std::string dir, data_path;
  };
  void take_results();
  void start(const Request& request, const ScribbleCanvas& canvas, const std::string& backbone,
             const DatasetBrowser& browser);
  void show(const ScribbleCanvas& canvas, const DatasetBrowser& browser, LayeredImage& image);
  bool volume_complete(const DatasetBrowser& browser) const;

  std::shared_ptr<Engine> m_engine;  // worker side: touched by one task at a time only
  std::shared_ptr<Shared> m_shared;  // what tasks publish, under its mutex
  std::unique_ptr<Job> m_task;
  Action m_task_action = Action::Train;
  int m_task_volume = -1;  // the volume a Train / Predict task predicts
  std::deque<Request> m_requests;
  int m_trained_revision = -1;    // committed scribble revision handed to the last training
  std::string m_trained_key;      // backbone and data it trained with
  int m_classifier_id = 0;        // newest classifier taken from the tasks (ids only grow)
  bool m_has_classifier = false;  // false: none yet, or dropped (no scribbles, other backbone)
  bool m_current = true;
  std::string m_failed_prediction;  // classifier and volume whose prediction failed (not retried)
  int m_classifier_revision = -1;   // scribble revision that classifier was trained on
  std::map<int, ClassMaps> m_maps;  // slice -> maps of classifier m_classifier_id
  std::string m_uploaded;           // slice, classifier and colours the layers show
  using Clock = std::chrono::steady_clock;
  std::map<int, Clock::time_point> m_committed_at;  // when each scribble revision was first seen
  bool m_slice_timed = false, m_volume_timed = false;
  std::vector<double> m_slice_ms, m_volume_ms, m_task_slice_ms, m_task_volume_ms;
};

}  // namespace p2r::studio
