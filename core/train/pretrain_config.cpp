#include "core/train/pretrain_config.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/error.h"

namespace p2r {
namespace {

using Json = nlohmann::json;

// Visits every field with (key, reference); the same list drives writing and reading.
template <class V>
void visit_augment(AugmentConfig& a, V&& v) {
  v("p_brightness_contrast", a.p_brightness_contrast);
  v("brightness", a.brightness);
  v("contrast", a.contrast);
  v("p_gamma", a.p_gamma);
  v("log_gamma", a.log_gamma);
  v("p_noise", a.p_noise);
  v("noise_std", a.noise_std);
  v("p_blur", a.p_blur);
  v("blur_sigma_max", a.blur_sigma_max);
  v("p_bias_field", a.p_bias_field);
  v("bias_field", a.bias_field);
  v("p_reversal", a.p_reversal);
  v("rotation_deg", a.rotation_deg);
  v("zoom_min", a.zoom_min);
  v("zoom_max", a.zoom_max);
  v("p_hflip", a.p_hflip);
  v("p_vflip", a.p_vflip);
  v("spatial", a.spatial);
}

template <class V>
void visit_top(PretrainConfig& c, V&& v) {
  v("data_path", c.data_path);
  v("subjects_split", c.subjects_split);
  v("out_dir", c.out_dir);
  v("epochs", c.epochs);
  v("batch", c.batch);
  v("lr", c.lr);
  v("samples", c.samples);
  v("sample_per_image", c.sample_per_image);
  v("tau", c.tau);
  v("bt_lambda", c.bt_lambda);
  v("bt_sampled", c.bt_sampled);
  v("image_proj_dim", c.image_proj_dim);
  v("partitions", c.partitions);
  v("global_epochs", c.global_epochs);
  v("local_blocks", c.local_blocks);
  v("local_grid", c.local_grid);
  v("seed", c.seed);
  v("val_fraction", c.val_fraction);
  v("max_slices", c.max_slices);
  v("device", c.device);
  v("precision", c.precision);
  v("threads", c.threads);
  v("checkpoint_every", c.checkpoint_every);
  v("snapshot_every", c.snapshot_every);
  v("preset", c.preset);
  v("world_size", c.world_size);
  v("global_negatives", c.global_negatives);
  v("sync_batch_norm", c.sync_batch_norm);
}

struct Writer {
  Json& j;
  template <class T>
  void operator()(const char* key, T& value) { j[key] = value; }
};

struct Reader {
  const Json& j;
  std::string where;
  std::set<std::string> known;
  template <class T>
  void operator()(const char* key, T& value) {
    known.insert(key);
    auto it = j.find(key);
    if (it == j.end()) return;
    try {
      value = it->template get<T>();
    } catch (const std::exception&) {
      P2R_FAIL("config: '" << where << key << "' has the wrong type (" << it->dump() << ")");
    }
  }
  void check_unknown() const {
    for (auto it = j.begin(); it != j.end(); ++it)
      if (!known.count(it.key()) && !it.value().is_object())
        P2R_FAIL("config: unknown key '" << where << it.key() << "'");
  }
};

}  // namespace

namespace {

struct MethodName {
  PretrainMethod method;
  const char* name;
};

// The one list of method names, in menu order.
constexpr MethodName kMethodNames[] = {{PretrainMethod::Pix2Rep, "pix2rep"},
                                       {PretrainMethod::Pix2RepV2, "pix2rep-v2"},
                                       {PretrainMethod::SimCLR, "simclr"},
                                       {PretrainMethod::Chaitanya, "chaitanya"}};

}  // namespace

const char* method_name(PretrainMethod method) {
  for (const MethodName& m : kMethodNames)
    if (m.method == method) return m.name;
  P2R_FAIL("unknown pretraining method number " << int(method));
}

PretrainMethod parse_method(const std::string& text) {
  for (const MethodName& m : kMethodNames)
    if (text == m.name) return m.method;
  std::string names;
  for (const std::string& name : pretrain_method_names()) names += (names.empty() ? "" : ", ") + name;
  P2R_FAIL("unknown pretraining method '" << text << "' (expected one of " << names << ")");
}

const std::vector<std::string>& pretrain_method_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const MethodName& m : kMethodNames) out.push_back(m.name);
    return out;
  }();
  return names;
}

