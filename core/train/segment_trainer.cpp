#include "core/train/segment_trainer.h"

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <torch/torch.h>

#include "core/common/atomic_file.h"
#include "core/common/compute_device.h"
#include "core/common/error.h"
#include "core/common/file_paths.h"
#include "core/data/train_validation_split.h"
#include "core/common/precision.h"
#include "core/model/model_layout.h"
#include "core/model/precision_scope.h"
#include "core/model/segmentation_net.h"
#include "core/train/augment.h"
#include "core/train/mean_teacher.h"
#include "core/train/pretrain_step.h"
#include "core/train/segmentation_loss.h"
#include "core/train/segmenter.h"

namespace p2r {
namespace {

// Slices of the requested labelled subjects; throws naming a subject that is absent or unlabelled.
std::vector<int> labelled_slices(const SliceSet& data, const std::vector<std::string>& subjects) {
  std::set<std::string> wanted(subjects.begin(), subjects.end());
  std::map<std::string, int> found;
  std::vector<int> out;
  for (const VolumeRecord& v : data.volumes) {
    if (!wanted.count(v.subject)) continue;
    P2R_CHECK(v.has_label, v.subject << " (frame " << v.frame << ") has no labels: a labelled subset must "
                                     << "contain labelled subjects only");
    found[v.subject]++;
    for (int s = 0; s < v.slice_count; ++s) out.push_back(v.first_slice + s);
  }
  for (const auto& s : wanted) P2R_CHECK(found.count(s), "subject '" << s << "' is not in the prepared data");
  return out;
}

// Augmentation of labelled slices: milder geometry than pretraining, no intensity reversal.
AugmentConfig labelled_augment() {
  AugmentConfig a;
  a.rotation_deg = 20;
  a.zoom_min = 0.8;
  a.zoom_max = 1.0;
  a.p_reversal = 0;
  return a;
}

// Mean foreground Dice of predictions vs labels over a stack of slices (a 3D-like overlap).
double stack_dice(const torch::Tensor& pred, const torch::Tensor& target) {
  double sum = 0;
  for (int c = 1; c < 4; ++c) {
    auto p = pred == c, t = target == c;
    double inter = (p & t).sum().item<double>(), total = p.sum().item<double>() + t.sum().item<double>();
    sum += total == 0 ? 1.0 : 2 * inter / total;
  }
  return sum / 3;
}

// Features of frozen probe backbones are kept in memory up to this size; beyond it the backbone
// runs at every step (e.g. paper-width backbones on many labelled subjects).
constexpr int64_t kFeatureCacheBytes = int64_t(6) << 30;

// The frozen backbone's features [N, n_ft, S, S] of images [N, 1, S, S], in batches of 16.
torch::Tensor frozen_features(UNet& backbone, const torch::Tensor& images, const std::string& precision) {
  torch::NoGradGuard no_grad;
  PrecisionScope scope(images.device(), precision);
  backbone->eval();
  std::vector<torch::Tensor> parts;
  for (int64_t b = 0; b < images.size(0); b += 16)
    parts.push_back(backbone->forward(images.slice(0, b, std::min<int64_t>(images.size(0), b + 16)))
                        .to(torch::kFloat)
                        .contiguous());
  return parts.empty() ? torch::Tensor() : torch::cat(parts);
}

void write_log(const std::string& path, const SegmentResult& r) {
  write_file_atomically(path, [&](const std::string& tmp) {
    std::ofstream out(tmp);
    out << "epoch,train_loss,val_dice\n";
    for (size_t e = 0; e < r.train_loss.size(); ++e) out << e + 1 << "," << r.train_loss[e] << "," << r.val_dice[e] << "\n";
  });
}

}  // namespace

SegmentResult run_segment_training(const SegmentConfig& input, const SliceSet& data, ProgressSink& progress) {
  SegmentConfig c = input;
  c.validate();
  P2R_CHECK(!c.out_dir.empty(), "no output folder given for the segmentation run");
  if (c.mode != SegmentMode::Supervised) c.model = pretrained_model_config(c.backbone_dir);
  const int divisor = 1 << (c.model.levels - 1);
  P2R_CHECK(data.size % divisor == 0, "slices of " << data.size << " pixels cannot go through a U-Net of "
                                                   << c.model.levels << " levels (need a multiple of " << divisor << ")");
  const torch::Device device = resolve_device(c.device);
  c.precision = resolve_precision(c.precision, device.is_cuda());
  configure_threads(c.threads);
  torch::manual_seed(c.seed);
  ensure_directory(c.out_dir);

  // Labelled slices, split 90/10 into training and validation.
  std::vector<int> slices = labelled_slices(data, c.subjects);
  auto [train_idx, val_idx] = split_train_validation(int(slices.size()), c.val_fraction, c.seed);
  const int64_t S = data.size;
  const auto all_images =
      torch::from_blob(const_cast<float*>(data.images.data()), {data.slice_count(), 1, S, S}, torch::kFloat);
  auto gather = [&](const std::vector<int>& which, torch::Tensor& images, torch::Tensor& labels) {
    std::vector<int64_t> ids;
    for (int i : which) ids.push_back(slices[i]);
    auto idx = torch::tensor(ids, torch::kLong);
    auto all_labels = torch::from_blob(const_cast<uint8_t*>(data.labels.data()), {data.slice_count(), S, S}, torch::kUInt8);
    images = all_images.index_select(0, idx).to(device);
    labels = all_labels.index_select(0, idx).to(torch::kLong).to(device);
  };
  torch::Tensor train_x, train_y, val_x, val_y;
  gather(train_idx, train_x, train_y);
  gather(val_idx, val_x, val_y);

  SegmentationNet net(c.model, kNumClasses);
  if (c.mode != SegmentMode::Supervised) load_pretrained_backbone(c.backbone_dir, net->m_backbone);
  move_to_device(*net, device, c.precision);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  if (c.mode == SegmentMode::Probe) {
    for (auto& p : net->m_backbone->parameters()) p.set_requires_grad(false);
    groups.emplace_back(net->m_head->parameters(), std::make_unique<torch::optim::AdamOptions>(c.lr_head));
  } else if (c.mode == SegmentMode::Finetune) {
    groups.emplace_back(net->m_backbone->parameters(), std::make_unique<torch::optim::AdamOptions>(c.lr_backbone));
    groups.emplace_back(net->m_head->parameters(), std::make_unique<torch::optim::AdamOptions>(c.lr_head));
  } else {
    groups.emplace_back(net->parameters(), std::make_unique<torch::optim::AdamOptions>(c.lr_backbone));
  }
  torch::optim::Adam optimizer(std::move(groups), torch::optim::AdamOptions(c.lr_head));
  // Mean Teacher: the teacher starts as the student (pretrained or random) and follows its EMA.
  SegmentationNet teacher{nullptr};
  if (c.mean_teacher) {
    teacher = SegmentationNet(c.model, kNumClasses);
    move_to_device(*teacher, device, c.precision);
    copy_weights(*teacher, *net);
    for (auto& p : teacher->parameters()) p.set_requires_grad(false);
  }
  SegmentationNet& selected = c.mean_teacher ? teacher : net;  // the model validated and saved
  int64_t global_step = 0;

  c.data_path = recorded_path(c.data_path);  // segment.json names its inputs from any folder
  c.backbone_dir = recorded_path(c.backbone_dir);
  SegmentResult result;
  result.out_dir = c.out_dir;
  result.train_slices = int(train_idx.size());
  result.val_slices = int(val_idx.size());
  const AugmentConfig augment = labelled_augment();
  const int64_t n = train_x.size(0);
  // A probe's backbone is frozen: its features of every labelled slice are computed once (when they
  // fit the budget) and each step warps them (through the head's logits, below) with the slice's
  // spatial augmentation. The intensity
  // augmentation is left out there: the backbone was pretrained to be invariant to it (and equivariant
  // to the spatial one, which is why warping its features stands in for features of a warped slice).
  const bool cached = c.mode == SegmentMode::Probe && int64_t(slices.size()) * c.model.n_ft * S * S *
                                                             int64_t(sizeof(float)) <= kFeatureCacheBytes;
  torch::Tensor train_f, val_f;
  if (cached) {
    train_f = frozen_features(net->m_backbone, train_x, c.precision);
    val_f = frozen_features(net->m_backbone, val_x, c.precision);
  }
  const int64_t steps_per_epoch = (n + c.batch - 1) / c.batch;
  auto t0 = std::chrono::steady_clock::now();
  std::mt19937_64 order_rng(c.seed ^ 0xA11CEull);
  progress.begin(std::string(segment_mode_name(c.mode)) + (c.mean_teacher ? " + mean teacher" : ""), c.epochs);
  double best = -1;
  for (int epoch = 1; epoch <= c.epochs; ++epoch) {
    net->train();
    if (c.mode == SegmentMode::Probe) net->m_backbone->eval();  // frozen: BatchNorm statistics too
    std::vector<int64_t> order(n);
    for (int64_t i = 0; i < n; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), order_rng);
    double loss_sum = 0;
    for (int64_t step = 0; step < steps_per_epoch; ++step) {
      if (progress.cancelled()) {
        progress.end();
        throw Cancelled();
      }
      auto begin = order.begin() + step * c.batch, end = order.begin() + std::min<int64_t>(n, (step + 1) * c.batch);
      auto pick = torch::tensor(std::vector<int64_t>(begin, end), torch::kLong).to(device);
      // [b,1,S,S] images (or [b,n_ft,S,S] cached features), [b,S,S] labels
      auto x = (cached ? train_f : train_x).index_select(0, pick), y = train_y.index_select(0, pick);
      torch::Tensor grid;
      if (c.augment) {
        at::Generator gen = step_generator(c.seed, uint64_t(epoch) * 100003 + step);
        grid = affine_sampling_grid(random_affine(x.size(0), augment, gen), S, S, device);
        if (!cached) x = augment_intensity(warp(x, grid), augment, gen);  // cached features: warped below
        auto onehot = torch::one_hot(y, kNumClasses).permute({0, 3, 1, 2}).to(torch::kFloat);
        y = warp(onehot, grid).argmax(1);  // outside the view: all zeros -> background
      }
      torch::Tensor logits;
      {
        PrecisionScope scope(device, c.precision);  // the forward pass only
        if (cached) {
          // The head is a 1x1 convolution and the bilinear warp is linear with zero padding, so
          // head(warp(f)) = warp(W f) + bias: warping the class logits instead of the n_ft feature
          // channels gives the same logits for a fraction of the work.
          logits = torch::conv2d(x, net->m_head->weight);
          if (grid.defined()) logits = warp(logits, grid);
          logits = logits + net->m_head->bias.view({1, -1, 1, 1});
        } else if (c.mode == SegmentMode::Probe) {
          torch::Tensor features;
          {
            torch::NoGradGuard no_grad;
            features = net->m_backbone(x);
          }
          logits = net->m_head(features);
        } else {
          logits = net->forward(x);
        }
      }
      auto loss = segmentation_loss(logits.to(torch::kFloat), y, c.ce_weight);
      if (c.mean_teacher) {
        // Every slice of the data is an unlabelled candidate (the labelled ones too, as in the original).
        at::Generator gen = step_generator(c.seed ^ 0x7EAC4E7ull, uint64_t(epoch) * 100003 + step);
        auto pick_u = torch::randint(data.slice_count(), {c.unlabelled_batch}, gen, torch::kLong);
        auto x_u = all_images.index_select(0, pick_u).to(device);
        const double ramp = sigmoid_rampup(epoch - 1 + double(step) / double(steps_per_epoch), c.consistency_rampup);
        loss = loss + c.consistency_weight * ramp *
                          mean_teacher_consistency(net, teacher, x_u, augment, gen, c.precision);
      }
      P2R_CHECK(std::isfinite(loss.item<double>()), "non-finite segmentation loss at epoch " << epoch
                                                                                            << " (lower the learning rate)");
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      if (c.mean_teacher) ema_update(*teacher, *net, c.ema_decay, global_step);
      ++global_step;
      loss_sum += loss.item<double>();
    }
    // Model selection on the validation slices.
    selected->eval();
    double dice;
    {
      torch::NoGradGuard no_grad;
      PrecisionScope scope(device, c.precision);
      std::vector<torch::Tensor> preds;
      for (int64_t b = 0; b < val_x.size(0); b += 16) {
        const int64_t e = std::min<int64_t>(val_x.size(0), b + 16);
        preds.push_back((cached ? net->m_head(val_f.slice(0, b, e)) : selected->forward(val_x.slice(0, b, e))).argmax(1));
      }
      dice = stack_dice(torch::cat(preds), val_y);
    }
    result.train_loss.push_back(loss_sum / double(steps_per_epoch));
    result.val_dice.push_back(dice);
    result.epochs_run = epoch;
    if (dice > best) {
      best = dice;
      result.best_epoch = epoch;
      result.best_val_dice = dice;
      save_segmentation_model(segment_model_path(c.out_dir), selected, c.model);
      // With its model: a run that fails before its first model leaves a previous run's files as they were.
      write_file_atomically(segment_config_path(c.out_dir),
                            [&](const std::string& tmp) { std::ofstream(tmp) << segment_config_to_json(c) << "\n"; });
    }
    write_log(segment_log_path(c.out_dir), result);
    std::ostringstream note;
    note.precision(3);
    note << "loss " << result.train_loss.back() << " val Dice " << dice << " (best " << best << " @" << result.best_epoch << ")";
    progress.update(epoch, note.str());
    if (c.stops_after(epoch, result.best_epoch)) break;
  }
  progress.end();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace p2r
