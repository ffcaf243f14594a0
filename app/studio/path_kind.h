#pragma once
// What a path given to the studio (dropped on the window, chosen in a dialog, on the command line)
// holds, so that each opens where it belongs. No GL, no ImGui.
#include <string>
#include <vector>

namespace p2r::studio {

/// Where opened paths go.
enum class PathKind {
  Data,      ///< NIfTI files, a prepared .p2rs file or a dataset folder: the image data
  Backbone,  ///< a pretraining run folder (config.json + checkpoint.pt): pixel embeddings
  Model,     ///< a segmentation run folder (segment.json): the Model panel
  Results,   ///< a benchmark folder or its runs.csv: Benchmark results
};

/// The kind of paths: a single run, segmentation or benchmark folder (or runs.csv) is that;
/// anything else (several paths, files, dataset folders, missing paths) is Data.
PathKind kind_of_paths(const std::vector<std::string>& paths);

}  // namespace p2r::studio
