#pragma once
// The studio's document: what is open, what is selected, the image view's layers and the last
// error to show. Panels and the script runner act on it; main thread only (loading runs on a worker).
#include <string>

#include "app/studio/benchmark_results.h"
#include "app/studio/data_loader.h"
#include "app/studio/dataset_browser.h"
#include "app/studio/embedding_state.h"
#include "app/studio/figure_exporter.h"
#include "app/studio/frame_stats.h"
#include "app/studio/image_view.h"
#include "app/studio/model_state.h"
#include "app/studio/similarity_query.h"
#include "app/studio/studio_jobs.h"
#include "app/studio/tsne_view.h"

namespace p2r::studio {

class ShaderLibrary;

/// Names of the layers the session keeps in sync with the selected slice.
inline constexpr const char* kImageLayer = "image";
inline constexpr const char* kLabelLayer = "ground truth";

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
  /// t-SNE / PCA views of the embeddings of the shown volume (Embedding section).
  TsneView tsne;
  /// Exporting what is shown as a figure (Export section, script export_figure).
  FigureExporter exporter;
  /// Whether the right column (Jobs, Model) is shown.
  bool show_tools = false;
  /// Frame times recorded on request (script: frame_stats).
  FrameStats frame_stats;

  /// Starts opening path ("" = built-in demo) in the background; keeps the current data until the
  /// new data is ready (nothing open is lost when it fails).
  void open(const std::string& path);
  /// Once per frame: takes a finished load and refreshes the layers when the selection changed.
  void update();
  bool loading() const { return loader.busy(); }
  /// True while a job or a model task runs (the idle loop then wakes a few times a second).
  bool working() const { return jobs.busy() || model.busy() || embeddings.busy() || tsne.busy() || exporter.busy() ||
                                 !query.grid_current(); }
  /// Queries pixel (x, y) of the shown slice (ignored without embeddings) and updates its maps now.
  void query_at(int x, int y);
  /// True when data is open and no load is running.
  bool ready() const { return browser.data() != nullptr && !loading(); }

 private:
  int m_uploaded_generation = -1;
};

}  // namespace p2r::studio
