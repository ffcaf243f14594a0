#include "core/eval/scribble_benchmark.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/data/scribble_set.h"
#include "core/eval/few_shot_split.h"
#include "core/eval/segmentation_eval.h"
#include "core/train/segment_trainer.h"
#include "core/train/segmenter.h"

namespace fs = std::filesystem;

namespace p2r {
namespace {

DiceSummary test_dice(const std::string& model_dir, const ScribbleBenchmarkConfig& c, const SliceSet& test,
                      ProgressSink& progress) {
  Segmenter model(model_dir, c.device, c.precision);
  std::vector<DiceScores> scores;
  for (const VolumeEvaluation& e : evaluate_segmenter(model, test, false, progress)) scores.push_back(e.prepared);
  return summarise_dice(scores);
}

std::string fixed(double v, int digits = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// The p-th percentile (0..100) of values, nearest rank.
double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t k = size_t(std::ceil(p / 100.0 * double(values.size()))) - (p > 0 ? 1 : 0);
  return values[std::min(k, values.size() - 1)];
}

}  // namespace

void ScribbleBenchmarkConfig::validate() const {
  P2R_CHECK(!backbone_dir.empty(), "the scribble benchmark needs a pretrained backbone (run folder)");
  P2R_CHECK(!out_dir.empty(), "no output folder given for the scribble benchmark");
  P2R_CHECK(subjects > 0, "training subjects must be > 0 (got " << subjects << ")");
  P2R_CHECK(!slice_counts.empty(), "no scribbled slice counts given");
  for (int k : slice_counts) P2R_CHECK(k > 0, "scribbled slices per subject must be > 0 (got " << k << ")");
  P2R_CHECK(probe_epochs > 0, "probe epochs must be > 0 (got " << probe_epochs << ")");
  P2R_CHECK(latency_strokes >= 0, "timed strokes must be >= 0 (got " << latency_strokes << ")");
  simulation.validate();
  train.validate();
}

ScribbleBenchmarkResult run_scribble_benchmark(const ScribbleBenchmarkConfig& config, const SliceSet& pool,
                                               const std::string& pool_path, const SliceSet& test,
                                               ProgressSink& progress) {
  config.validate();
  ScribbleBenchmarkConfig c = config;
  std::sort(c.slice_counts.begin(), c.slice_counts.end());
  c.slice_counts.erase(std::unique(c.slice_counts.begin(), c.slice_counts.end()), c.slice_counts.end());
  ScribbleBenchmarkResult result;
  result.subjects = draw_stratified(subject_infos(pool, true), c.subjects, c.seed);
  for (const auto& v : test.volumes) result.test_volumes += v.has_label;
  P2R_CHECK(result.test_volumes > 0, test.source_root << ": the test set has no labels");
  ensure_directory(c.out_dir);
  const std::string models = (fs::path(c.out_dir) / "models").string();

  FrozenSliceFeatures features(c.backbone_dir, pool, c.device, c.precision, c.threads);
  ScribbleSet largest;
  for (int k : c.slice_counts) {
    ScribbleSet scribbles;
    for (const SimulatedScribbles& s : simulate_subject_scribbles(pool, result.subjects, k, c.simulation, c.seed))
      add_volume_scribbles(pool, s.volume, s.scribbles, scribbles);
    features.compute(scribbles.slices, progress);
    ScribbleTrainReport report;
    ScribbleClassifier classifier = ScribbleClassifier::train(features, scribbles, c.train, nullptr, &report);
    const std::string dir = (fs::path(models) / ("scribbles-" + std::to_string(k))).string();
    classifier.save(dir, features, pool_path, result.subjects, c.train, report);
    ScribbleBenchmarkRow row;
    row.method = "scribbles";
    row.slices_per_subject = k;
    row.labelled_slices = int(scribbles.slices.size());
    row.labelled_pixels = scribbles.pixel_count();
    row.train_seconds = report.milliseconds / 1000;
    row.dice = test_dice(dir, c, test, progress);
    result.rows.push_back(row);
    largest = std::move(scribbles);
  }

  // Strokes as the studio makes them: each adds one slice's strokes, the classifier retrains
  // warm-started and the slice's prediction is updated (its features computed when it was shown).
  if (c.latency_strokes > 0) {
    ScribbleSet growing;
    growing.classes = largest.classes;
    growing.class_pixels.assign(largest.classes.size(), 0);
    growing.size = largest.size;
    std::unique_ptr<ScribbleClassifier> previous;
    const int64_t plane = int64_t(largest.size) * largest.size;
    for (int i = 0; i < c.latency_strokes; ++i) {
      const size_t j = size_t(i) % largest.slices.size();
      if (size_t(i) < largest.slices.size()) {
        growing.slices.push_back(largest.slices[j]);
        growing.values.insert(growing.values.end(), largest.slice_values(j), largest.slice_values(j) + plane);
        for (int64_t p = 0; p < plane; ++p)
          if (largest.slice_values(j)[p] != 0) ++growing.class_pixels[largest.slice_values(j)[p] - 1];
      }
      const auto t0 = std::chrono::steady_clock::now();
      ScribbleClassifier next = ScribbleClassifier::train(features, growing, c.train, previous.get());
      next.predict_slice(features, largest.slices[j]);
      result.stroke_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      previous = std::make_unique<ScribbleClassifier>(std::move(next));
    }
  }

  SegmentConfig probe = segment_defaults(SegmentMode::Probe);
  probe.backbone_dir = c.backbone_dir;
  probe.data_path = pool_path;
  probe.subjects = result.subjects;
  probe.out_dir = (fs::path(models) / "probe").string();
  probe.epochs = c.probe_epochs;
  probe.seed = c.seed;
  probe.device = c.device;
  probe.precision = c.precision;
  probe.threads = c.threads;
  SegmentResult trained = run_segment_training(probe, pool, progress);
  ScribbleBenchmarkRow row;
  row.method = "probe (full labels)";
  row.labelled_slices = trained.train_slices + trained.val_slices;
  row.labelled_pixels = int64_t(row.labelled_slices) * pool.pixels_per_slice();
  row.train_seconds = trained.seconds;
  row.dice = test_dice(probe.out_dir, c, test, progress);
  result.rows.push_back(row);
  for (const auto& r : result.rows)
    if (r.method == "scribbles" && r.dice.mean_foreground.mean >= row.dice.mean_foreground.mean) {
      result.reaches_probe_at = r.slices_per_subject;
      break;
    }

  std::ostringstream csv;
  csv << "method,slices_per_subject,labelled_slices,labelled_pixels,train_seconds,dice_rv,dice_myo,dice_lv,"
         "dice_mean,dice_mean_std,dice_with_bg\n";
  for (const auto& r : result.rows)
    csv << r.method << "," << r.slices_per_subject << "," << r.labelled_slices << "," << r.labelled_pixels << ","
        << r.train_seconds << "," << r.dice.per_class[1].mean << "," << r.dice.per_class[2].mean << ","
        << r.dice.per_class[3].mean << "," << r.dice.mean_foreground.mean << "," << r.dice.mean_foreground.std << ","
        << r.dice.mean_all.mean << "\n";
  write_file_atomically((fs::path(c.out_dir) / "scribbles.csv").string(),
                        [&](const std::string& tmp) { std::ofstream(tmp) << csv.str(); });
  std::ostringstream strokes;
  strokes << "stroke,ms\n";
  for (size_t i = 0; i < result.stroke_ms.size(); ++i) strokes << i + 1 << "," << result.stroke_ms[i] << "\n";
  write_file_atomically((fs::path(c.out_dir) / "strokes.csv").string(),
                        [&](const std::string& tmp) { std::ofstream(tmp) << strokes.str(); });
  const std::string md = scribble_benchmark_markdown(c, result);
  write_file_atomically((fs::path(c.out_dir) / "scribbles.md").string(),
                        [&](const std::string& tmp) { std::ofstream(tmp) << md; });
  return result;
}

std::string scribble_benchmark_markdown(const ScribbleBenchmarkConfig& c, const ScribbleBenchmarkResult& r) {
  std::ostringstream out;
  out << "Scribbles (" << scribble_head_name(c.train.head) << " head, " << c.train.steps << " steps) on "
      << r.subjects.size() << " training subjects vs the linear probe on their full labels; Dice on "
      << r.test_volumes << " held-out volumes (prepared space), mean ± std over volumes.\n\n";
  out << "| method | slices / subject | labelled slices | labelled pixels | train s | RV | MYO | LV | mean (RV, MYO, LV) |\n";
  out << "|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& row : r.rows)
    out << "| " << row.method << " | " << (row.slices_per_subject ? std::to_string(row.slices_per_subject) : "all")
        << " | " << row.labelled_slices << " | " << row.labelled_pixels << " | " << fixed(row.train_seconds, 2) << " | "
        << fixed(row.dice.per_class[1].mean) << " | " << fixed(row.dice.per_class[2].mean) << " | "
        << fixed(row.dice.per_class[3].mean) << " | " << fixed(row.dice.mean_foreground.mean) << " ± "
        << fixed(row.dice.mean_foreground.std) << " |\n";
  out << "\n";
  if (r.reaches_probe_at > 0)
    out << "Scribbles reach the full-label probe at " << r.reaches_probe_at << " scribbled slice(s) per subject.\n";
  else
    out << "Scribbles do not reach the full-label probe up to " << c.slice_counts.back()
        << " scribbled slices per subject.\n";
  if (!r.stroke_ms.empty())
    out << "Stroke -> updated slice prediction (warm-started retrain + prediction of the slice, " << r.stroke_ms.size()
        << " strokes): p50 " << fixed(percentile(r.stroke_ms, 50), 1) << " ms, p95 "
        << fixed(percentile(r.stroke_ms, 95), 1) << " ms, max " << fixed(percentile(r.stroke_ms, 100), 1)
        << " ms (strokes.csv).\n";
  out << "Subjects: ";
  for (size_t i = 0; i < r.subjects.size(); ++i) out << (i ? ", " : "") << r.subjects[i];
  out << ".\n";
  return out.str();
}

}  // namespace p2r
