#pragma once
// Dataset folders prepared once: a folder's slices are kept in the user's cache (prepared/) under a
// key of its files and the preparation settings, and prepared again when either changes (needs ITK).
#include <string>

#include "core/common/progress.h"
#include "core/common/user_cache.h"
#include "core/data/slice_set.h"
#include "core/io/dataset_layout.h"

namespace p2r {

/// What prepare_folder_cached did.
struct PreparedFolder {
  SliceSet slices;
  bool reused = false;     ///< read from the cache
  std::string cache_path;  ///< the cache entry read or written ("" without a usable cache)
};

/// Key (16 hex digits) of dataset prepared with config: its canonical root and layout, every
/// subject's metadata and frames, every image and label file's path, size and modification time,
/// the settings, the prepared-file version and the program's version. Throws p2r::Error naming a file it cannot stat.
std::string prepared_folder_key(const Dataset& dataset, const PrepareConfig& config);

/// The dataset folder at path (scan_dataset, layout and split automatic) prepared with config:
/// read from its user's-cache entry when one of the same key loads, else prepared and saved there
/// (then the cache is trimmed to its cap). A cache that cannot be written is passed over; notice
/// hears about it once per process. Throws like scan_dataset and prepare_dataset; Cancelled from
/// progress.
PreparedFolder prepare_folder_cached(const std::string& path, const PrepareConfig& config, ProgressSink& progress,
                                     const CacheNotice& notice = {});

}  // namespace p2r
