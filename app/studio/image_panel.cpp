// The image panel: the layered slice view, with arrow keys stepping through slices.
#include <imgui.h>

#include <cmath>

#include "app/studio/panels.h"
#include "app/studio/studio_session.h"

namespace p2r::studio {

void draw_image_panel(StudioSession& session, const ShaderLibrary& shaders) {
  if (!session.browser.data()) {
    ImGui::TextDisabled(session.loading() ? "opening..." : "no data open");
    return;
  }
  if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows)) {
    const int step = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))     ? 1
                     : ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow)) ? -1
                                                                                   : 0;
    if (step) session.browser.select_position(session.browser.position() + step);
  }
  if (!session.embeddings.active()) {
    session.view.draw(shaders);
    return;
  }
  // With a backbone: the view on the left, the similarity column (query, grid) on the right.
  const float width = ImGui::GetContentRegionAvail().x;
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  if (ImGui::BeginChild("##view", ImVec2(std::floor(width * 0.6f), 0), false, fixed)) session.view.draw(shaders);
  ImGui::EndChild();
  ImGui::SameLine();
  // Below it, once embeddings are open, the Embedding section (title and button until a t-SNE is asked for).
  const float height = ImGui::GetContentRegionAvail().y;
  const bool tsne = session.embeddings.ready() || session.tsne.active();
  const float tsne_h = !tsne ? 0.f : session.tsne.active() ? std::floor(height * 0.5f)
                                                : ImGui::GetTextLineHeightWithSpacing() + ImGui::GetFrameHeightWithSpacing() + 4.f;
  ImGui::BeginGroup();
  if (ImGui::BeginChild("##similarity", ImVec2(0, tsne ? height - tsne_h : 0.f), false)) draw_similarity_panel(session);
  ImGui::EndChild();
  if (tsne) {
    if (ImGui::BeginChild("##embedding", ImVec2(0, 0), false, fixed)) draw_embedding_panel(session);
    ImGui::EndChild();
  }
  ImGui::EndGroup();
}

}  // namespace p2r::studio
