#include "app/studio/figure_exporter.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "app/studio/studio_session.h"
#include "core/common/error.h"
#include "core/data/slice_cache.h"

namespace fs = std::filesystem;

namespace p2r::studio {
namespace {

constexpr const char* kKindNames[kExportKinds] = {"similarity", "embedding", "segmentation", "dice", "table",
                                                          "equivariance"};

// Shortest text that reads back as the same float.
std::string exact(float v) {
  char text[32];
  for (int digits = 6;; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, double(v));
    if (std::strtof(text, nullptr) == v || digits == 9) return text;
  }
}

std::string joined(const std::vector<int>& values) {
  std::string text;
  for (int v : values) text += (text.empty() ? "" : ",") + std::to_string(v);
  return text;
}

// The prepared file written beside the figure for data prepared in memory.
std::string sibling_data_file(const std::string& out) { return fs::path(out).replace_extension(".p2rs").string(); }

}  // namespace

const char* export_kind_name(ExportKind kind) { return kKindNames[int(kind)]; }

ExportKind parse_export_kind(const std::string& name) {
  for (int k = 0; k < kExportKinds; ++k)
    if (name == kKindNames[k]) return ExportKind(k);
  P2R_FAIL("unknown figure kind '" << name << "' (similarity, embedding, segmentation, dice, table, equivariance)");
}

figures::FigureArgs export_arguments(const StudioSession& session, const ExportSettings& s, const std::string& data_file) {
  P2R_CHECK(!s.path.empty(), "nothing to export to: give an output file");
  const figures::FigureKind kind = figures::find_figure_kind(export_kind_name(s.kind));
  figures::FigureArgs a = figures::default_figure_args(kind);
  a["out"] = s.path;
  if (s.kind != ExportKind::Table) {
    std::string also;
    if (s.also_pdf) also += "pdf";
    if (s.also_svg) also += std::string(also.empty() ? "" : ",") + "svg";
    a["also"] = also;
    a["dpi"] = std::to_string(s.dpi);
    a["column"] = s.double_column ? "double" : "single";
  }
  switch (s.kind) {
    case ExportKind::Similarity: {
      const SimilarityQuery& q = session.query;
      P2R_CHECK(session.embeddings.ready() && q.active() && !q.grid().empty(),
                "nothing to export: open a backbone and click a pixel to query it first");
      std::vector<int> targets;
      for (const GridCell& cell : q.grid()) targets.push_back(cell.slice);
      a["checkpoint"] = session.embeddings.run_dir();
      a["data"] = data_file;
      a["slice"] = std::to_string(q.query().slice);
      a["pixel"] = std::to_string(q.query().x) + "," + std::to_string(q.query().y);
      a["targets"] = joined(targets);
      a["range"] = exact(q.low()) + "," + exact(q.high());  // the colours shown
      a["opacity"] = exact(q.grid_opacity);
      break;
    }
    case ExportKind::Embedding: {
      const TsneSample* r = session.tsne.result();
      P2R_CHECK(session.embeddings.ready() && r, "nothing to export: compute a t-SNE first");
      a["checkpoint"] = session.embeddings.run_dir();
      a["data"] = data_file;
      a["slices"] = joined(r->slices);
      if (r->layout.empty()) a["sampling"] = "stride:" + std::to_string(r->stride);
      else a["layout"] = r->layout;  // the coordinates shown, not a new t-SNE
      a["perplexity"] = exact(float(r->perplexity));
      a["iters"] = std::to_string(r->iterations);
      a["seed"] = std::to_string(kTsneSeed);
      a["threads"] = std::to_string(kTsneThreads);
      break;
    }
    case ExportKind::Segmentation: {
      P2R_CHECK(session.model.has_model(), "nothing to export: open a segmentation model first");
      const SliceSet* data = session.browser.data();
      P2R_CHECK(data && session.browser.slice_index() >= 0, "nothing to export: no data open");
      std::vector<int> rows{session.browser.slice_index()};
      if (s.whole_volume) {
        const VolumeRecord& v = data->volume_of(rows[0]);
        rows.clear();
        for (int i = 0; i < v.slice_count; ++i) rows.push_back(v.first_slice + i);
      }
      a["data"] = data_file;
      a["runs"] = session.model.dir();
      a["slices"] = joined(rows);
      if (const ImageLayer* prediction = session.view.image.find(kPredictionLayer))
        a["opacity"] = exact(prediction->opacity);  // the labels as the studio draws them
      break;
    }
    case ExportKind::Equivariance: {
      const EquivarianceView& eq = session.equivariance;
      P2R_CHECK(session.embeddings.ready() && eq.maps() && eq.current(),
                "nothing to export: open a backbone and turn on the equivariance error first");
      a["checkpoint"] = session.embeddings.run_dir();
      a["data"] = data_file;
      a["slice"] = std::to_string(session.browser.slice_index());
      a["rotate"] = exact(float(eq.phi.rotation_deg));
      a["scale"] = exact(float(eq.phi.scale));
      a["shift-x"] = exact(float(eq.phi.shift_x));
      a["shift-y"] = exact(float(eq.phi.shift_y));
      a["flip"] = eq.phi.flip ? "1" : "0";
      break;  // range auto: 0 to the larger map's maximum, the colours shown
    }
    case ExportKind::Dice:
    case ExportKind::Table:
      if (s.results.empty() || s.results == session.results.path()) {  // the results shown
        P2R_CHECK(session.results.has_results(),
                  "nothing to export: open a benchmark's results or give its folder (or runs.csv)");
        a["runs"] = session.results.path();
        a["metric"] = session.results.metric();
        a["space"] = session.results.space();
      } else {
        a["runs"] = s.results;
      }
      break;
  }
  return a;
}

