#pragma once
// A small classifier trained on the frozen backbone features of scribbled pixels only (the
// studio's live scribble training and `pix2rep scribble-train`), saved as a segmentation model
// folder that Segmenter, `predict` and `evaluate` load like a probe's. Torch-free facade.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/data/scribble_set.h"
#include "core/data/slice_set.h"
#include "core/model/model_config.h"

namespace p2r {

/// The classifier on top of the frozen features.
enum class ScribbleHead {
  Linear,  ///< one 1x1 conv (the linear probe's head)
  Mlp,     ///< 1x1 conv to `hidden` channels, ReLU, 1x1 conv
};
/// "linear" / "mlp".
const char* scribble_head_name(ScribbleHead head);
/// Parses the names above; throws p2r::Error otherwise.
ScribbleHead parse_scribble_head(const std::string& text);

/// How a scribble classifier is trained: full-batch Adam (a seeded sample of max_batch_pixels
/// when more pixels are scribbled) on class-balanced cross-entropy, a fixed number of steps.
struct ScribbleTrainConfig {
  ScribbleHead head = ScribbleHead::Linear;
  int hidden = 64;               ///< hidden width of the Mlp head
  int steps = 100;
  double lr = 1e-2;
  int max_batch_pixels = 8192;   ///< scribbled pixels per step
  uint64_t seed = 0;             ///< initial weights and pixel samples
  /// Throws p2r::Error naming the first invalid field.
  void validate() const;
};

/// What one training did.
struct ScribbleTrainReport {
  int64_t pixels = 0;                            ///< scribbled pixels trained on
  std::vector<int64_t> class_pixels;             ///< per class of the scribbles' list
  std::vector<double> class_weights;             ///< of the cross-entropy (class_balance_weights)
  double initial_loss = 0, final_loss = 0;       ///< weighted cross-entropy on all pixels, before / after
  double milliseconds = 0;                       ///< the training (features already computed)
};

/// The frozen backbone of a pretraining run and its features of slices of one slice set, each
/// slice's computed once and kept (the set must outlive this object). Not thread-safe.
class FrozenSliceFeatures {
 public:
  /// Loads run_dir's backbone onto device ("auto", "cpu", "cuda") in precision ("auto", "fp32",
  /// "bf16"); threads > 0 sets LibTorch's intra-op threads. Throws p2r::Error for a run folder that
  /// cannot be loaded or slices the U-Net cannot take.
  FrozenSliceFeatures(const std::string& run_dir, const SliceSet& set, const std::string& device = "auto",
                      const std::string& precision = "auto", int threads = 0);
  ~FrozenSliceFeatures();
  FrozenSliceFeatures(FrozenSliceFeatures&&) noexcept;
  FrozenSliceFeatures& operator=(FrozenSliceFeatures&&) noexcept;

  /// Computes the features of the slices not computed yet (batches of 16). Throws p2r::Error for
  /// slice indices out of range, p2r::Cancelled when progress cancels.
  void compute(const std::vector<int>& slices, ProgressSink& progress = null_progress());
  /// The run folder (as recorded: absolute) and its backbone's configuration.
  const std::string& run_dir() const;
  const ModelConfig& model() const;

 private:
  friend class ScribbleClassifier;
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// A trained scribble classifier (the head; the backbone stays in its FrozenSliceFeatures).
class ScribbleClassifier {
 public:
  /// Trains on the scribbled pixels of scribbles (of features' slice set; their features computed
  /// when missing), one output per class of scribbles.classes. With previous, starts from its
  /// weights (warm start: the same backbone, head and number of classes are required, else
  /// p2r::Error naming both; names may differ: a renamed class); otherwise from weights drawn by
  /// config.seed. Throws p2r::Error for an empty scribble set
  /// or one of another slice size.
  static ScribbleClassifier train(FrozenSliceFeatures& features, const ScribbleSet& scribbles,
                                  const ScribbleTrainConfig& config, const ScribbleClassifier* previous = nullptr,
                                  ScribbleTrainReport* report = nullptr);
  /// The classifier saved in the segmentation model folder dir (save(), or any probe's folder) for
  /// warm starts on features. Throws p2r::Error naming dir for a folder that cannot be loaded or
  /// whose backbone is not features' run folder (naming both).
  static ScribbleClassifier load(const std::string& dir, const FrozenSliceFeatures& features);
  ~ScribbleClassifier();
  ScribbleClassifier(ScribbleClassifier&&) noexcept;
  ScribbleClassifier& operator=(ScribbleClassifier&&) noexcept;

  /// Labels (0..K-1 of classes(), prepared space, size x size) of slice of features' set (features
  /// computed when missing).
  std::vector<uint8_t> predict_slice(FrozenSliceFeatures& features, int slice) const;
  /// Class probabilities (softmax) of slice of features' set: size * size pixels x K classes,
  /// pixel-major (the classes of pixel 0 first); features computed when missing.
  std::vector<float> slice_probabilities(FrozenSliceFeatures& features, int slice) const;
  /// The head's parameters, flattened in registration order (hidden layer first).
  std::vector<float> head_parameters() const;
  /// The backbone run folder it was trained on, and the model (backbone + head) it forms.
  const std::string& backbone_dir() const;
  const ModelConfig& model() const;
  /// The classes of its outputs (label i = class i).
  const ClassList& classes() const;

  /// Writes DIR/model.pt (the backbone of features with this head), DIR/segment.json (mode probe,
  /// backbone and data paths, the scribbled subjects, the classes) and DIR/scribble.json (config and report),
  /// each atomically, in that order. Throws p2r::Error when features hold another backbone or the
  /// folder cannot be written.
  void save(const std::string& dir, const FrozenSliceFeatures& features, const std::string& data_path,
            const std::vector<std::string>& subjects, const ScribbleTrainConfig& config,
            const ScribbleTrainReport& report) const;

 private:
  ScribbleClassifier();
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// DIR/scribble.json: how a scribble classifier's model folder was trained.
std::string scribble_record_path(const std::string& dir);

}  // namespace p2r
