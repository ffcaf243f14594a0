#include "core/train/pretrain_recipe.h"

#include <functional>
#include <sstream>
#include <type_traits>

#include "core/common/error.h"

namespace p2r {

namespace {

struct RecipeKey {
  const char* name;
  const char* help;  ///< what it sets and the allowed values
  std::function<void(PretrainConfig&, const std::string& key, const std::string& value)> apply;
};

// value parsed whole as a T > 0 (std::stoi or std::stod), or an error naming key and allowed.
template <class T>
T positive(const std::string& key, const std::string& value, const char* allowed) {
  size_t used = 0;
  T v = 0;
  try {
    if constexpr (std::is_integral_v<T>) v = std::stoi(value, &used);
    else v = std::stod(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  P2R_CHECK(used == value.size() && !value.empty() && v > 0,
            "recipe override " << key << "=" << value << ": expected " << allowed);
  return v;
}

bool on_off(const std::string& key, const std::string& value) {
  P2R_CHECK(value == "on" || value == "off", "recipe override " << key << "=" << value << ": expected on or off");
  return value == "on";
}

const std::vector<RecipeKey>& keys() {
  static const std::vector<RecipeKey> k{
      {"width", "model.base: channels of the first U-Net level (an integer >= 1; paper 64)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.model.base = positive<int>(k, v, "an integer >= 1");
       }},
      {"levels", "model.levels: U-Net resolutions (1..8; paper 6)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.model.levels = positive<int>(k, v, "an integer in 1..8");
         P2R_CHECK(c.model.levels <= 8, "recipe override " << k << "=" << v << ": expected an integer in 1..8");
       }},
      {"n_ft", "model.n_ft: features per pixel of the backbone (an integer >= 1; paper 1024)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.model.n_ft = positive<int>(k, v, "an integer >= 1");
       }},
      {"expand", "model.expand: widen to n_ft by a 1x1 conv after a base-wide last block (on) or by the last 3x3 block (off, paper)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) { c.model.expand = on_off(k, v) ? 1 : 0; }},
      {"proj", "model.proj_dim: projection head width (an integer >= 1; paper 256)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.model.proj_dim = positive<int>(k, v, "an integer >= 1");
       }},
      {"epochs", "epochs of pretraining (an integer >= 1; paper 200)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.epochs = positive<int>(k, v, "an integer >= 1");
       }},
      {"batch", "images per step (an integer >= 1; paper 8)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.batch = positive<int>(k, v, "an integer >= 1");
       }},
      {"lr", "Adam learning rate (a number in (0, 1); paper 5e-4)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.lr = positive<double>(k, v, "a number in (0, 1)");
         P2R_CHECK(c.lr < 1, "recipe override " << k << "=" << v << ": expected a number in (0, 1)");
       }},
      {"samples", "M: InfoNCE pixels sampled per batch (an integer >= 2; paper 1000)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.samples = positive<int>(k, v, "an integer >= 2");
         P2R_CHECK(c.samples >= 2, "recipe override " << k << "=" << v << ": expected an integer >= 2");
       }},
      {"sampling", "where the M InfoNCE pixels come from (batch: anywhere in the batch, as published; image: M / batch from each image)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         P2R_CHECK(v == "batch" || v == "image", "recipe override " << k << "=" << v << ": expected batch or image");
         c.sample_per_image = v == "image";
       }},
      {"bt_pixels", "pix2rep-v2: the pixels of Barlow Twins (all: every valid pixel, as published; sampled: the M pixels InfoNCE draws)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         P2R_CHECK(v == "all" || v == "sampled", "recipe override " << k << "=" << v << ": expected all or sampled");
         c.bt_sampled = v == "sampled";
       }},
      {"proj_bn", "BatchNorm after the projection head's hidden conv (on: as in the official code; off: none)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) { c.model.proj_bn = on_off(k, v) ? 1 : 0; }},
      {"tau", "contrastive temperature (a number > 0; Pix2Rep paper 0.53, SimCLR and Chaitanya et al. 0.1)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.tau = positive<double>(k, v, "a number > 0");
       }},
      {"partitions", "chaitanya: partitions of a volume by slice position (an integer >= 2; paper 4)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.partitions = positive<int>(k, v, "an integer >= 2");
         P2R_CHECK(c.partitions >= 2, "recipe override " << k << "=" << v << ": expected an integer >= 2");
       }},
      {"global_epochs", "chaitanya: epochs of the global stage, the rest local (an integer >= 1; default half)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.global_epochs = positive<int>(k, v, "an integer >= 1");
       }},
      {"local_blocks", "chaitanya: decoder up blocks of the local stage (an integer >= 1, at most levels - 2; paper 3)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.local_blocks = positive<int>(k, v, "an integer >= 1");
       }},
      {"local_grid", "chaitanya: local regions per side of the feature map (an integer >= 2)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.local_grid = positive<int>(k, v, "an integer >= 2");
         P2R_CHECK(c.local_grid >= 2, "recipe override " << k << "=" << v << ": expected an integer >= 2");
       }},
      {"reversal", "intensity reversal x -> 1 - x (on: probability 0.35, as published; off: never)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.augment.p_reversal = on_off(k, v) ? AugmentConfig().p_reversal : 0.0;
       }},
      {"rotation", "random rotation (on: +-90 degrees, as published; off: none)",
       [](PretrainConfig& c, const std::string& k, const std::string& v) {
         c.augment.rotation_deg = on_off(k, v) ? AugmentConfig().rotation_deg : 0.0;
       }},
  };
  return k;
}

std::string key_list() {
  std::string out;
  for (const RecipeKey& k : keys()) out += std::string(out.empty() ? "" : ", ") + k.name;
  return out;
}

}  // namespace

RecipeOverride parse_recipe_override(const std::string& text) {
  const size_t eq = text.find('=');
  P2R_CHECK(eq != std::string::npos && eq > 0 && eq + 1 < text.size(),
            "recipe override '" << text << "': expected KEY=VALUE with KEY one of " << key_list());
  RecipeOverride o{text.substr(0, eq), text.substr(eq + 1)};
  bool known = false;
  for (const RecipeKey& k : keys()) known = known || o.first == k.name;
  P2R_CHECK(known, "recipe override '" << text << "': unknown key '" << o.first << "' (allowed: " << key_list() << ")");
  return o;
}

std::string recipe_keys_help() {
  std::ostringstream out;
  for (const RecipeKey& k : keys()) out << "  " << k.name << ": " << k.help << "\n";
  return out.str();
}

void apply_recipe_overrides(PretrainConfig& config, const std::vector<RecipeOverride>& overrides) {
  for (const RecipeOverride& o : overrides) {
    const RecipeKey* key = nullptr;
    for (const RecipeKey& k : keys())
      if (o.first == k.name) key = &k;
    P2R_CHECK(key, "recipe override '" << o.first << "': unknown key (allowed: " << key_list() << ")");
    key->apply(config, o.first, o.second);
  }
  config.validate();
}

}  // namespace p2r
