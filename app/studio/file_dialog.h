#pragma once
// Native file dialogs (GTK's file chooser, modal) for opening data, run folders and results.
// No GL, no ImGui; GTK is started on first use only, so scripted runs never touch it.
#include <string>
#include <vector>

namespace p2r::studio {

/// What a dialog asks for.
enum class FileDialogKind {
  DataFiles,   ///< one or more NIfTI files (.nii, .nii.gz) or a prepared file (.p2rs)
  DataFolder,  ///< a dataset folder (ACDC layout or NIfTI files)
  RunFolder,   ///< a pretraining, segmentation or benchmark folder
};

/// The outcome of a dialog: available is false when no native dialog can be shown (a build without
/// GTK, or GTK cannot reach the display); paths is empty when the user cancelled.
struct FileDialogResult {
  bool available = false;
  std::vector<std::string> paths;
};

/// Shows the dialog for kind starting in start_folder ("" = GTK's default) and waits for it.
FileDialogResult choose_paths(FileDialogKind kind, const std::string& start_folder);

}  // namespace p2r::studio