int PretrainConfig::local_decoder_blocks() const { return std::min(local_blocks, model.levels - 2); }

int PretrainConfig::global_stage_epochs() const { return global_epochs > 0 ? global_epochs : std::max(1, epochs / 2); }

void PretrainConfig::validate() const {
  const ModelConfig& m = model;
  P2R_CHECK(m.in_channels >= 1, "config: model.in_channels must be >= 1, got " << m.in_channels);
  P2R_CHECK(m.base >= 1, "config: model.base must be >= 1, got " << m.base);
  P2R_CHECK(m.levels >= 1 && m.levels <= 8, "config: model.levels must be in 1..8, got " << m.levels);
  P2R_CHECK(m.n_ft >= 1, "config: model.n_ft must be >= 1, got " << m.n_ft);
  P2R_CHECK(m.expand == 0 || m.expand == 1, "config: model.expand must be 0 or 1, got " << m.expand);
  P2R_CHECK(m.proj_dim >= 1, "config: model.proj_dim must be >= 1, got " << m.proj_dim);
  P2R_CHECK(m.proj_hidden_layers >= 0, "config: model.proj_hidden_layers must be >= 0");
  P2R_CHECK(m.proj_bn == 0 || m.proj_bn == 1, "config: model.proj_bn must be 0 or 1, got " << m.proj_bn);
  P2R_CHECK(epochs >= 1, "config: epochs must be >= 1, got " << epochs);
  P2R_CHECK(batch >= 1, "config: batch must be >= 1, got " << batch);
  P2R_CHECK(lr > 0 && lr < 1, "config: lr must be in (0, 1), got " << lr);
  P2R_CHECK(samples >= 2, "config: samples (M) must be >= 2, got " << samples);
  P2R_CHECK(tau > 0, "config: tau must be > 0, got " << tau);
  P2R_CHECK(bt_lambda >= 0, "config: bt_lambda must be >= 0, got " << bt_lambda);
  P2R_CHECK(val_fraction >= 0 && val_fraction < 1, "config: val_fraction must be in [0, 1), got " << val_fraction);
  P2R_CHECK(max_slices >= 0, "config: max_slices must be >= 0");
  P2R_CHECK(device == "auto" || device == "cpu" || device == "cuda",
            "config: device must be auto, cpu or cuda, got '" << device << "'");
  P2R_CHECK(precision == "auto" || precision == "fp32" || precision == "bf16",
            "config: precision must be auto, fp32 or bf16, got '" << precision << "'");
  P2R_CHECK(threads >= 0, "config: threads must be >= 0");
  P2R_CHECK(checkpoint_every >= 0, "config: checkpoint_every must be >= 0");
  P2R_CHECK(snapshot_every >= 0, "config: snapshot_every must be >= 0");
  P2R_CHECK(world_size >= 1, "config: world_size must be >= 1, got " << world_size);
  P2R_CHECK(subjects_split.empty() || subjects_split == "training" || subjects_split == "testing",
            "config: subjects_split must be training, testing or empty, got '" << subjects_split << "'");
  P2R_CHECK(image_proj_dim >= 1, "config: image_proj_dim must be >= 1, got " << image_proj_dim);
  if (method == PretrainMethod::Chaitanya) {
    P2R_CHECK(partitions >= 2, "config: partitions must be >= 2 for chaitanya (one partition leaves no negatives), got "
                                   << partitions);
    P2R_CHECK(batch >= 2 * partitions, "config: batch " << batch << " cannot hold 2 volumes of " << partitions
                                                        << " partitions for chaitanya (batch must be >= 2 x partitions)");
    P2R_CHECK(model.levels >= 3, "config: model.levels must be >= 3 for chaitanya (its local stage trains decoder "
                                 "blocks below the last), got " << model.levels);
    P2R_CHECK(local_blocks >= 1, "config: local_blocks must be >= 1, got " << local_blocks);
    P2R_CHECK(local_grid >= 2, "config: local_grid must be >= 2 (a region needs other regions as negatives), got "
                                   << local_grid);
    P2R_CHECK(epochs >= 2, "config: epochs must be >= 2 for chaitanya (a global and a local stage), got " << epochs);
    P2R_CHECK(global_epochs >= 0 && global_epochs < epochs,
              "config: global_epochs must be in 0..epochs-1 (0: half of epochs), got " << global_epochs);
  }
  const AugmentConfig& a = augment;
  for (double p : {a.p_brightness_contrast, a.p_gamma, a.p_noise, a.p_blur, a.p_bias_field, a.p_reversal,
                   a.p_hflip, a.p_vflip})
    P2R_CHECK(p >= 0 && p <= 1, "config: augmentation probabilities must be in [0, 1], got " << p);
  P2R_CHECK(a.zoom_min > 0 && a.zoom_min <= a.zoom_max && a.zoom_max <= 1,
            "config: augment zoom must satisfy 0 < zoom_min <= zoom_max <= 1");
  P2R_CHECK(a.blur_sigma_max >= 0.25 && a.blur_sigma_max <= 5, "config: augment.blur_sigma_max must be in [0.25, 5]");
  P2R_CHECK(a.noise_std >= 0 && a.brightness >= 0 && a.contrast >= 0 && a.contrast < 1 && a.log_gamma >= 0 &&
                a.bias_field >= 0 && a.rotation_deg >= 0 && a.rotation_deg <= 180,
            "config: augmentation ranges must be non-negative (contrast < 1, rotation_deg <= 180)");
}

