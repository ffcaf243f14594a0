#pragma once
// Options shared by the analysis subcommands (embed, query, tsne, index, bench query): which run,
// which data, which embedding cache; and opening the embeddings they name.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/analysis/embedding_cache.h"
#include "core/data/slice_set.h"

namespace p2r::cli {

/// --checkpoint, --data, --cache, --no-cache, --device, --batch, --threads, --rebuild, --verify.
struct StoreArgs {
  std::string checkpoint, data, cache, device = "auto";
  int batch = 16, threads = 0;
  bool no_cache = false, rebuild = false, verify = false, progress = true;
};

/// Adds the StoreArgs options to cmd (checkpoint and data required).
void add_store_options(CLI::App* cmd, StoreArgs& args);

/// Loads the prepared slices, then opens or builds their embeddings (cache default:
/// RUN_DIR/embeddings/<data file stem>.p2re), printing what happened on stderr.
EmbedResult open_store(const StoreArgs& args, SliceSet& data);

/// Parses "1,5,9" or "3-7" or a mix ("0,4-6"); "all" gives every slice of count. Throws p2r::Error.
std::vector<int> parse_slice_list(const std::string& text, int count);

/// Parses "X,Y" into two ints; throws p2r::Error naming the text.
void parse_pixel(const std::string& text, int& x, int& y);

/// sRGB8 colour of t in [0, 1] (clamped) on a perceptual blue-green-yellow (viridis-like) ramp.
void ramp_colour(float t, uint8_t rgb[3]);

}  // namespace p2r::cli
