// The main menu bar: File (open files, folders, the demo, runs; recent data; quit), View (panels,
// reset view), Jobs (the launch forms, the job list), Export (figure window). Items come from
// menu_actions, so scripts run exactly what a click runs.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <string>
#include <vector>

#include "app/studio/data_loader.h"
#include "app/studio/menu_actions.h"
#include "app/studio/panels.h"
#include "app/studio/studio_session.h"

namespace p2r::studio {
namespace {

void draw_recent(StudioSession& session) {
  if (!ImGui::BeginMenu("Open recent", !session.settings.recent.empty())) return;
  for (const std::vector<std::string>& paths : session.settings.recent)
    if (ImGui::MenuItem(sources_description(paths).c_str())) {
      session.open(paths);
      break;  // the list changes once the data opens
    }
  ImGui::EndMenu();
}

void draw_menu(StudioSession& session, const std::string& menu) {
  if (!ImGui::BeginMenu(menu.c_str())) return;
  for (const MenuAction& a : menu_actions()) {
    if (a.menu != menu) continue;
    if (a.separator_before) ImGui::Separator();
    const bool enabled = !a.enabled || a.enabled(session);
    const bool checked = a.checked && a.checked(session);
    if (ImGui::MenuItem(a.item.c_str(), a.shortcut.empty() ? nullptr : a.shortcut.c_str(), checked, enabled))
      a.run(session);
    if (menu == "File" && a.item == "Open demo") draw_recent(session);
  }
  ImGui::EndMenu();
}

// Ctrl+O, Ctrl+E, Ctrl+Q, unless a text field has the keyboard. ImGui 1.86 takes the backend's key
// codes, and GLFW's letter keys are their upper-case ASCII codes.
void handle_shortcuts(StudioSession& session) {
  const ImGuiIO& io = ImGui::GetIO();
  if (!io.KeyCtrl || io.WantTextInput) return;
  for (const MenuAction& a : menu_actions()) {
    if (a.shortcut.size() != 6 || a.shortcut.compare(0, 5, "Ctrl+") != 0) continue;
    const char key = a.shortcut[5];
    if (ImGui::IsKeyPressed(key, false) && (!a.enabled || a.enabled(session)))
      a.run(session);
  }
}

// A path typed by hand: where no native dialog exists, and for paths pasted from elsewhere.
void draw_path_prompt(StudioSession& session) {
  static std::string path;
  if (session.path_prompt) ImGui::OpenPopup("Open path");
  session.path_prompt = false;
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.3f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(display.x - 40.f, 640.f), 0), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal("Open path", nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  ImGui::TextWrapped("NIfTI file(s) (separate several with ';'), a prepared .p2rs file, a dataset folder, "
                     "or a pretraining, segmentation or benchmark folder:");
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(-1);
  const bool enter = ImGui::InputText("##path", &path, ImGuiInputTextFlags_EnterReturnsTrue);
  if ((ImGui::Button("Open") || enter) && !path.empty()) {
    std::vector<std::string> paths;
    for (size_t start = 0; start <= path.size();) {
      const size_t end = std::min(path.find(';', start), path.size());
      if (end > start) paths.push_back(path.substr(start, end - start));
      start = end + 1;
    }
    session.open_any(paths);
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

}  // namespace

void draw_menu_bar(StudioSession& session) {
  if (ImGui::BeginMainMenuBar()) {
    for (const char* menu : {"File", "View", "Jobs", "Export"}) draw_menu(session, menu);
    ImGui::EndMainMenuBar();
  }
  handle_shortcuts(session);
  draw_path_prompt(session);
}

}  // namespace p2r::studio