PretrainConfig pretrain_preset(const std::string& name, PretrainMethod method) {
  PretrainConfig c;
  c.method = method;
  c.preset = name;
  c.precision = "auto";  // a new run: bf16 where the device has it (a config.json without the key: fp32)
  if (name == "paper") {
    c.model.base = 64;
    c.model.levels = 6;  // widths 64..2048
    c.model.n_ft = 1024;
    c.model.proj_dim = 256;
    c.model.proj_hidden_layers = 1;
    c.model.proj_bn = 1;  // the official head: Conv1x1-BN-ReLU-Conv1x1
    c.batch = 8;
    c.samples = 1000;
    c.epochs = 200;
    c.lr = 5e-4;
  } else if (name == "cpu-small") {
    // Sized for the 2-core CPU machine (docs/pretraining.md): the bench configuration of the issue
    // (base 16, 6 levels, n_ft 64) at ~1.5 s/step with 2 threads on an idle machine; 214 steps per
    // epoch on the 1712 ACDC training slices, so 10 epochs take about an hour.
    c.model.base = 16;
    c.model.levels = 6;
    c.model.n_ft = 64;
    c.model.proj_dim = 64;
    c.model.proj_hidden_layers = 1;
    c.batch = 8;
    c.samples = 1000;
    c.epochs = 10;
    c.lr = 5e-4;
    c.snapshot_every = 5;
  } else if (name == "cpu") {
    // The best probe found for at most an hour of pretraining on the 80 pool subjects on the 2-core
    // AMX machine (docs/benchmarks.md, the ablation rows): a 5-level base-16 U-Net on 64x64 slices
    // (`prepare --crop motion --size 64`), n_ft 1024 by the cheap 1x1 widening, no intensity
    // reversal; as many epochs as an hour holds in bf16 (docs/benchmarks.md, session 19: the probes
    // still gain from 110 epochs to these): Pix2Rep 170 of ~18-20 s, Pix2Rep-v2, whose sampled
    // epochs take ~15 s, 200 (~54 min); SimCLR and Chaitanya et al. keep 110. On CPUs without bf16
    // units an epoch takes ~80 s in fp32. Otherwise cpu-small.
    c = pretrain_preset("cpu-small", method);
    c.preset = name;
    c.model.levels = 5;
    c.model.n_ft = 1024;
    c.model.expand = 1;
    c.augment.p_reversal = 0;
    c.epochs = method == PretrainMethod::Pix2RepV2 ? 200 : method == PretrainMethod::Pix2Rep ? 170 : 110;
    c.snapshot_every = 10;
    // Barlow Twins over every valid pixel widens whole maps to 1024 features: 570-784 s an epoch
    // here against Pix2Rep's ~31 s; over InfoNCE's M sampled pixels it costs what Pix2Rep costs.
    c.bt_sampled = method == PretrainMethod::Pix2RepV2;
  } else {
    P2R_FAIL("unknown preset '" << name << "' (expected cpu, cpu-small or paper)");
  }
  if (method == PretrainMethod::SimCLR || method == PretrainMethod::Chaitanya) {
    c.tau = 0.1;  // SimCLR's and Chaitanya et al.'s temperature
    c.lr = 1e-3;  // Chaitanya et al.'s Adam learning rate (also for their SimCLR baseline)
  }
  return c;
}