FigureExporter::FigureExporter() = default;
FigureExporter::~FigureExporter() = default;  // m_task's destructor joins

void FigureExporter::start(const StudioSession& session) {
  error.clear();
  if (busy()) {
    error = "an export is running; try again when it is done";
    return;
  }
  const bool needs_data = settings.kind == ExportKind::Similarity || settings.kind == ExportKind::Embedding ||
                          settings.kind == ExportKind::Segmentation || settings.kind == ExportKind::Equivariance;
  std::shared_ptr<const SliceSet> to_write;  // data prepared in memory, written beside the figure
  std::string data_file = session.prepared_file;
  if (needs_data && data_file.empty()) {
    data_file = sibling_data_file(settings.path);
    to_write = session.browser.shared_data();
  }
  figures::FigureArgs args;
  try {
    figures::check_writable_folder(settings.path);
    args = export_arguments(session, settings, data_file);
  } catch (const Error& e) {
    error = e.message();
    return;
  }
  const std::string kind = export_kind_name(settings.kind);
  auto pending = std::make_shared<figures::FigureFiles>();
  m_pending = pending;
  m_task = std::make_unique<Job>("figure", "exporting the " + kind + " figure", settings.path,
                                 [kind, args, to_write, data_file, pending](JobProgress& progress) {
                                   progress.begin("exporting the " + kind + " figure", 0);
                                   const bool created = to_write && !fs::exists(data_file);
                                   if (to_write) save_slice_set(data_file, *to_write);
                                   try {
                                     *pending = figures::write_figure_files(figures::find_figure_kind(kind), args);
                                   } catch (...) {
                                     if (created) fs::remove(data_file);  // nothing left behind
                                     throw;
                                   }
                                   return "wrote " + pending->outputs.front() + " and its sidecar";
                                 });
  m_task->start();
}

void FigureExporter::update() {
  if (!m_task || !m_task->finished() || !m_pending) return;
  if (m_task->state() == JobState::Succeeded)
    m_last = *m_pending;
  else
    error = "export failed: " + m_task->error();
  m_pending.reset();
}

}  // namespace p2r::studio
