#pragma once
// Exporting what the studio shows as a figure for papers (PDF, SVG, PNG) or tables: the pixel
// query with its comparison grid, the t-SNE view, the shown slice's segmentation, or a benchmark's
// Dice plot and tables. The studio fills the arguments of `pix2rep figure KIND` from what it shows
// and runs the figure library's writer (app/figures/figure_files.h, the one `pix2rep figure` runs) on
// a worker thread, so the files and the provenance sidecar are exactly those of the sidecar's command. Torch-free; main thread only.
#include <memory>
#include <string>

#include "app/figures/figure_files.h"
#include "core/jobs/job.h"

namespace p2r::studio {

class StudioSession;

/// The figure kinds the studio exports (names as `pix2rep figure KIND`).
enum class ExportKind { Similarity, Embedding, Segmentation, Dice, Table, Equivariance };
inline constexpr int kExportKinds = 6;
/// "similarity", "embedding", "segmentation", "dice", "table", "equivariance".
const char* export_kind_name(ExportKind kind);
/// Parses the names above; throws p2r::Error otherwise.
ExportKind parse_export_kind(const std::string& name);

/// What the Export section edits.
struct ExportSettings {
  ExportKind kind = ExportKind::Similarity;
  std::string path = "figure.png";  ///< .png/.pdf/.svg (tables: any; .csv/.md/.tex are written)
  bool also_pdf = false, also_svg = false;
  int dpi = 300;
  bool double_column = true;
  bool whole_volume = false;        ///< segmentation: every slice of the shown volume, else the shown one
  std::string results;              ///< dice / table: benchmark folder or its runs.csv
};

/// The `pix2rep figure` arguments that reproduce what session shows for settings, with data_file
/// as the prepared file of the open data. Throws p2r::Error "nothing to export: ..." when the kind's
/// view has nothing computed (no query, no t-SNE, no model, no results open or given, no
/// equivariance error shown). Dice and
/// table without a results folder (or with the open one) export the results shown, with their
/// metric and space.
figures::FigureArgs export_arguments(const StudioSession& session, const ExportSettings& settings,
                                 const std::string& data_file);

class FigureExporter {
 public:
  ExportSettings settings;
  /// Why the last export was refused or failed; empty when none.
  std::string error;
  /// Whether the Export figure window is shown (menu Export, the results window, scripts).
  bool window_open = false;

  FigureExporter();
  ~FigureExporter();  ///< joins a running export

  /// Starts exporting what session shows. The data file is the one the data was opened from, or,
  /// for data prepared in memory (a dataset folder), the open slices written beside the figure as
  /// OUT_STEM.p2rs. Refused (error set, nothing written) while busy or with nothing to export.
  void start(const StudioSession& session);
  /// Once per frame: takes a finished export (sets last() or error).
  void update();
  bool busy() const { return m_task && !m_task->finished(); }
  const Job* task() const { return busy() ? m_task.get() : nullptr; }
  /// Files written by the last successful export (empty outputs before any).
  const figures::FigureFiles& last() const { return m_last; }

 private:
  std::unique_ptr<Job> m_task;
  std::shared_ptr<figures::FigureFiles> m_pending;
  figures::FigureFiles m_last;
};

}  // namespace p2r::studio
