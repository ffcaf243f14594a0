// The equivariance controls in the similarity column: a switch for the "Equivariance error" and
// "Reversal error" layers of the shown slice, phi (rotation, scale, horizontal flip), progress,
// error and the means of the shown maps.
#include <imgui.h>

#include "app/studio/panels.h"
#include "app/studio/studio_session.h"

namespace p2r::studio {

void draw_equivariance_controls(StudioSession& session) {
  EquivarianceView& eq = session.equivariance;
  bool on = eq.enabled();
  if (ImGui::Checkbox("Equivariance error", &on)) eq.set_enabled(on);
  if (on && eq.busy()) {
    ImGui::SameLine();
    ImGui::TextDisabled("computing...");
  }
  if (on) {
    // phi changes when a slider is released, so dragging does not start a computation per frame.
    static SpatialTransform edited;
    static bool editing = false;
    if (!editing) edited = eq.phi;
    float rotation = float(edited.rotation_deg), scale = float(edited.scale);
    ImGui::SetNextItemWidth(120);
    if (ImGui::SliderFloat("##eq_rotation", &rotation, -180.f, 180.f, "rotate %.0f deg")) edited.rotation_deg = rotation;
    const bool rotation_done = ImGui::IsItemDeactivatedAfterEdit();
    editing = ImGui::IsItemActive();
    ImGui::SameLine();
    ImGui::SetNextItemWidth(100);
    if (ImGui::SliderFloat("##eq_scale", &scale, 0.5f, 1.5f, "scale %.2f")) edited.scale = scale;
    const bool scale_done = ImGui::IsItemDeactivatedAfterEdit();
    editing = editing || ImGui::IsItemActive();
    ImGui::SameLine();
    const bool flip_done = ImGui::Checkbox("flip", &edited.flip);
    if (rotation_done || scale_done || flip_done) eq.phi = edited;
    if (eq.maps()) ImGui::TextWrapped("%s", eq.summary().c_str());
  }
  draw_dismissable_error(eq.error, "dismiss##equivariance");
  ImGui::Separator();
}

}  // namespace p2r::studio
