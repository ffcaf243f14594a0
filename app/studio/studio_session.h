#pragma once
// The studio's document: what is open, what is selected, the image view's layers and the last
// error to show. Panels and the script runner act on it; main thread only (loading runs on a worker).
#include <set>
#include <string>
#include <vector>

#include "app/studio/backbone_snapshots.h"
#include "app/studio/benchmark_results.h"
#include "app/studio/data_loader.h"
#include "app/studio/dataset_browser.h"
#include "app/studio/embedding_state.h"
#include "app/studio/equivariance_view.h"
#include "app/studio/figure_exporter.h"
#include "app/studio/frame_stats.h"
#include "app/studio/image_view.h"
#include "app/studio/model_state.h"
#include "app/studio/scribble_canvas.h"
#include "app/studio/scribble_training.h"
#include "app/studio/similarity_query.h"
#include "app/studio/source_slices.h"
#include "app/studio/studio_settings.h"
#include "app/studio/studio_jobs.h"
#include "app/studio/tsne_view.h"
#include "app/studio/view_grid.h"

namespace p2r::studio {

class ShaderLibrary;

/// Names of the layers the session keeps in sync with the selected slice.
inline constexpr const char* kImageLayer = "image";
inline constexpr const char* kLabelLayer = "ground truth";
/// The strokes of the shown slice, on its source grid, drawn on top of every layer.
inline constexpr const char* kScribbleLayer = "scribbles";

class StudioSession {
 public:
  DatasetBrowser browser;
  DataLoader loader;
  ImageView view;
  /// Last error, shown in the window until dismissed; empty when none.
  std::string error;
  /// What is open ("built-in demo" or a path), empty before the first load finishes.
  std::string source;
  /// The prepared file holding the open data ("" when it was prepared in memory from a folder).
  std::string prepared_file;
  double last_load_seconds = 0;
  /// The compiled shaders (set by the app once GL is up; scripts render offscreen with them).
  const ShaderLibrary* shaders = nullptr;
  /// Training jobs (Jobs panel) and the open segmentation model with its predictions (Model panel).
  StudioJobs jobs;
  ModelState model;
  /// A benchmark's results opened from the Model panel ("Benchmark results" window).
  BenchmarkResults results;
  /// Pixel embeddings of the open data under a pretraining run, and the pixel query on them.
  EmbeddingState embeddings;
  SimilarityQuery query;
  /// The snapshots of the backbone's run and the one embedded with (epoch slider).
  BackboneSnapshots snapshots;
  /// t-SNE / PCA views of the embeddings of the shown volume (Embedding section).
  TsneView tsne;
  /// The backbone's equivariance / reversal error layers of the shown slice (similarity column).
  EquivarianceView equivariance;
  /// Exporting what is shown as a figure (Export section, script export_figure).
  FigureExporter exporter;
  /// Scribbles on the original grids, and the classifier each stroke retrains (Scribbles panel).
  /// scribble_mode: the panel is shown and left drags in the image paint.
  ScribbleCanvas scribbles;
  ScribbleTraining scribble_training;
  bool scribble_mode = false;
  /// Native view (source slice on its own grid, scanner intensities, prepared-space layers placed
  /// at their crop) when the source files can be read; else, or when off, the prepared slice.
  bool native_view = true;
  /// How view coordinates map to prepared pixels for the shown slice, and why the native view
  /// is not shown although asked for ("" when it is, or not asked for).
  ViewGrid grid;
  std::string native_problem;
  /// Source slices read for the native view (the last file kept).
  SourceSlices sources;
  /// Whether the right column (Jobs, Model) and the left panels (Dataset, Layers) are shown.
  bool show_tools = false;
  bool show_side_panels = true;
  /// The typed-path prompt is open (File > Open path..., or no native file dialog).
  bool path_prompt = false;
  /// File > Quit was chosen: the window closes after this frame.
  bool quit_requested = false;
  /// Frame times recorded on request (script: frame_stats).
  FrameStats frame_stats;
  /// Window size and recent data between launches; kept at settings_path ("" in scripted runs:
  /// nothing read or written). A failure to save is reported once in error.
  StudioSettings settings;
  std::string settings_path;

  /// Starts opening paths (none = the built-in demo; see load_slices) in the background; keeps the
  /// current data until the new data is ready (nothing open is lost when it fails).
  void open(const std::vector<std::string>& paths);
  /// Opens paths where they belong (kind_of_paths): data, a backbone, a model or benchmark results;
  /// what drops on the window, file dialogs and the command line go through here.
  void open_any(const std::vector<std::string>& paths);
  /// Once per frame: takes a finished load and refreshes the layers when the selection changed.
  void update();
  bool loading() const { return loader.busy(); }
  /// True while a job or a model task runs (the idle loop then wakes a few times a second).
  bool working() const {
    return jobs.busy() || model.busy() || embeddings.busy() || tsne.busy() || exporter.busy() || equivariance.busy() ||
           scribble_training.busy() || query.busy() || !query.grid_current();
  }
  /// Queries pixel (x, y) of the shown slice (ignored without embeddings) and updates its maps now.
  void query_at(int x, int y);
  /// True when data is open and no load is running.
  bool ready() const { return browser.data() != nullptr && !loading(); }

 private:
  /// Puts the selected slice in the image and ground-truth layers, native or prepared, and starts
  /// the window over when the data or the view changed.
  void upload_slice();
  /// Places every prepared-space layer on the view's grid (at the crop in the native view).
  void place_prepared_layers();
  /// Keeps the scribble layer on the shown slice's strokes, on top, placed on its source grid;
  /// routes paint drags to the canvas.
  void update_scribbles();
  /// The scribbles' backbone: the open (or opening) pretraining run, "" when none.
  std::string scribble_backbone() const;
  /// A colour layer that appears (similarity, prediction, t-SNE colours...) is shown alone: the
  /// other colour layers are hidden, and the user can tick them back in the Layers panel.
  void show_new_colour_layer_alone();
  int m_uploaded_generation = -1;
  bool m_uploaded_native = false;
  bool m_native_labels = false;  ///< the ground-truth layer shows the source label file
  std::string m_window_key;      ///< data and view the image window was set for
  bool m_settings_problem_shown = false;
  std::set<std::string> m_seen_layers;
  std::string m_scribble_key;  ///< what the scribble layer shows: revision, slice, view, colours
};

}  // namespace p2r::studio
