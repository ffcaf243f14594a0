#pragma once
// The open segmentation model and its predictions: opening a run folder and predicting a volume run
// as jobs on a worker thread; the prediction of the shown slice is kept as the "prediction" label
// layer; per-structure 3D Dice when the volume has labels. Main thread (work on workers).
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/data/slice_set.h"
#include "core/eval/dice.h"
#include "core/jobs/job.h"

namespace p2r {
class Segmenter;
}

namespace p2r::studio {

class DatasetBrowser;
class LayeredImage;

/// Name of the layer that shows the model's labels over the image.
inline constexpr const char* kPredictionLayer = "prediction";

/// One predicted volume.
struct VolumePrediction {
  int volume = -1;                 ///< index into the SliceSet's volumes
  std::vector<uint8_t> labels;     ///< slice_count * size * size, in the volume's slice order
  std::optional<DiceScores> dice;  ///< against the volume's labels, when it has them and the model's classes are theirs
  /// labels after keep_largest_components (core/eval/largest_components), for a model of the ACDC
  /// four; empty for other classes (the heart's one piece says nothing about them)
  std::vector<uint8_t> cleaned;
  std::optional<DiceScores> cleaned_dice;  ///< of cleaned, when dice is known
  double seconds = 0;

  /// The labels shown: cleaned when asked for and made, else labels; and their Dice.
  const std::vector<uint8_t>& shown(bool clean) const { return clean && !cleaned.empty() ? cleaned : labels; }
  const std::optional<DiceScores>& shown_dice(bool clean) const {
    return clean && !cleaned.empty() ? cleaned_dice : dice;
  }
};

class ModelState {
 public:
  ModelState();
  ~ModelState();

  /// Starts loading the segmentation run folder dir (segment.json + model.pt) on a worker. The
  /// current model stays until the new one loaded; a failure sets error. Refused while busy.
  void open(const std::string& dir);
  /// Starts predicting the given volumes of data (e.g. a subject's ED and ES) with the open model;
  /// refused (error set) without a model, without volumes or while busy.
  void segment(std::shared_ptr<const SliceSet> data, std::vector<int> volumes);
  /// Once per frame: takes finished work, drops predictions of data no longer shown, and keeps
  /// the prediction layer on the shown slice (removed when that volume has no prediction).
  void update(const DatasetBrowser& browser, LayeredImage& image);

  /// True from open()/segment() until update() took the task's result.
  bool busy() const { return m_task && (!m_task->finished() || m_pending); }
  bool has_model() const { return m_segmenter != nullptr; }
  /// Folder of the open model and a one-line description ("probe, U-Net base 8 x 5 levels, ...").
  const std::string& dir() const { return m_dir; }
  const std::string& description() const { return m_description; }
  /// The running task ("opening", "segmenting") or nullptr.
  const Job* task() const { return busy() ? m_task.get() : nullptr; }
  /// The prediction of volume for the shown data, or nullptr.
  const VolumePrediction* prediction(int volume) const;
  /// Whether the prediction layer and the Dice show the cleaned labels (VolumePrediction::cleaned).
  bool clean() const { return m_clean; }
  void set_clean(bool clean);

  /// Last failure (corrupt model, mismatched data), shown in the Model panel; empty when none.
  std::string error;

 private:
  struct Pending;
  std::unique_ptr<Job> m_task;
  std::shared_ptr<Pending> m_pending;  // written by the task, read once it finished
  std::shared_ptr<Segmenter> m_segmenter;
  std::string m_dir, m_description;
  const SliceSet* m_data = nullptr;    // the data the predictions belong to (identity only)
  std::map<int, VolumePrediction> m_predictions;
  int m_shown_generation = -1, m_shown_revision = -1, m_revision = 0;
  bool m_clean = false;
};

}  // namespace p2r::studio
