#pragma once
// Settings of few-shot segmentation training (linear probe, fine-tuning, supervised baseline). No Torch.
#include <cstdint>
#include <string>
#include <vector>

#include "core/io/class_list.h"
#include "core/model/model_config.h"

namespace p2r {

/// How the backbone is trained under the 1x1-conv segmentation head.
enum class SegmentMode {
  Probe,       ///< pretrained backbone frozen; only the head learns (paper: lr 1e-2, 100 epochs)
  Finetune,    ///< pretrained backbone at lr_backbone, head at lr_head (paper: 5e-5 / 1e-2)
  Supervised,  ///< the same U-Net from random weights, all at lr_backbone (baseline)
};
/// "probe" / "finetune" / "supervised".
const char* segment_mode_name(SegmentMode mode);
/// Parses the names above; throws p2r::Error otherwise.
SegmentMode parse_segment_mode(const std::string& text);

/// Everything that defines one segmentation training run; stored as segment.json in its folder.
struct SegmentConfig {
  SegmentMode mode = SegmentMode::Probe;
  std::string backbone_dir;        ///< pretraining run folder (probe, finetune); "" for supervised
  ModelConfig model;               ///< supervised: the U-Net to build; otherwise read from backbone_dir
  /// The head's classes (label i = class i): the ACDC four for label training and folders without
  /// a "classes" record; a scribble classifier's own list (core/io/class_list.h)
  ClassList classes = acdc_classes();
  std::string data_path;           ///< prepared file with the labelled subjects
  std::vector<std::string> subjects;  ///< labelled training subjects (ids in the prepared file)
  std::string out_dir;
  int epochs = 100;
  int batch = 8;
  double lr_head = 1e-2;
  double lr_backbone = 5e-5;       ///< finetune: backbone lr; supervised: lr of the whole network
  double val_fraction = 0.1;       ///< share of the labelled slices used for model selection
  int patience = 30;               ///< stop after this many epochs without validation improvement (stops_after)
  double ce_weight = 1.0;          ///< loss = soft Dice + ce_weight * cross-entropy
  bool augment = true;             ///< random flips/rotations/zoom and intensity changes of labelled slices
  /// Mean Teacher (supervised or finetune): an EMA teacher and a consistency loss on batches of
  /// every slice of the data, unlabelled, beside the labelled loss; the teacher is the saved model.
  bool mean_teacher = false;
  double consistency_weight = 1.0; ///< weight of the consistency loss after its ramp-up
  int consistency_rampup = 30;     ///< epochs of the sigmoid ramp-up of that weight
  double ema_decay = 0.99;         ///< teacher EMA decay (min(1 - 1/(step + 1), decay) per step)
  int unlabelled_batch = 8;        ///< unlabelled slices per step
  uint64_t seed = 0;
  std::string device = "auto";
  /// "auto" (bf16 where the device has it, resolved and recorded when training starts), "fp32" or
  /// "bf16": the precision of the network's forward passes, as in pretraining
  std::string precision = "auto";
  int threads = 0;

  /// Throws p2r::Error naming the first invalid field.
  void validate() const;
  /// Whether training stops after epoch (1-based) when best_epoch was the best so far: patience
  /// epochs without improvement; with Mean Teacher they are counted from the end of the consistency
  /// ramp-up at the earliest, since the objective (and the lagging teacher) change until then.
  bool stops_after(int epoch, int best_epoch) const;
};

/// The subjects of test_subjects that config trained on with labels, sorted (scores on them are
/// not test scores).
std::vector<std::string> labelled_training_subjects_among(const SegmentConfig& config,
                                                          const std::vector<std::string>& test_subjects);

/// Defaults of a mode: probe/finetune as the paper; supervised with lr 1e-3 and n_ft 128.
SegmentConfig segment_defaults(SegmentMode mode);

/// Full config as pretty JSON text, and back (fields absent from the text keep base's values;
/// unknown keys or wrong types throw p2r::Error).
std::string segment_config_to_json(const SegmentConfig& config);
SegmentConfig segment_config_from_json(const std::string& json_text, const SegmentConfig& base);

}  // namespace p2r
