#pragma once
// The prepared file: one versioned binary file with all slices, labels and provenance.
#include <string>

#include "core/data/slice_set.h"

namespace p2r {

/// Version of the prepared-file format written by this build.
constexpr int kSliceCacheVersion = 1;

/// Writes set to path atomically (temporary file beside it, then rename). Throws p2r::Error naming
/// the path when it cannot be written; an existing file at path is left intact on failure.
void save_slice_set(const std::string& path, const SliceSet& set);

/// Reads a prepared file. Throws p2r::Error naming the path for a missing file, a file of another
/// kind or version, a truncated file or a checksum mismatch.
SliceSet load_slice_set(const std::string& path);

}  // namespace p2r
