#pragma once
// Paths recorded in output files: absolute, so that they still name the same file from any folder.
#include <string>

namespace p2r {

/// path made absolute: canonical (symbolic links and ".." resolved) when it exists, else absolute
/// and lexically normal. "" stays "", and so does text that is not a path ("phantom:3").
std::string recorded_path(const std::string& path);

}  // namespace p2r
