#pragma once
// Settings of self-supervised pretraining (Pix2Rep, Pix2Rep-v2, SimCLR, Chaitanya et al.): plain
// struct, presets, JSON, validation. No Torch.
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/model_config.h"

namespace p2r {

/// Which self-supervised objective to pretrain with.
enum class PretrainMethod {
  Pix2Rep,    ///< symmetric pixel InfoNCE over M sampled valid pixels
  Pix2RepV2,  ///< Barlow Twins on the d x d cross-correlation of all valid pixels (or M sampled: bt_sampled)
  SimCLR,     ///< NT-Xent of pooled encoder features of two augmented views (encoder only)
  Chaitanya,  ///< Chaitanya et al. 2020: global partition contrast (encoder), then local contrast (decoder)
};
/// "pix2rep" / "pix2rep-v2" / "simclr" / "chaitanya".
const char* method_name(PretrainMethod method);
/// Parses a name of pretrain_method_names(); throws p2r::Error listing them otherwise.
PretrainMethod parse_method(const std::string& text);
/// Every method's name, in menu order.
const std::vector<std::string>& pretrain_method_names();

/// Probabilities and ranges of the batched augmentations (defaults: published configuration).
struct AugmentConfig {
  double p_brightness_contrast = 0.8;
  double brightness = 0.1;          ///< additive shift in [-b, b]
  double contrast = 0.2;            ///< multiplicative factor in [1-c, 1+c]
  double p_gamma = 0.9;
  double log_gamma = 0.3;           ///< gamma = exp(U(-g, g))
  double p_noise = 0.3;
  double noise_std = 0.05;          ///< sigma = U(0, noise_std)
  double p_blur = 0.5;
  double blur_sigma_max = 1.0;      ///< pixels; sigma = U(0.25, max)
  double p_bias_field = 0.75;
  double bias_field = 0.3;          ///< cubic polynomial coefficients in [-c, c], field = exp(poly)
  double p_reversal = 0.35;         ///< x -> 1 - x
  double rotation_deg = 90.0;       ///< rotation in [-r, r]
  double zoom_min = 0.33, zoom_max = 0.95;  ///< crop side relative to the image
  double p_hflip = 0.5, p_vflip = 0.5;
  bool spatial = true;              ///< false: identity transform (tests, ablations)
};

/// Everything that defines a pretraining run; stored as config.json in its output folder.
struct PretrainConfig {
  PretrainMethod method = PretrainMethod::Pix2Rep;
  ModelConfig model;
  AugmentConfig augment;
  std::string data_path;        ///< prepared file (pix2rep prepare)
  std::string subjects_split = "training";  ///< volumes used: "training", "testing" or "" (all)
  std::string out_dir;          ///< checkpoint folder
  int epochs = 200;
  int batch = 8;
  double lr = 5e-4;
  int samples = 1000;           ///< M: InfoNCE pixels sampled per batch
  bool sample_per_image = false;  ///< InfoNCE: M / batch pixels from each image instead of M over the batch
  double tau = 0.53;            ///< contrastive temperature (presets: 0.53 Pix2Rep, 0.1 SimCLR / Chaitanya)
  double bt_lambda = 5e-3;      ///< Barlow Twins off-diagonal weight
  /// Barlow Twins over the M pixels InfoNCE would draw (samples, sample_per_image) instead of every
  /// valid pixel (published); the `cpu` preset's Pix2Rep-v2, whose whole-map widening a CPU cannot pay
  bool bt_sampled = false;
  int image_proj_dim = 128;     ///< SimCLR / Chaitanya: output width of the MLP head on pooled encoder features
  int partitions = 4;           ///< Chaitanya: partitions of a volume by relative slice position (batch = volumes x partitions)
  /// Chaitanya: epochs of the global stage (the rest are the local stage); 0: half of epochs,
  /// resolved when the run starts and recorded so in config.json
  int global_epochs = 0;
  int local_blocks = 3;         ///< Chaitanya: decoder up blocks trained by the local loss (at most levels - 2)
  int local_grid = 3;           ///< Chaitanya: local regions per side (local_grid^2 3x3 regions per feature map)
  uint64_t seed = 0;
  double val_fraction = 0.1;    ///< share of slices held out for the validation loss
  int max_slices = 0;           ///< > 0: use only this many training slices (quick runs)
  std::string device = "auto";  ///< auto / cpu / cuda
  /// "fp32", or "bf16": the network's forward pass under bfloat16 autocast on the training device
  /// (weights, gradients, Adam and the loss stay fp32); "auto" (the presets): bf16 where the device
  /// has it (resolve_precision), resolved when the run starts and recorded so in config.json
  std::string precision = "fp32";
  int threads = 0;              ///< intra-op threads; 0: all cores
  int checkpoint_every = 0;     ///< also checkpoint every this many steps (0: at epoch ends only)
  /// > 0: keep the backbone every this many epochs as a snapshot (snapshot_path: what the
  /// embeddings were at that epoch); 0: none
  int snapshot_every = 0;
  std::string preset = "";      ///< name of the preset it started from (informative)
  /// Processes of the latest data-parallel (re)start (informative; `batch` is the global batch at
  /// any world size: docs/distributed.md)
  int world_size = 1;
  bool global_negatives = true;   ///< InfoNCE over processes: every process's sampled pixels are negatives (all-gather)
  bool sync_batch_norm = false;   ///< over processes: BatchNorm statistics of the global batch; false: of each process's part (as DDP)

  /// Throws p2r::Error naming the first invalid field.
  void validate() const;
  /// Chaitanya: the decoder up blocks the local stage trains, min(local_blocks, levels - 2).
  int local_decoder_blocks() const;
  /// Chaitanya: epochs of the global stage (global_epochs, or half of epochs when it is 0).
  int global_stage_epochs() const;
};

/// "paper": published settings; "cpu": the best probe found for <= 1 h of pretraining on 2 CPU
/// cores (64x64 slices); "cpu-small": the first CPU size (tests). SimCLR and Chaitanya get their
/// papers' temperature (0.1) and learning rate (1e-3). Throws p2r::Error for an unknown name.
PretrainConfig pretrain_preset(const std::string& name, PretrainMethod method);

/// The names pretrain_preset knows, in menu order.
const std::vector<std::string>& pretrain_preset_names();

/// Full config as pretty JSON text.
std::string pretrain_config_to_json(const PretrainConfig& config);
/// Overlays the fields present in json_text onto base (nested objects "model", "augment");
/// throws p2r::Error for malformed JSON, unknown keys or wrong value types.
PretrainConfig pretrain_config_from_json(const std::string& json_text, const PretrainConfig& base);
/// Reads a JSON file and overlays it onto base; throws p2r::Error naming the file.
PretrainConfig load_pretrain_config(const std::string& path, const PretrainConfig& base);
/// Writes config as JSON (pretrain_config_to_json) to path atomically; throws p2r::Error naming the file.
void save_pretrain_config(const std::string& path, const PretrainConfig& config);

}  // namespace p2r
