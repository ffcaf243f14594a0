#pragma once
// Comma-separated lists: the CLI's list options (--subjects A,B, --sizes 1,5, ...) and figure arguments.
#include <sstream>
#include <string>
#include <vector>

namespace p2r {

/// The non-empty items of a comma-separated list.
inline std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace p2r