const std::vector<std::string>& pretrain_preset_names() {
  static const std::vector<std::string> names{"cpu", "cpu-small", "paper"};
  return names;
}

std::string pretrain_config_to_json(const PretrainConfig& config) {
  PretrainConfig c = config;
  Json j;
  j["method"] = method_name(c.method);
  visit_top(c, Writer{j});
  Json ja;
  visit_augment(c.augment, Writer{ja});
  j["model"] = model_config_to_json(c.model, ModelKeys::All);
  j["augment"] = ja;
  return j.dump(2);
}

PretrainConfig pretrain_config_from_json(const std::string& json_text, const PretrainConfig& base) {
  Json j;
  try {
    j = Json::parse(json_text);
  } catch (const std::exception& e) {
    P2R_FAIL("config: malformed JSON: " << e.what());
  }
  P2R_CHECK(j.is_object(), "config: expected a JSON object");
  PretrainConfig c = base;
  Reader top{j, "", {"method", "model", "augment", "version", "code_version"}};
  visit_top(c, top);
  top.check_unknown();
  for (auto it = j.begin(); it != j.end(); ++it)
    P2R_CHECK(!it.value().is_object() || it.key() == "model" || it.key() == "augment",
              "config: unknown section '" << it.key() << "'");
  if (j.contains("method")) {
    P2R_CHECK(j["method"].is_string(), "config: 'method' must be a string");
    c.method = parse_method(j["method"].get<std::string>());
  }
  if (j.contains("model")) overlay_model_config(j["model"], ModelKeys::All, ModelConfigFile::RunConfig, c.model);
  if (j.contains("augment")) {
    P2R_CHECK(j["augment"].is_object(), "config: 'augment' must be an object");
    Reader r{j["augment"], "augment.", {}};
    visit_augment(c.augment, r);
    r.check_unknown();
  }
  return c;
}

PretrainConfig load_pretrain_config(const std::string& path, const PretrainConfig& base) {
  std::ifstream in(path);
  P2R_CHECK(in.good(), "cannot read config file " << path);
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return pretrain_config_from_json(ss.str(), base);
  } catch (const Error& e) {
    P2R_FAIL(path << ": " << e.message());
  }
}

void save_pretrain_config(const std::string& path, const PretrainConfig& config) {
  write_file_atomically(path, [&](const std::string& tmp) {
    std::ofstream out(tmp);
    out << pretrain_config_to_json(config);
    out.close();
    P2R_CHECK(out.good(), path << ": write failed");
  });
}

}  // namespace p2r
