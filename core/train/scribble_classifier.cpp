#include "core/train/scribble_classifier.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "core/common/atomic_file.h"
#include "core/common/compute_device.h"
#include "core/common/error.h"
#include "core/common/file_paths.h"
#include "core/common/precision.h"
#include "core/io/scribble_file.h"
#include "core/model/model_layout.h"
#include "core/model/precision_scope.h"
#include "core/model/run_folder.h"
#include "core/model/segmentation_net.h"
#include "core/train/class_balance.h"
#include "core/train/pretrain_step.h"
#include "core/train/segment_config.h"

namespace p2r {

const char* scribble_head_name(ScribbleHead head) { return head == ScribbleHead::Mlp ? "mlp" : "linear"; }

ScribbleHead parse_scribble_head(const std::string& text) {
  if (text == "linear") return ScribbleHead::Linear;
  if (text == "mlp") return ScribbleHead::Mlp;
  P2R_FAIL("unknown scribble head '" << text << "' (expected linear or mlp)");
}

void ScribbleTrainConfig::validate() const {
  P2R_CHECK(steps > 0, "scribble training steps must be > 0 (got " << steps << ")");
  P2R_CHECK(lr > 0, "scribble training learning rate must be > 0 (got " << lr << ")");
  P2R_CHECK(head != ScribbleHead::Mlp || hidden > 0, "the mlp head needs a hidden width > 0 (got " << hidden << ")");
  P2R_CHECK(max_batch_pixels > 0, "pixels per step must be > 0 (got " << max_batch_pixels << ")");
}

// ---- FrozenSliceFeatures ----

struct FrozenSliceFeatures::Impl {
  std::string run_dir;
  ModelConfig model;
  const SliceSet* set = nullptr;
  UNet backbone{nullptr};
  torch::Device device{torch::kCPU};
  std::string precision;
  std::map<int, torch::Tensor> features;  ///< slice -> [S * S, n_ft] float on device (pixel rows)

  const torch::Tensor& of(int slice) {
    auto it = features.find(slice);
    if (it == features.end()) {
      compute_slices({slice}, null_progress());
      it = features.find(slice);
    }
    return it->second;
  }

  void compute_slices(const std::vector<int>& wanted, ProgressSink& progress) {
    std::vector<int64_t> missing;
    for (int s : wanted) {
      P2R_CHECK(s >= 0 && s < set->slice_count(), "slice index " << s << " out of range 0.." << set->slice_count() - 1);
      if (!features.count(s) && std::find(missing.begin(), missing.end(), s) == missing.end()) missing.push_back(s);
    }
    if (missing.empty()) return;
    const int64_t S = set->size;
    auto images = torch::from_blob(const_cast<float*>(set->images.data()), {set->slice_count(), 1, S, S}, torch::kFloat);
    torch::NoGradGuard no_grad;  // not inference mode: the features feed the head's autograd graph
    PrecisionScope scope(device, precision);
    progress.begin("features", int64_t(missing.size()));
    for (size_t b = 0; b < missing.size(); b += 16) {
      if (progress.cancelled()) {
        progress.end();
        throw Cancelled();
      }
      const size_t e = std::min(missing.size(), b + 16);
      auto idx = torch::tensor(std::vector<int64_t>(missing.begin() + b, missing.begin() + e), torch::kLong);
      auto f = backbone->forward(images.index_select(0, idx).to(device)).to(torch::kFloat);
      for (size_t i = b; i < e; ++i)
        features[int(missing[i])] = f[int64_t(i - b)].reshape({model.n_ft, S * S}).t().contiguous();
      progress.update(int64_t(e), "");
    }
    progress.end();
  }
};

FrozenSliceFeatures::FrozenSliceFeatures(const std::string& run_dir, const SliceSet& set, const std::string& device,
                                         const std::string& precision, int threads)
    : m_impl(std::make_unique<Impl>()) {
  Impl& m = *m_impl;
  m.run_dir = recorded_path(run_dir);
  m.model = pretrained_model_config(run_dir);
  m.set = &set;
  const int divisor = 1 << (m.model.levels - 1);
  P2R_CHECK(set.size % divisor == 0, "slices of " << set.size << " pixels cannot go through the U-Net of " << run_dir
                                                  << " (" << m.model.levels << " levels: a multiple of " << divisor
                                                  << " needed)");
  m.device = resolve_device(device);
  m.precision = resolve_precision(precision, m.device.is_cuda());
  configure_threads(threads);
  m.backbone = UNet(m.model);
  load_pretrained_backbone(run_dir, m.backbone);
  move_to_device(*m.backbone, m.device, m.precision);
  m.backbone->eval();  // frozen, BatchNorm statistics too
  for (auto& p : m.backbone->parameters()) p.set_requires_grad(false);
}

FrozenSliceFeatures::~FrozenSliceFeatures() = default;
FrozenSliceFeatures::FrozenSliceFeatures(FrozenSliceFeatures&&) noexcept = default;
FrozenSliceFeatures& FrozenSliceFeatures::operator=(FrozenSliceFeatures&&) noexcept = default;

void FrozenSliceFeatures::compute(const std::vector<int>& slices, ProgressSink& progress) {
  m_impl->compute_slices(slices, progress);
}
const std::string& FrozenSliceFeatures::run_dir() const { return m_impl->run_dir; }
const ModelConfig& FrozenSliceFeatures::model() const { return m_impl->model; }

// ---- ScribbleClassifier ----

struct ScribbleClassifier::Impl {
  std::string backbone_dir;
  ModelConfig model;  ///< the backbone's, with head_hidden
  ClassList classes;  ///< one output each
  SegmentationNet net{nullptr};
  torch::Device device{torch::kCPU};
  std::string precision;

