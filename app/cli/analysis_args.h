#pragma once
// Command-line options of the analysis subcommands (embed, query, tsne, index, bench query) that name
// the embeddings to open; the inputs themselves are app/figures/analysis_inputs.h.
#include <CLI/CLI.hpp>

#include "app/figures/analysis_inputs.h"

namespace p2r::cli {

using figures::open_store;
using figures::parse_pixel;
using figures::parse_slice_list;
using figures::StoreArgs;

/// Adds the StoreArgs options to cmd (checkpoint and data required).
void add_store_options(CLI::App* cmd, StoreArgs& args);

}  // namespace p2r::cli
