#pragma once
// Recipe overrides of a pretraining preset (`--set KEY=VALUE`): the paper's ablation switches
// (width, features, epochs, intensity reversal, rotation, ...) by name. No Torch.
#include <string>
#include <utility>
#include <vector>

#include "core/train/pretrain_config.h"

namespace p2r {

/// One "KEY=VALUE" override, in the order given.
using RecipeOverride = std::pair<std::string, std::string>;

/// Parses "KEY=VALUE" (KEY one of recipe_keys()); throws p2r::Error naming the text and the keys.
RecipeOverride parse_recipe_override(const std::string& text);

/// The keys an override may set, with what each sets and its allowed values, one per line.
std::string recipe_keys_help();

/// Applies the overrides in order to config; throws p2r::Error naming the key and its allowed values
/// for an unknown key or a value that does not fit (n_ft 0, negative epochs, "maybe" for a switch).
void apply_recipe_overrides(PretrainConfig& config, const std::vector<RecipeOverride>& overrides);

}  // namespace p2r