  // Builds the net of `model` around f's backbone (shared, frozen), with the weights of the model
  // file weights_path when given, the head on f's device.
  void build(const FrozenSliceFeatures::Impl& f, const std::string& weights_path = "") {
    backbone_dir = f.run_dir;
    device = f.device;
    precision = f.precision;
    if (weights_path.empty()) {
      net = SegmentationNet(model, int(classes.size()), f.backbone);  // no backbone of its own to initialise
    } else {
      net = SegmentationNet(model, int(classes.size()));
      load_segmentation_model(weights_path, net, model);
      net->m_backbone = net->replace_module("backbone", f.backbone);
    }
    if (net->m_hidden) net->m_hidden->to(device);
    net->m_head->to(device);
  }

  std::vector<torch::Tensor> head_parameters() {
    std::vector<torch::Tensor> out;
    if (net->m_hidden)
      for (auto& p : net->m_hidden->parameters()) out.push_back(p);
    for (auto& p : net->m_head->parameters()) out.push_back(p);
    return out;
  }
  // Logits [P, classes] of pixel features [P, n_ft].
  torch::Tensor logits(const torch::Tensor& pixel_features) { return net->head_pixels(pixel_features); }
  // Logits [S * S, classes] of a slice of features' set (features computed when missing).
  torch::Tensor slice_logits(FrozenSliceFeatures& features, int slice) {
    P2R_CHECK(features.run_dir() == backbone_dir, "a classifier of backbone " << backbone_dir
                                                                              << " asked to predict from features of "
                                                                              << features.run_dir());
    return logits(features.m_impl->of(slice));
  }
};

ScribbleClassifier::ScribbleClassifier() : m_impl(std::make_unique<Impl>()) {}
ScribbleClassifier::~ScribbleClassifier() = default;
ScribbleClassifier::ScribbleClassifier(ScribbleClassifier&&) noexcept = default;
ScribbleClassifier& ScribbleClassifier::operator=(ScribbleClassifier&&) noexcept = default;

ScribbleClassifier ScribbleClassifier::train(FrozenSliceFeatures& features, const ScribbleSet& scribbles,
                                             const ScribbleTrainConfig& config, const ScribbleClassifier* previous,
                                             ScribbleTrainReport* report) {
  config.validate();
  FrozenSliceFeatures::Impl& f = *features.m_impl;
  P2R_CHECK(!scribbles.slices.empty() && scribbles.pixel_count() > 0, "empty scribble set: nothing to train on");
  P2R_CHECK(scribbles.size == f.set->size, "scribbles of " << scribbles.size << " px slices for features of "
                                                           << f.set->size << " px slices");
  ScribbleClassifier out;
  Impl& m = *out.m_impl;
  m.backbone_dir = f.run_dir;
  m.model = f.model;
  m.model.head_hidden = config.head == ScribbleHead::Mlp ? config.hidden : 0;
  m.classes = scribbles.classes;
  const int K = int(m.classes.size());
  if (previous) {
    const Impl& p = *previous->m_impl;
    P2R_CHECK(p.backbone_dir == m.backbone_dir, "warm start from a classifier of backbone " << p.backbone_dir
                                                                                            << " on features of backbone "
                                                                                            << m.backbone_dir);
    P2R_CHECK(p.classes.size() == m.classes.size(), "warm start from a classifier of " << p.classes.size()
                                                         << " classes (" << class_names_text(p.classes) << ") for "
                                                         << "scribbles of " << K << " (" << class_names_text(m.classes)
                                                         << ")");
    P2R_CHECK(segmentation_signature(p.model, K) == segmentation_signature(m.model, K),
              "warm start from a classifier '" << segmentation_signature(p.model, K) << "' into a '"
                                               << segmentation_signature(m.model, K) << "' (another head)");
  }
  torch::manual_seed(config.seed);
  m.build(f);
  if (previous) {
    torch::NoGradGuard no_grad;
    const auto from = previous->m_impl->head_parameters();
    const auto to = m.head_parameters();
    for (size_t i = 0; i < to.size(); ++i) to[i].copy_(from[i]);
  }

  // The scribbled pixels' features [P, n_ft] and classes [P], gathered once.
  features.compute(scribbles.slices);
  const int64_t plane = int64_t(scribbles.size) * scribbles.size;
  std::vector<torch::Tensor> xs, ys;
  std::vector<int64_t> counts(size_t(K), 0);
  for (size_t j = 0; j < scribbles.slices.size(); ++j) {
    const uint8_t* v = scribbles.slice_values(j);
    std::vector<int64_t> where, cls;
    for (int64_t i = 0; i < plane; ++i)
      if (v[i] != kUnscribbled) {
        where.push_back(i);
        cls.push_back(scribble_class(v[i]));
        P2R_CHECK(cls.back() < K, "scribble value " << int(v[i]) << " has no class ("
                                                    << scribble_values_text(m.classes) << ")");
        ++counts[size_t(cls.back())];
      }
    if (where.empty()) continue;
    xs.push_back(f.of(scribbles.slices[j]).index_select(0, torch::tensor(where, torch::kLong).to(m.device)));
    ys.push_back(torch::tensor(cls, torch::kLong));
  }
  const torch::Tensor x = torch::cat(xs), y = torch::cat(ys).to(m.device);
  const int64_t n = y.size(0);
  const std::vector<double> weights = class_balance_weights(counts);
  const auto loss_options = torch::nn::functional::CrossEntropyFuncOptions().weight(
      torch::tensor(std::vector<float>(weights.begin(), weights.end())).to(m.device));
  auto full_loss = [&] {
    torch::NoGradGuard no_grad;
    return torch::nn::functional::cross_entropy(m.logits(x), y, loss_options).item<double>();
  };

  const auto t0 = std::chrono::steady_clock::now();
  const double initial = full_loss();
  torch::optim::Adam optimizer(m.head_parameters(), torch::optim::AdamOptions(config.lr));
  at::Generator gen = step_generator(config.seed, 0x5C1B);
  for (int step = 0; step < config.steps; ++step) {
    torch::Tensor bx = x, by = y;
    if (n > config.max_batch_pixels) {
      auto pick = torch::randperm(n, gen, torch::TensorOptions().dtype(torch::kLong))
                      .slice(0, 0, config.max_batch_pixels)
                      .to(m.device);
      bx = x.index_select(0, pick), by = y.index_select(0, pick);
    }
    auto loss = torch::nn::functional::cross_entropy(m.logits(bx), by, loss_options);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
  const double final_loss = full_loss();
  P2R_CHECK(std::isfinite(final_loss), "non-finite scribble training loss (lower the learning rate)");
  if (report) {
    report->pixels = n;
    report->class_pixels = counts;
    report->class_weights = weights;
    report->initial_loss = initial;
    report->final_loss = final_loss;
    report->milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
  return out;
}

ScribbleClassifier ScribbleClassifier::load(const std::string& dir, const FrozenSliceFeatures& features) {
  std::ifstream in(segment_config_path(dir));
  P2R_CHECK(in.good(), segment_config_path(dir) << ": missing (not a segmentation model folder?)");
  std::stringstream text;
  text << in.rdbuf();
  SegmentConfig config;
  try {
    config = segment_config_from_json(text.str(), SegmentConfig());
  } catch (const Error& e) {
    P2R_FAIL(segment_config_path(dir) << ": " << e.message());
  }
  P2R_CHECK(config.mode == SegmentMode::Probe && recorded_path(config.backbone_dir) == features.run_dir(),
            dir << ": a " << segment_mode_name(config.mode) << " model of backbone "
                << (config.backbone_dir.empty() ? "(none)" : config.backbone_dir) << ", not a classifier on the frozen "
                << "backbone " << features.run_dir());
  ScribbleClassifier out;
  out.m_impl->model = config.model;
  out.m_impl->classes = config.classes;
  out.m_impl->build(*features.m_impl, segment_model_path(dir));
  return out;
}

std::vector<uint8_t> ScribbleClassifier::predict_slice(FrozenSliceFeatures& features, int slice) const {
  torch::NoGradGuard no_grad;
  auto labels = m_impl->slice_logits(features, slice).argmax(1).to(torch::kUInt8).cpu().contiguous();
  return std::vector<uint8_t>(labels.data_ptr<uint8_t>(), labels.data_ptr<uint8_t>() + labels.numel());
}

std::vector<float> ScribbleClassifier::slice_probabilities(FrozenSliceFeatures& features, int slice) const {
  torch::NoGradGuard no_grad;
  auto p = torch::softmax(m_impl->slice_logits(features, slice).to(torch::kFloat), 1).cpu().contiguous();
  return std::vector<float>(p.data_ptr<float>(), p.data_ptr<float>() + p.numel());
}

std::vector<float> ScribbleClassifier::head_parameters() const {
  std::vector<float> out;
  for (const auto& p : m_impl->head_parameters()) {
    auto c = p.detach().to(torch::kFloat).cpu().contiguous();
    out.insert(out.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  }
  return out;
}

const std::string& ScribbleClassifier::backbone_dir() const { return m_impl->backbone_dir; }
const ModelConfig& ScribbleClassifier::model() const { return m_impl->model; }
const ClassList& ScribbleClassifier::classes() const { return m_impl->classes; }

void ScribbleClassifier::save(const std::string& dir, const FrozenSliceFeatures& features, const std::string& data_path,
                              const std::vector<std::string>& subjects, const ScribbleTrainConfig& config,
                              const ScribbleTrainReport& report) const {
  P2R_CHECK(features.run_dir() == m_impl->backbone_dir, "a classifier of backbone " << m_impl->backbone_dir
                                                                                    << " saved with features of "
                                                                                    << features.run_dir());
  SegmentConfig c = segment_defaults(SegmentMode::Probe);
  c.backbone_dir = m_impl->backbone_dir;
  c.model = m_impl->model;
  c.classes = m_impl->classes;
  c.data_path = recorded_path(data_path);
  c.subjects = subjects;
  c.out_dir = dir;
  c.lr_head = config.lr;
  c.augment = false;
  c.seed = config.seed;
  c.precision = m_impl->precision;
  ensure_directory(dir);
  save_segmentation_model(segment_model_path(dir), m_impl->net, m_impl->model);
  write_file_atomically(segment_config_path(dir),
                        [&](const std::string& tmp) { std::ofstream(tmp) << segment_config_to_json(c) << "\n"; });
  const nlohmann::json j = {{"head", scribble_head_name(config.head)},
                            {"hidden", m_impl->model.head_hidden},
                            {"steps", config.steps},
                            {"lr", config.lr},
                            {"max_batch_pixels", config.max_batch_pixels},
                            {"seed", config.seed},
                            {"pixels", report.pixels},
                            {"class_pixels", report.class_pixels},
                            {"class_weights", report.class_weights},
                            {"initial_loss", report.initial_loss},
                            {"final_loss", report.final_loss},
                            {"milliseconds", report.milliseconds}};
  write_file_atomically(scribble_record_path(dir), [&](const std::string& tmp) { std::ofstream(tmp) << j.dump(2) << "\n"; });
}

std::string scribble_record_path(const std::string& dir) { return (std::filesystem::path(dir) / "scribble.json").string(); }

}  // namespace p2r
