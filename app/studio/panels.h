#pragma once
// The studio's windows, one draw function each (ImGui, main thread). Each draws inside a window the
// caller placed (see studio_layout.h).
#include <string>

namespace p2r::studio {

class StudioSession;
class ShaderLibrary;

/// Data source (open a path, the demo), loading progress, errors, subjects, frames, slice.
void draw_dataset_panel(StudioSession& session);
/// Layers of the image view: visibility, opacity, style; view zoom.
void draw_layers_panel(StudioSession& session);
/// The image view.
void draw_image_panel(StudioSession& session, const ShaderLibrary& shaders);
/// Scribbles (View > Scribbles, under Layers): brush class, eraser, size, undo / redo (also Ctrl+Z /
/// Ctrl+Y), the classes' names and colours, save / load, the live classifier's state, Save
/// classifier, Open classifier, Apply to the dataset (scribble_panel.cpp).
void draw_scribble_panel(StudioSession& session);
/// Training jobs: launch forms, the selected job's progress, curves and errors, the job list.
void draw_jobs_panel(StudioSession& session);
/// The segmentation model: open a run folder, segment the shown volume, per-structure Dice.
void draw_model_panel(StudioSession& session);
/// "Open backbone..." (a pretraining run whose embeddings the pixel query uses), in the Dataset panel.
void draw_backbone_button(StudioSession& session);
/// Beside the image view once a backbone is asked for: embedding progress / errors, the query,
/// and the grid of comparison slices with their best matches (similarity_panel.cpp).
void draw_similarity_panel(StudioSession& session);
/// In the similarity column once embeddings are open: the Equivariance error layers' switch, phi
/// (rotation, scale, flip), progress, error and the maps' means (equivariance_panel.cpp).
void draw_equivariance_controls(StudioSession& session);
/// Below the similarity column once embeddings are open: Compute t-SNE, progress, the scatter with
/// its linked selection (embedding_panel.cpp).
void draw_embedding_panel(StudioSession& session);
/// "Benchmark results" at the bottom of the Model panel: open a benchmark folder (results_panel.cpp).
void draw_results_opener(StudioSession& session);
/// The floating "Benchmark results" window once results are open: table and Dice plot of the
/// shown metric and space, Export buttons (results_panel.cpp).
void draw_results_window(StudioSession& session);
/// The floating Export figure window while exporter.window_open: kind, file, formats, Export
/// (export_panel.cpp).
void draw_export_window(StudioSession& session);
/// The main menu bar (File, View, Jobs, Export from menu_actions, File's recent list), its keyboard
/// shortcuts and the typed-path prompt (menu_bar.cpp).
void draw_menu_bar(StudioSession& session);
/// Draws error in red with a dismiss button (label dismiss_id, e.g. "dismiss##model") that clears it;
/// nothing when error is empty (error_text.cpp).
void draw_dismissable_error(std::string& error, const char* dismiss_id);
/// One line at the bottom: hovered pixel, zoom, data summary; show_fps off for scripted runs.
void draw_status_bar(const StudioSession& session, bool show_fps);

}  // namespace p2r::studio
