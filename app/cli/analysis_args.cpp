#include "app/cli/analysis_args.h"

#include "app/cli/precision_option.h"

namespace p2r::cli {

void add_store_options(CLI::App* cmd, StoreArgs& a) {
  cmd->add_option("--checkpoint", a.checkpoint, "pretraining run folder (pix2rep pretrain --out)")->required();
  cmd->add_option("--data", a.data, "prepared file (pix2rep prepare)")->required();
  cmd->add_option("--cache", a.cache,
                  "embedding cache file (default: the shared cache, $P2R_CACHE_DIR or $XDG_CACHE_HOME/pix2rep, "
                  "capped at $P2R_CACHE_MAX_GB, default 20)");
  cmd->add_flag("--no-cache", a.no_cache, "keep the embeddings in memory only (no cache file read or written)");
  cmd->add_flag("--rebuild", a.rebuild, "recompute the embeddings even when the cache is valid");
  cmd->add_flag("--verify", a.verify, "re-hash a reused cache's whole content before using it");
  cmd->add_option("--device", a.device, "auto | cpu | cuda (embedding extraction)");
  add_precision_option(cmd, a.precision);
  cmd->add_option("--batch", a.batch, "slices per forward pass");
  cmd->add_option("--threads", a.threads, "CPU threads (0: all cores)");
}

}  // namespace p2r::cli
