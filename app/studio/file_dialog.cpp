#include "app/studio/file_dialog.h"

#ifdef PIX2REP_HAS_GTK
#include <gtk/gtk.h>
#endif

namespace p2r::studio {

#ifdef PIX2REP_HAS_GTK
namespace {

// GTK on its own X connection, started once; its locale stays the process's ("C" numbers).
bool gtk_started() {
  static const bool started = [] {
    gtk_disable_setlocale();
    return gtk_init_check(nullptr, nullptr) != FALSE;
  }();
  return started;
}

void add_filter(GtkFileChooser* chooser, const char* name, std::initializer_list<const char*> patterns) {
  GtkFileFilter* filter = gtk_file_filter_new();
  gtk_file_filter_set_name(filter, name);
  for (const char* p : patterns) gtk_file_filter_add_pattern(filter, p);
  gtk_file_chooser_add_filter(chooser, filter);  // the chooser takes ownership
}

}  // namespace

FileDialogResult choose_paths(FileDialogKind kind, const std::string& start_folder) {
  FileDialogResult result;
  if (!gtk_started()) return result;
  result.available = true;
  const bool files = kind == FileDialogKind::DataFiles;
  const char* title = files ? "Open NIfTI or prepared files"
                      : kind == FileDialogKind::DataFolder ? "Open a dataset folder"
                                                           : "Open a run or benchmark folder";
  GtkWidget* dialog = gtk_file_chooser_dialog_new(
      title, nullptr, files ? GTK_FILE_CHOOSER_ACTION_OPEN : GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, "_Cancel",
      GTK_RESPONSE_CANCEL, "_Open", GTK_RESPONSE_ACCEPT, nullptr);
  GtkFileChooser* chooser = GTK_FILE_CHOOSER(dialog);
  gtk_file_chooser_set_select_multiple(chooser, files);
  if (files) {
    add_filter(chooser, "Images (NIfTI, prepared)", {"*.nii", "*.nii.gz", "*.p2rs"});
    add_filter(chooser, "All files", {"*"});
  }
  if (!start_folder.empty()) gtk_file_chooser_set_current_folder(chooser, start_folder.c_str());
  if (gtk_dialog_run(GTK_DIALOG(dialog)) == GTK_RESPONSE_ACCEPT) {
    GSList* chosen = gtk_file_chooser_get_filenames(chooser);
    for (GSList* it = chosen; it; it = it->next) {
      result.paths.emplace_back(static_cast<const char*>(it->data));
      g_free(it->data);
    }
    g_slist_free(chosen);
  }
  gtk_widget_destroy(dialog);
  while (gtk_events_pending()) gtk_main_iteration();  // let the dialog's window go away now
  return result;
}

#else

FileDialogResult choose_paths(FileDialogKind, const std::string&) { return {}; }

#endif

}  // namespace p2r::studio
