#include "app/studio/menu_actions.h"

#include <filesystem>

#include "app/studio/file_dialog.h"
#include "app/studio/studio_session.h"
#include "core/common/error.h"

namespace p2r::studio {
namespace {

// A native dialog for kind, then the chosen paths open where they belong; without a native
// dialog the typed-path prompt opens instead (menu_bar.cpp); a cancelled dialog changes nothing.
void open_with_dialog(StudioSession& session, FileDialogKind kind) {
  std::string start;
  if (!session.settings.recent.empty())
    start = std::filesystem::path(session.settings.recent.front().front()).parent_path().string();
  const FileDialogResult chosen = choose_paths(kind, start);
  if (!chosen.available) session.path_prompt = true;
  else if (!chosen.paths.empty()) session.open_any(chosen.paths);
}

bool has_data(const StudioSession& s) { return s.browser.data() != nullptr; }

}  // namespace

const std::vector<MenuAction>& menu_actions() {
  using S = StudioSession;
  static const std::vector<MenuAction> actions = {
      {"File", "Open files...", "Ctrl+O", nullptr, nullptr, [](S& s) { open_with_dialog(s, FileDialogKind::DataFiles); }},
      {"File", "Open folder...", "", nullptr, nullptr, [](S& s) { open_with_dialog(s, FileDialogKind::DataFolder); }},
      {"File", "Open path...", "", nullptr, nullptr, [](S& s) { s.path_prompt = true; }},
      {"File", "Open demo", "", nullptr, nullptr, [](S& s) { s.open({}); }},
      {"File", "Open backbone, model or results...", "", nullptr, nullptr,
       [](S& s) { open_with_dialog(s, FileDialogKind::RunFolder); }, true},
      {"File", "Quit", "Ctrl+Q", nullptr, nullptr, [](S& s) { s.quit_requested = true; }, true},
      {"View", "Side panels", "", nullptr, [](const S& s) { return s.show_side_panels; },
       [](S& s) { s.show_side_panels = !s.show_side_panels; }},
      {"View", "Jobs and model column", "", nullptr, [](const S& s) { return s.show_tools; },
       [](S& s) { s.show_tools = !s.show_tools; }},
      {"View", "Scribbles", "", nullptr, [](const S& s) { return s.scribble_mode; },
       [](S& s) { s.scribble_mode = !s.scribble_mode, s.show_side_panels |= s.scribble_mode; }},
      {"View", "Native resolution", "", nullptr, [](const S& s) { return s.native_view; },
       [](S& s) { s.native_view = !s.native_view; }, true},
      {"View", "Reset view", "", has_data, nullptr, [](S& s) { s.view.transform.reset(); }},
      {"Jobs", "Pretrain...", "", nullptr, nullptr,
       [](S& s) { s.show_tools = true, s.jobs.show_tab = StudioJobs::Tab::Pretrain; }},
      {"Jobs", "Segment...", "", nullptr, nullptr,
       [](S& s) { s.show_tools = true, s.jobs.show_tab = StudioJobs::Tab::Segment; }},
      {"Jobs", "Job list", "", nullptr, nullptr, [](S& s) { s.show_tools = true, s.jobs.show_tab = StudioJobs::Tab::Jobs; }},
      {"Export", "Figure...", "Ctrl+E", nullptr, nullptr, [](S& s) { s.exporter.window_open = true; }},
  };
  return actions;
}

void run_menu_action(StudioSession& session, const std::string& path) {
  std::string known;
  for (const MenuAction& a : menu_actions()) {
    const std::string name = a.menu + "/" + a.item;
    if (name == path) {
      P2R_CHECK(!a.enabled || a.enabled(session), "menu item " << path << " is disabled now");
      a.run(session);
      return;
    }
    known += (known.empty() ? "" : ", ") + name;
  }
  P2R_FAIL("no menu item '" << path << "' (known: " << known << ")");
}

}  // namespace p2r::studio
