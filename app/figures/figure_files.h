#pragma once
// Writing a figure kind's files: the figure (or tables) and its provenance sidecar OUT.json, and
// regenerating them from a sidecar. `pix2rep figure` and the studio's export both run this, so a
// figure exported from the studio is byte for byte the one its sidecar's command writes.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/figures/figure_kinds.h"

namespace p2r::figures {

/// What write_figure_files wrote (absolute or as given paths).
struct FigureFiles {
  std::vector<std::string> outputs;  ///< the figure in each format, or the .csv/.md/.tex tables
  std::string sidecar;               ///< OUT.json
  std::string command;               ///< the command line that regenerates them
};

/// Throws p2r::Error naming path when its folder does not exist or is not writable.
void check_writable_folder(const std::string& path);

/// The options of kind followed by the common ones (--out; figures also --also and --dpi).
std::vector<FigureOption> figure_options(const FigureKind& kind);

/// Every option of figure_options(kind) at its default ("" when it has none).
FigureArgs default_figure_args(const FigureKind& kind);

/// Every figure kind of this build (similarity, equivariance, embedding with FAISS, segmentation, dice, table).
std::vector<FigureKind> all_figure_kinds();

/// The kind called name; throws p2r::Error listing the kinds of this build otherwise.
FigureKind find_figure_kind(const std::string& name);

/// Computes kind on args (paths made absolute), then writes the outputs and the sidecar, each
/// atomically. The output folder is checked before computing. When expected is given (a sidecar's
/// provenance), nothing is written unless the recomputed provenance equals it. Throws p2r::Error.
FigureFiles write_figure_files(const FigureKind& kind, const FigureArgs& args,
                               const nlohmann::ordered_json* expected = nullptr,
                               const std::string& sidecar_source = "");

/// Regenerates the figure recorded in sidecar (to new_out when not empty) after checking that its
/// recorded inputs exist and are unchanged. Throws p2r::Error naming the sidecar.
FigureFiles regenerate_figure(const std::string& sidecar, const std::string& new_out = "");

}  // namespace p2r::figures
