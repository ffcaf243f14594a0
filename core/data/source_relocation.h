#pragma once
// Prepared data whose source dataset folder moved: its recorded image and label paths re-rooted.
#include <string>

#include "core/data/slice_set.h"

namespace p2r {

/// Takes every image and label path that set records under set.source_root from new_root instead
/// (and makes new_root, canonical, the source root). Throws p2r::Error naming new_root when it is
/// not a folder, or naming a label file the moved dataset lacks.
void relocate_sources(SliceSet& set, const std::string& new_root);

/// Throws p2r::Error naming the first labelled volume's label file that does not exist, with the
/// hint to give the dataset's new folder with --source.
void check_label_files_exist(const SliceSet& set);

}  // namespace p2r
