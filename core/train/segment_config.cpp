#include "core/train/segment_config.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace p2r {

const char* segment_mode_name(SegmentMode mode) {
  switch (mode) {
    case SegmentMode::Probe: return "probe";
    case SegmentMode::Finetune: return "finetune";
    default: return "supervised";
  }
}

SegmentMode parse_segment_mode(const std::string& text) {
  if (text == "probe") return SegmentMode::Probe;
  if (text == "finetune") return SegmentMode::Finetune;
  if (text == "supervised") return SegmentMode::Supervised;
  P2R_FAIL("unknown segmentation mode '" << text << "' (expected probe, finetune or supervised)");
}

void SegmentConfig::validate() const {
  P2R_CHECK(epochs > 0, "epochs must be > 0 (got " << epochs << ")");
  P2R_CHECK(batch > 0, "batch must be > 0 (got " << batch << ")");
  P2R_CHECK(lr_head > 0 && lr_backbone > 0, "learning rates must be > 0 (head " << lr_head << ", backbone "
                                                                                << lr_backbone << ")");
  P2R_CHECK(val_fraction > 0 && val_fraction < 1, "val_fraction must be in (0, 1) (got " << val_fraction << ")");
  P2R_CHECK(patience > 0, "patience must be > 0 (got " << patience << ")");
  P2R_CHECK(ce_weight >= 0, "ce_weight must be >= 0 (got " << ce_weight << ")");
  P2R_CHECK(!subjects.empty(), "no labelled training subjects given");
  P2R_CHECK(same_class_names(classes, acdc_classes()), "training from labels predicts the ACDC classes ("
                                                           << class_names_text(acdc_classes()) << "), not "
                                                           << class_names_text(classes));
  P2R_CHECK(mode == SegmentMode::Supervised || !backbone_dir.empty(),
            segment_mode_name(mode) << " needs a pretrained backbone (backbone_dir)");
  if (mean_teacher) {
    P2R_CHECK(mode != SegmentMode::Probe, "mean_teacher needs a trainable backbone (mode finetune or supervised, "
                                          "not probe)");
    P2R_CHECK(consistency_weight >= 0, "consistency_weight must be >= 0 (got " << consistency_weight << ")");
    P2R_CHECK(consistency_rampup >= 0, "consistency_rampup must be >= 0 (got " << consistency_rampup << ")");
    P2R_CHECK(ema_decay >= 0 && ema_decay < 1, "ema_decay must be in [0, 1) (got " << ema_decay << ")");
    P2R_CHECK(unlabelled_batch > 0, "unlabelled_batch must be > 0 (got " << unlabelled_batch << ")");
  }
  P2R_CHECK(device == "auto" || device == "cpu" || device == "cuda", "unknown device '" << device << "'");
  P2R_CHECK(precision == "auto" || precision == "fp32" || precision == "bf16",
            "precision must be auto, fp32 or bf16 (got '" << precision << "')");
}

bool SegmentConfig::stops_after(int epoch, int best_epoch) const {
  const int window_start = mean_teacher ? std::max(best_epoch, consistency_rampup) : best_epoch;
  return epoch - window_start >= patience;
}

std::vector<std::string> labelled_training_subjects_among(const SegmentConfig& config,
                                                          const std::vector<std::string>& test_subjects) {
  std::set<std::string> trained(config.subjects.begin(), config.subjects.end()), seen;
  for (const auto& s : test_subjects)
    if (trained.count(s)) seen.insert(s);
  return {seen.begin(), seen.end()};
}

SegmentConfig segment_defaults(SegmentMode mode) {
  SegmentConfig c;
  c.mode = mode;
  if (mode == SegmentMode::Supervised) {
    c.lr_backbone = 1e-3;
    c.model.n_ft = 128;
  }
  return c;
}

std::string segment_config_to_json(const SegmentConfig& c) {
  nlohmann::json j = {{"mode", segment_mode_name(c.mode)},
                      {"backbone_dir", c.backbone_dir},
                      {"model", model_config_to_json(c.model, ModelKeys::Backbone)},
                      {"classes", class_list_to_json(c.classes)},
                      {"data_path", c.data_path},
                      {"subjects", c.subjects},
                      {"out_dir", c.out_dir},
                      {"epochs", c.epochs},
                      {"batch", c.batch},
                      {"lr_head", c.lr_head},
                      {"lr_backbone", c.lr_backbone},
                      {"val_fraction", c.val_fraction},
                      {"patience", c.patience},
                      {"ce_weight", c.ce_weight},
                      {"augment", c.augment},
                      {"mean_teacher", c.mean_teacher},
                      {"consistency_weight", c.consistency_weight},
                      {"consistency_rampup", c.consistency_rampup},
                      {"ema_decay", c.ema_decay},
                      {"unlabelled_batch", c.unlabelled_batch},
                      {"seed", c.seed},
                      {"device", c.device},
                      {"precision", c.precision},
                      {"threads", c.threads}};
  return j.dump(2);
}

SegmentConfig segment_config_from_json(const std::string& json_text, const SegmentConfig& base) {
  SegmentConfig c = base;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    P2R_FAIL("malformed segmentation config JSON: " << e.what());
  }
  P2R_CHECK(j.is_object(), "segmentation config must be a JSON object");
  try {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& k = it.key();
      const auto& v = it.value();
      if (k == "mode") c.mode = parse_segment_mode(v.get<std::string>());
      else if (k == "backbone_dir") c.backbone_dir = v.get<std::string>();
      else if (k == "model") overlay_model_config(v, ModelKeys::Backbone, ModelConfigFile::SegmentConfig, c.model);
      else if (k == "classes") {
        try {
          c.classes = class_list_from_json(v);
        } catch (const Error& e) {
          P2R_FAIL("'classes' in segmentation config: " << e.message());
        }
      }
      else if (k == "data_path") c.data_path = v.get<std::string>();
      else if (k == "subjects") c.subjects = v.get<std::vector<std::string>>();
      else if (k == "out_dir") c.out_dir = v.get<std::string>();
      else if (k == "epochs") c.epochs = v.get<int>();
      else if (k == "batch") c.batch = v.get<int>();
      else if (k == "lr_head") c.lr_head = v.get<double>();
      else if (k == "lr_backbone") c.lr_backbone = v.get<double>();
      else if (k == "val_fraction") c.val_fraction = v.get<double>();
      else if (k == "patience") c.patience = v.get<int>();
      else if (k == "ce_weight") c.ce_weight = v.get<double>();
      else if (k == "augment") c.augment = v.get<bool>();
      else if (k == "mean_teacher") c.mean_teacher = v.get<bool>();
      else if (k == "consistency_weight") c.consistency_weight = v.get<double>();
      else if (k == "consistency_rampup") c.consistency_rampup = v.get<int>();
      else if (k == "ema_decay") c.ema_decay = v.get<double>();
      else if (k == "unlabelled_batch") c.unlabelled_batch = v.get<int>();
      else if (k == "seed") c.seed = v.get<uint64_t>();
      else if (k == "device") c.device = v.get<std::string>();
      else if (k == "precision") c.precision = v.get<std::string>();
      else if (k == "threads") c.threads = v.get<int>();
      else P2R_FAIL("unknown key '" << k << "' in segmentation config");
    }
  } catch (const nlohmann::json::exception& e) {
    P2R_FAIL("wrong value type in segmentation config: " << e.what());
  }
  return c;
}

}  // namespace p2r
