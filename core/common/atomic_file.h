#pragma once
// Atomic file writes: write a temporary file beside the target, then rename it over the target.
#include <functional>
#include <string>

namespace p2r {

/// Calls writer(tmp_path) with a temporary path in path's folder (same extension as path, so
/// format-by-extension writers work), then renames it to path. On any exception the temporary file
/// is removed, path is untouched, and the exception propagates. Throws p2r::Error naming path when
/// the folder is missing or unwritable or the rename fails.
void write_file_atomically(const std::string& path, const std::function<void(const std::string& tmp_path)>& writer);

/// Creates folder (and parents) if needed; throws p2r::Error naming it when that fails.
void ensure_directory(const std::string& folder);

}  // namespace p2r
