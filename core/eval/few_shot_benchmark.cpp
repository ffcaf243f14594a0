#include "core/eval/few_shot_benchmark.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/content_hash.h"
#include "core/common/error.h"
#include "core/data/slice_content_hash.h"
#include "core/eval/benchmark_methods.h"
#include "core/eval/benchmark_summary.h"
#include "core/eval/few_shot_split.h"
#include "core/eval/heart_crop_refinement.h"
#include "core/eval/result_table.h"
#include "core/eval/segmentation_eval.h"
#include "core/train/pretrainer.h"
#include "core/train/segment_trainer.h"

namespace fs = std::filesystem;

namespace p2r {

namespace {

std::string runs_csv(const std::string& out) { return (fs::path(out) / "runs.csv").string(); }

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream is(s);
  while (std::getline(is, cur, sep)) out.push_back(cur);
  return out;
}

std::vector<std::string> read_rows(const std::string& path) {
  std::vector<std::string> rows;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return rows;
  P2R_CHECK(line == kBenchmarkCsvHeader, path << ": not a benchmark result file of this version (unexpected header)");
  while (std::getline(in, line))
    if (!line.empty()) rows.push_back(line);
  return rows;
}

std::string cell_key(const std::string& method, int k, int run) {
  return method + "," + std::to_string(k) + "," + std::to_string(run);
}

// The space of the two-stage rows (BenchmarkConfig::refine_crop).
const char* const kRefinedSpace = "refined";

// Whether runs.csv row r is one of cell key's refined rows (refined) or one of its other rows.
bool is_cell_row(const std::string& r, const std::string& key, bool refined) {
  const auto f = split(r, ',');
  return f.size() >= 14 && f[0] + "," + f[1] + "," + f[2] == key && (f[7] == kRefinedSpace) == refined;
}

// The seconds that cell key's rows of that kind record (0 if none).
double recorded_seconds(const std::vector<std::string>& rows, const std::string& key, bool refined) {
  for (const std::string& r : rows)
    if (is_cell_row(r, key, refined)) return std::stod(split(r, ',')[13]);
  return 0;
}

// Removes cell key's rows of that kind from rows; returns the seconds they recorded (0 if none).
double take_cell_rows(std::vector<std::string>& rows, const std::string& key, bool refined) {
  const double seconds = recorded_seconds(rows, key, refined);
  rows.erase(std::remove_if(rows.begin(), rows.end(), [&](const std::string& r) { return is_cell_row(r, key, refined); }),
             rows.end());
  return seconds;
}

// The protocol's key of a kind's given run: "pix2rep_dir", "pix2rep_v2_dir", "simclr_dir", ...
std::string pretrained_key(const BackboneKind& kind) {
  std::string key = kind.name + "_dir";
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

// What the recorded cells mean: settings that change a cell's result and the subjects of both sets.
// Sizes, runs, methods, device and threads may differ between calls (new cells, same protocol).
// pretrain_data: "" when the pretraining reads pool's own images, else the content hash of its slices.
nlohmann::json benchmark_protocol(const BenchmarkConfig& c, const SliceSet& pool, const SliceSet& test,
                                  const std::string& pretrain_data) {
  auto subjects = [](const SliceSet& set) {
    std::vector<std::string> ids;
    for (const auto& s : subject_infos(set, false)) ids.push_back(s.id);
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  nlohmann::json recipe = nlohmann::json::object();
  for (const auto& [key, value] : c.recipe) recipe[key] = value;
  nlohmann::json protocol = {{"preset", c.preset},
                             {"pretrain_epochs", c.pretrain_epochs},
                             {"recipe", recipe},
                             {"epochs", c.epochs},
                             {"supervised_n_ft", c.supervised_n_ft},
                             {"seed", c.seed},
                             {"pretrain_data", pretrain_data},
                             {"pool_subjects", subjects(pool)},
                             {"test_subjects", subjects(test)}};
  for (const BackboneKind& kind : backbone_kinds()) {
    auto given = c.pretrained.find(kind.name);
    protocol[pretrained_key(kind)] = given == c.pretrained.end() ? std::string() : given->second;
  }
  return protocol;
}

// Records the protocol in OUT/benchmark.json on the first call; later calls must match it, so that
// a resumed benchmark never mixes cells of different settings in one table.
void check_or_record_protocol(const std::string& out_dir, const nlohmann::json& protocol) {
  const std::string path = (fs::path(out_dir) / "benchmark.json").string();
  if (fs::exists(path)) {
    nlohmann::json recorded;
    try {
      recorded = nlohmann::json::parse(std::ifstream(path));
    } catch (const nlohmann::json::exception& e) {
      P2R_FAIL(path << ": not a readable benchmark record (" << e.what() << ")");
    }
    if (!recorded.contains("recipe")) recorded["recipe"] = nlohmann::json::object();  // folders made before overrides
    if (!recorded.contains("pretrain_data")) recorded["pretrain_data"] = "";  // folders made before --pretrain-data
    for (const BackboneKind& kind : backbone_kinds())  // folders made before the kind existed
      if (!recorded.contains(pretrained_key(kind))) recorded[pretrained_key(kind)] = "";
    for (const auto& [key, value] : protocol.items()) {
      P2R_CHECK(recorded.contains(key) && recorded[key] == value,
                path << ": this folder's cells were made with " << key << " = "
                     << (recorded.contains(key) ? recorded[key].dump() : std::string("(none)"))
                     << ", this run asks for " << value.dump()
                     << "; use the same settings to resume, or another --out folder");
    }
    return;
  }
  write_file_atomically(path, [&](const std::string& tmp) { std::ofstream(tmp) << protocol.dump(2) << "\n"; });
}

// The run folder of a backbone kind: the given one, or one pretrained (or resumed) here on the
// pool's images (pretraining) without labels.
std::string ensure_backbone(const BenchmarkConfig& c, const BackboneKind& kind, const SliceSet& pretraining,
                            ProgressSink& progress) {
  auto given = c.pretrained.find(kind.name);
  if (given != c.pretrained.end()) return given->second;
  std::string dir = (fs::path(c.out_dir) / ("pretrain-" + kind.name)).string();
  if (fs::exists(checkpoint_path(dir))) {
    resume_pretraining(dir, pretraining, progress, {c.pretrain_epochs, "", c.threads});
  } else {
    PretrainConfig pc = pretrain_preset(c.preset, parse_method(kind.method));
    pc.out_dir = dir;
    pc.subjects_split = "";  // every pool subject, whatever its split
    pc.seed = c.seed;
    pc.device = c.device;
    pc.threads = c.threads;
    if (c.pretrain_epochs > 0) pc.epochs = c.pretrain_epochs;
    apply_recipe_overrides(pc, c.recipe);
    apply_recipe_overrides(pc, kind.overrides);
    run_pretraining(pc, pretraining, progress);
  }
  return dir;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The segmentation settings of one cell: method m trained on the drawn subjects with the run's seed,
// from its kind's backbone (backbones: kind -> run folder), into out_dir.
SegmentConfig cell_config(const BenchmarkConfig& c, const BenchmarkMethod& m,
                          const std::map<std::string, std::string>& backbones, const std::vector<std::string>& subjects,
                          uint64_t seed, const std::string& out_dir) {
  SegmentConfig sc = segment_defaults(m.mode);
  sc.mean_teacher = m.mean_teacher;
  if (m.lr_backbone > 0) sc.lr_backbone = m.lr_backbone;
  if (m.backbone.empty()) sc.model.n_ft = c.supervised_n_ft;
  else sc.backbone_dir = backbones.at(m.backbone);
  sc.subjects = subjects;
  sc.epochs = c.epochs;
  sc.seed = seed;
  sc.device = c.device;
  sc.precision = c.precision;
  sc.threads = c.threads;
  sc.out_dir = out_dir;
  return sc;
}

// Appends the runs.csv rows of evals (row_start: the cell's "method,k,run,seed,subjects" fields):
// one per volume and scored space, or with refined one per volume in the space "refined" holding
// its source-grid scores. Throws p2r::Error for a refined volume without them.
void append_rows(std::vector<std::string>& rows, const std::string& row_start,
                 const std::vector<VolumeEvaluation>& evals, bool refined, double seconds) {
  for (const auto& e : evals) {
    P2R_CHECK(!refined || e.has_original, e.subject << ": the two-stage version is scored on the source grid, and "
                                                       "this volume has no label file");
    for (int space = 0; space < e.space_count(); ++space) {
      const std::string& name = benchmark_spaces()[size_t(space)];
      if (refined && name != "original") continue;
      const DiceScores& d = e.in_space(space);
      char buf[512];
      std::snprintf(buf, sizeof buf, "%s,%s,%s,%s,%.5f,%.5f,%.5f,%.5f,%.5f,%.1f", row_start.c_str(), e.subject.c_str(),
                    phase_name(e.phase), refined ? kRefinedSpace : name.c_str(), d.dice[0], d.dice[1], d.dice[2],
                    d.dice[3], d.mean_foreground(), seconds);
      rows.push_back(buf);
    }
  }
}

}  // namespace

void BenchmarkConfig::validate() const {
  P2R_CHECK(!out_dir.empty(), "benchmark needs an output folder");
  PretrainConfig overridden = pretrain_preset(preset, PretrainMethod::Pix2Rep);
  apply_recipe_overrides(overridden, recipe);  // a bad override fails before anything is trained
  P2R_CHECK(recipe.empty() || pretrained.empty(),
            "recipe overrides apply to the pretraining done by the benchmark; a given pretrained run keeps its own "
            "config.json (drop the given runs, e.g. --pix2rep, or the overrides)");
  for (const auto& [kind, dir] : pretrained) check_backbone_kind(dir, backbone_kind(kind));
  P2R_CHECK(runs >= 1, "runs must be >= 1 (got " << runs << ")");
  P2R_CHECK(epochs >= 1, "epochs must be >= 1 (got " << epochs << ")");
  P2R_CHECK(!sizes.empty() && !methods.empty(), "benchmark needs at least one size and one method");
  for (int k : sizes) P2R_CHECK(k >= 1, "number of labelled subjects must be >= 1 (got " << k << ")");
  for (const auto& m : methods) {
    const bool mean_teacher = benchmark_method(m).mean_teacher;  // throws for an unknown name
    P2R_CHECK(!refine_crop || !mean_teacher,
              "the two-stage crop refinement trains its second stage on the labelled subjects' heart crops only; "
              << m << " needs the unlabelled pool too (drop it from the methods, or the refinement)");
  }
}

void run_few_shot_benchmark(const BenchmarkConfig& c, const SliceSet& pool, const SliceSet& test,
                            ProgressSink& progress) {
  run_few_shot_benchmark(c, pool, test, pool, progress);
}

void run_few_shot_benchmark(const BenchmarkConfig& c, const SliceSet& pool, const SliceSet& test,
                            const SliceSet& pretraining, ProgressSink& progress) {
  c.validate();
  std::string pretrain_data;  // "" for pool's own images
  if (&pretraining != &pool) {
    const uint64_t pretraining_hash = slice_content_hash(pretraining);
    if (pretraining_hash != slice_content_hash(pool)) pretrain_data = hash_hex(pretraining_hash);
  }
  P2R_CHECK(pretrain_data.empty() || c.pretrained.empty(),
            "other pretraining data applies to the pretraining done by the benchmark; a given pretrained run keeps "
            "its own (drop the given runs, e.g. --pix2rep, or the pretraining data)");
  ensure_directory(c.out_dir);
  // Labelled subjects of the pool, with their groups, for the stratified draws.
  const std::vector<SubjectInfo> labelled = subject_infos(pool, true);
  for (int k : c.sizes)
    P2R_CHECK(k <= int(labelled.size()), "|Xtr| = " << k << " but the pool has only " << labelled.size()
                                                    << " labelled subjects");
  int test_labelled = 0;
  for (const auto& v : test.volumes) test_labelled += v.has_label;
  P2R_CHECK(test_labelled > 0, test.source_root << ": the test set has no labels; the benchmark needs them");
  check_or_record_protocol(c.out_dir, benchmark_protocol(c, pool, test, pretrain_data));

  std::vector<std::string> rows = read_rows(runs_csv(c.out_dir));
  std::set<std::string> done, refined;  // cells with rows of the method itself; cells with refined rows
  for (const auto& r : rows) {
    auto f = split(r, ',');
    if (f.size() >= 8) (f[7] == kRefinedSpace ? refined : done).insert(f[0] + "," + f[1] + "," + f[2]);
  }
  std::map<std::string, std::string> backbones;  // kind -> run folder, for the requested methods
  for (const BackboneKind& kind : backbone_kinds())
    for (const std::string& name : c.methods)
      if (benchmark_method(name).backbone == kind.name && !backbones.count(kind.name))
        backbones[kind.name] = ensure_backbone(c, kind, pretraining, progress);

  for (int k : c.sizes) {
    for (int run = 0; run < c.runs; ++run) {
      const uint64_t seed = c.seed + uint64_t(run);
      std::vector<std::string> subjects = draw_stratified(labelled, k, seed * 1000 + uint64_t(k));
      std::string joined;
      for (const auto& s : subjects) joined += (joined.empty() ? "" : ";") + s;
      for (const std::string& method : c.methods) {
        const std::string key = cell_key(method, k, run);
        const bool finished = done.count(key) > 0, refined_before = refined.count(key) > 0;
        const bool score = !finished || c.rescore;
        const bool refine = c.refine_crop && (!refined_before || c.rescore);
        if (!score && !refine) continue;
        if (progress.cancelled()) throw Cancelled();
        const SegmentConfig sc =
            cell_config(c, benchmark_method(method), backbones, subjects, seed,
                        (fs::path(c.out_dir) / "cells" / method / ("k" + std::to_string(k)) / ("run" + std::to_string(run))).string());
        const std::string row_start = method + "," + std::to_string(k) + "," + std::to_string(run) + "," +
                                      std::to_string(seed) + "," + joined;
        // Seconds of the method's training and evaluation; a rescored cell keeps its recorded time.
        double seconds = recorded_seconds(rows, key, false);
        if (score) {
          auto t0 = std::chrono::steady_clock::now();
          if (finished) take_cell_rows(rows, key, false);
          else run_segment_training(sc, pool, progress);
          Segmenter model(sc.out_dir, c.device, c.precision);
          std::vector<VolumeEvaluation> evals = evaluate_segmenter(model, test, true, progress);
          if (!finished) seconds = seconds_since(t0);
          append_rows(rows, row_start, evals, false, seconds);
        }
        if (refine) {
          // Second stage: the method again on the labelled subjects' heart crops, applied to each test
          // volume cropped around the heart the first stage predicts. Seconds: both stages.
          auto t0 = std::chrono::steady_clock::now();
          SegmentConfig second = sc;
          second.out_dir = (fs::path(sc.out_dir) / "refined").string();
          double refined_seconds = take_cell_rows(rows, key, true);
          if (!refined_before) run_segment_training(second, crop_around_labels(pool, subjects), progress);
          const SliceSet cropped = crop_around_predictions(Segmenter(sc.out_dir, c.device, c.precision), test,
                                                           FrameBoxes::Checked, progress);
          std::vector<VolumeEvaluation> evals =
              evaluate_segmenter(Segmenter(second.out_dir, c.device, c.precision), cropped, true, progress);
          if (!refined_before) refined_seconds = seconds + seconds_since(t0);
          append_rows(rows, row_start, evals, true, refined_seconds);
        }
        write_file_atomically(runs_csv(c.out_dir), [&](const std::string& tmp) {
          std::ofstream out(tmp);
          out << kBenchmarkCsvHeader << "\n";
          for (const auto& r : rows) out << r << "\n";
        });
        done.insert(key);
        if (refine) refined.insert(key);
        write_benchmark_tables(c.out_dir);
      }
    }
  }
}

std::string write_benchmark_tables(const std::string& out_dir) {
  const std::vector<BenchmarkRecord> records = read_benchmark_runs(runs_csv(out_dir));
  std::string md, tex;
  auto add = [&](const std::string& metric, const std::string& space, const std::string& where) {
    ResultTable table = benchmark_table(summarise_benchmark(records, metric, space),
                                        std::string(benchmark_metric_title(metric)) + where + ", mean +- std over runs");
    md += table_to_markdown(table) + "\n";
    tex += table_to_latex(table) + "\n";
  };
  for (const std::string& metric : benchmark_metrics()) add(metric, "prepared", " on the test set");
  // Spaces that folders made before them (cleaned: --rescore adds it) or runs without --refine-crop
  // (refined) lack: two tables each where rows exist.
  const std::pair<const char*, const char*> later_spaces[] = {
      {"cleaned", " on the test set after the largest-component clean-up"},
      {kRefinedSpace, " on the test set's source grid, two stages: re-cropped around the predicted heart"}};
  for (const auto& [space, where] : later_spaces)
    if (std::any_of(records.begin(), records.end(), [&](const BenchmarkRecord& r) { return r.space == space; }))
      for (const char* metric : {"mean_fg", "mean_all"}) add(metric, space, where);
  write_file_atomically((fs::path(out_dir) / "table.md").string(), [&](const std::string& t) { std::ofstream(t) << md; });
  write_file_atomically((fs::path(out_dir) / "table.tex").string(), [&](const std::string& t) { std::ofstream(t) << tex; });
  return md;
}

}  // namespace p2r
