#include "core/model/model_config.h"

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace p2r {
namespace {

struct ModelKey {
  const char* name;
  int ModelConfig::*field;
  bool run;       ///< stored in a pretraining run's config.json
  bool segment;   ///< stored in segment.json
};

// The schema: every key of ModelConfig, in file order.
constexpr ModelKey kModelKeys[] = {
    {"in_channels", &ModelConfig::in_channels, true, true},
    {"base", &ModelConfig::base, true, true},
    {"levels", &ModelConfig::levels, true, true},
    {"n_ft", &ModelConfig::n_ft, true, true},
    {"expand", &ModelConfig::expand, true, true},
    {"proj_dim", &ModelConfig::proj_dim, true, false},
    {"proj_hidden_layers", &ModelConfig::proj_hidden_layers, true, false},
    {"proj_bn", &ModelConfig::proj_bn, true, false},
    {"head_hidden", &ModelConfig::head_hidden, false, true},
};

bool carries(const ModelKey& k, ModelKeys keys) { return keys == ModelKeys::All ? k.run : k.segment; }

const ModelKey* find_key(const std::string& name, ModelKeys keys) {
  for (const ModelKey& k : kModelKeys)
    if (name == k.name && carries(k, keys)) return &k;
  return nullptr;
}

}  // namespace

int* model_config_field(ModelConfig& m, const std::string& key) {
  const ModelKey* k = find_key(key, ModelKeys::All);
  return k ? &(m.*(k->field)) : nullptr;
}

nlohmann::json model_config_to_json(const ModelConfig& m, ModelKeys keys) {
  nlohmann::json j = nlohmann::json::object();
  for (const ModelKey& k : kModelKeys)
    if (carries(k, keys)) j[k.name] = m.*(k.field);
  return j;
}

void overlay_model_config(const nlohmann::json& j, ModelKeys keys, ModelConfigFile file, ModelConfig& m) {
  const bool run = file == ModelConfigFile::RunConfig;
  if (!j.is_object()) {
    if (run) P2R_FAIL("config: 'model' must be an object");
    P2R_FAIL("wrong value type in segmentation config: 'model' must be an object");
  }
  ModelConfig out = m;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const ModelKey* k = find_key(it.key(), keys);
    if (!k) {
      if (run) P2R_FAIL("config: unknown key 'model." << it.key() << "'");
      P2R_FAIL("unknown key 'model." << it.key() << "' in segmentation config");
    }
    try {
      out.*(k->field) = it.value().get<int>();
    } catch (const nlohmann::json::exception& e) {
      if (run) P2R_FAIL("config: 'model." << k->name << "' has the wrong type (" << it.value().dump() << ")");
      P2R_FAIL("wrong value type in segmentation config: " << e.what());
    }
  }
  m = out;
}

}  // namespace p2r
