#pragma once
// What the analysis subcommands (embed, query, tsne, index, bench query) and the figure kinds name
// as text: which run, which data, which embedding cache (and opening those embeddings), slice lists
// and pixels.
#include <string>
#include <vector>

#include "core/analysis/embedding_cache.h"
#include "core/data/slice_set.h"

namespace p2r::figures {

/// The embeddings to open: --checkpoint, --data, --cache, --no-cache, --device, --batch, --threads,
/// --rebuild, --verify of the command line or a figure sidecar.
struct StoreArgs {
  std::string checkpoint, data, cache, device = "auto", precision = "auto";
  int batch = 16, threads = 0;
  bool no_cache = false, rebuild = false, verify = false, progress = true;
};

/// Loads the prepared slices, then opens or builds their embeddings (cache: --cache, else the
/// user's shared cache; none with --no-cache), printing what happened and the cache's notices (a
/// build over 1 GB, an unwritable cache folder, evictions) on stderr.
EmbedResult open_store(const StoreArgs& args, SliceSet& data);

/// Parses "1,5,9" or "3-7" or a mix ("0,4-6"); "all" gives every slice of count. Throws p2r::Error.
std::vector<int> parse_slice_list(const std::string& text, int count);

/// "patient001 ED z=4": subject, phase and z of slice s of data (figure titles, the studio's captions).
std::string slice_title(const SliceSet& data, int s);

/// The data index of a slice: slice itself (checked against the data) when subject is empty, else
/// the slice with z = slice of subject's volume of frame ("ED", "ES" or a frame number; may be
/// empty when the subject has one volume). Throws p2r::Error naming what the data has instead.
int find_slice(const SliceSet& data, const std::string& subject, const std::string& frame, int slice);

/// Parses "X,Y" into two ints; throws p2r::Error naming the text.
void parse_pixel(const std::string& text, int& x, int& y);

}  // namespace p2r::figures
