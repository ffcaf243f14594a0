// The layers panel: each layer of the image view with visibility, opacity and its own style.
#include <imgui.h>

#include "app/studio/panels.h"
#include "app/studio/studio_session.h"

namespace p2r::studio {

void draw_layers_panel(StudioSession& session) {
  ImageView& view = session.view;
  for (const auto& layer : view.image.layers()) {
    ImGui::PushID(layer.get());
    ImGui::Checkbox("##visible", &layer->visible);
    ImGui::SameLine();
    if (ImGui::CollapsingHeader(layer->name().c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
      ImGui::SliderFloat("opacity", &layer->opacity, 0.f, 1.f, "%.2f");
      layer->draw_controls();
      if (layer->name() == kLabelLayer && session.browser.slice_index() >= 0 &&
          !session.browser.data()->has_label(session.browser.slice_index()))
        ImGui::TextDisabled("(this slice has no labels)");
    }
    ImGui::PopID();
  }
  if (view.image.layers().empty()) ImGui::TextDisabled("no layers yet");
  ImGui::Separator();
  ImGui::SliderFloat("zoom", &view.transform.zoom, 0.25f, 16.f, "%.2fx", ImGuiSliderFlags_Logarithmic);
  if (ImGui::Button("reset view")) view.transform.reset();
  ImGui::TextDisabled("wheel: zoom  drag: pan  right-drag: W/L\ndouble-click: reset  up/down: slice");
}

}  // namespace p2r::studio
