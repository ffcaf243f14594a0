#pragma once
// U-Net backbone and projection head sizes: the struct, its one key list (the schema shared by
// config.json, segment.json, CLI flags and studio scripts) and its one JSON parser. No Torch.
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace p2r {

/// U-Net backbone and projection head sizes.
struct ModelConfig {
  int in_channels = 1;
  int base = 16;               ///< channels of the first level; level i has base * 2^i
  int levels = 6;              ///< resolutions (paper: 6, widths 64..2048)
  int n_ft = 64;               ///< backbone output features per pixel
  /// 0: the last DoubleConv outputs n_ft (paper); 1: it keeps `base` channels and a 1x1
  /// conv-BN-ReLU widens them to n_ft (wide features for a small fraction of the 3x3 cost).
  int expand = 0;
  int proj_dim = 64;           ///< projection head width and output size
  int proj_hidden_layers = 1;  ///< hidden 1x1-conv layers of the head (paper: 1)
  int proj_bn = 0;             ///< 1: BatchNorm after each hidden conv of the head (official code); 0: none
  /// Segmentation head: 0: one 1x1 conv (linear); H > 0: 1x1 conv to H - ReLU - 1x1 conv (scribble
  /// classifiers). A key of segment.json only.
  int head_hidden = 0;
};

/// Which keys a file carries: a pretraining run's config.json all but head_hidden (All),
/// segment.json the backbone's (in_channels, base, levels, n_ft, expand) and head_hidden (Backbone).
enum class ModelKeys { All, Backbone };

/// The file a "model" object is read from: its error messages keep that file's wording.
enum class ModelConfigFile { RunConfig, SegmentConfig };

/// The integer field of m named key (a key of ModelKeys::All); nullptr for any other key.
int* model_config_field(ModelConfig& m, const std::string& key);

/// The fields of `keys` as a JSON object ({"base": 16, ...}).
nlohmann::json model_config_to_json(const ModelConfig& m, ModelKeys keys);

/// Overlays the fields present in the JSON object j onto m (absent fields keep their values);
/// throws p2r::Error, worded as `file` words it, for a non-object, a key outside `keys` or a
/// value of the wrong type.
void overlay_model_config(const nlohmann::json& j, ModelKeys keys, ModelConfigFile file, ModelConfig& m);

}  // namespace p2r
