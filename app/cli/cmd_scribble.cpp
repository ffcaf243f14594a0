// Scribble subcommands: scribble-simulate (scribble files from ground truth), scribble-train (a
// classifier on the frozen backbone features of scribbled pixels) and `bench scribbles`. Need ITK.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <tuple>

#include "app/cli/commands.h"
#include "core/common/comma_list.h"
#include "app/cli/precision_option.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/data/scribble_set.h"
#include "core/data/scribble_simulator.h"
#include "core/data/slice_cache.h"
#include "core/eval/few_shot_split.h"
#include "core/eval/scribble_benchmark.h"
#include "core/io/scribble_file.h"
#include "core/train/scribble_classifier.h"

namespace fs = std::filesystem;

namespace p2r::cli {
namespace {

void add_simulation_options(CLI::App* cmd, ScribbleSimulation& s) {
  cmd->add_option("--strokes", s.strokes_per_structure, "strokes per heart structure on a scribbled slice");
  cmd->add_option("--background-strokes", s.background_strokes, "strokes in the background band around the heart");
  cmd->add_option("--stroke-mm", s.stroke_mm, "longest stroke (mm, along the structure's centre line)");
}

void add_train_options(CLI::App* cmd, ScribbleTrainConfig& t, std::string& head) {
  cmd->add_option("--head", head, "linear (1x1 conv) or mlp (1x1 conv, ReLU, 1x1 conv)")
      ->check(CLI::IsMember({"linear", "mlp"}));
  cmd->add_option("--hidden", t.hidden, "hidden width of the mlp head");
  cmd->add_option("--steps", t.steps, "Adam steps on the scribbled pixels");
  cmd->add_option("--lr", t.lr, "learning rate");
}

}  // namespace

void add_scribble_commands(CLI::App& app) {
  {
    auto* cmd = app.add_subcommand("scribble-simulate", "scribble files simulated from ground truth (skeleton strokes "
                                                        "per structure and background strokes, seeded)");
    struct Args {
      std::string data, subjects, out;
      int count = 0, slices = 2;
      int64_t seed = 0;
      ScribbleSimulation sim;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("--data", a->data, "prepared file (its volumes' label files are read)")->required();
    cmd->add_option("--subjects", a->subjects, "subjects to scribble, comma separated");
    cmd->add_option("--count", a->count, "or: draw this many labelled subjects stratified by group");
    cmd->add_option("--slices", a->slices, "scribbled slices per subject (those showing the heart)");
    cmd->add_option("--out", a->out, "output folder (SUBJECT_frameFF_scribbles.nii.gz)")->required();
    cmd->add_option("--seed", a->seed, "seed of the draws and the strokes");
    add_simulation_options(cmd, a->sim);
    cmd->callback([a] {
      SliceSet data = load_slice_set(a->data);
      std::vector<std::string> subjects = split_list(a->subjects);
      if (subjects.empty()) {
        P2R_CHECK(a->count > 0, "give the subjects with --subjects A,B,... or their number with --count N");
        subjects = draw_stratified(subject_infos(data, true), a->count, uint64_t(a->seed));
      }
      const auto simulated = simulate_subject_scribbles(data, subjects, a->slices, a->sim, uint64_t(a->seed));
      ensure_directory(a->out);
      int planes = 0;
      for (const SimulatedScribbles& s : simulated) {
        const VolumeRecord& v = data.volumes[s.volume];
        write_scribble_file((fs::path(a->out) / scribble_file_name(v.subject, v.frame)).string(), s.scribbles,
                            acdc_classes());
        planes += s.planes;
      }
      std::printf("wrote %zu scribble files (%d scribbled slices of %zu subjects) to %s\n", simulated.size(), planes,
                  subjects.size(), a->out.c_str());
    });
  }
  {
    auto* cmd = app.add_subcommand("scribble-train", "train a classifier on the frozen backbone features of scribbled "
                                                     "pixels; saved as a segmentation model folder");
    struct Args {
      std::string checkpoint, data, scribbles, out, warm_start, head = "linear", device = "auto", precision = "auto";
      int threads = 0;
      int64_t seed = 0;
      ScribbleTrainConfig train;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("--checkpoint", a->checkpoint, "pretraining run folder (the frozen backbone)")->required();
    cmd->add_option("--data", a->data, "prepared file of the scribbled volumes")->required();
    cmd->add_option("--scribbles", a->scribbles, "folder of SUBJECT_frameFF_scribbles.nii.gz files")->required();
    cmd->add_option("--out", a->out, "output model folder (model.pt, segment.json, scribble.json)")->required();
    add_train_options(cmd, a->train, a->head);
    cmd->add_option("--seed", a->seed, "seed of the initial weights and the pixel samples");
    cmd->add_option("--warm-start", a->warm_start, "start from this classifier's weights (same backbone and head)");
    cmd->add_option("--device", a->device, "auto, cpu or cuda");
    add_precision_option(cmd, a->precision);
    cmd->add_option("--threads", a->threads, "CPU threads (0: all cores)");
    cmd->callback([a] {
      a->train.head = parse_scribble_head(a->head);
      a->train.seed = uint64_t(a->seed);
      a->train.validate();
      SliceSet data = load_slice_set(a->data);
      ScribbleSet scribbles = load_scribble_folder(a->scribbles, data);
      for (const std::string& f : scribbles.unmatched_files)
        std::fprintf(stderr, "note: %s names no volume of %s; ignored\n", f.c_str(), a->data.c_str());
      if (scribbles.lost_outside_crop > 0)
        std::fprintf(stderr, "note: %lld scribbled voxels lie outside the prepared crops and are not used\n",
                     static_cast<long long>(scribbles.lost_outside_crop));
      FrozenSliceFeatures features(a->checkpoint, data, a->device, a->precision, a->threads);
      std::unique_ptr<ScribbleClassifier> previous;
      if (!a->warm_start.empty())
        previous = std::make_unique<ScribbleClassifier>(ScribbleClassifier::load(a->warm_start, features));
      TerminalProgress progress;
      features.compute(scribbles.slices, progress);
      ScribbleTrainReport report;
      ScribbleClassifier model = ScribbleClassifier::train(features, scribbles, a->train, previous.get(), &report);
      model.save(a->out, features, a->data, scribbles.subjects(data), a->train, report);
      std::printf("%zu scribble files, %zu slices, %lld pixels (%s); %s head, %d steps: loss %.4f -> %.4f in %.0f ms "
                  "-> %s\n",
                  scribbles.files.size(), scribbles.slices.size(), static_cast<long long>(report.pixels),
                  class_counts_text(scribbles.classes, report.class_pixels).c_str(), scribble_head_name(a->train.head),
                  a->train.steps, report.initial_loss, report.final_loss, report.milliseconds, a->out.c_str());
    });
  }
}

void add_scribble_bench_command(CLI::App& bench) {
  auto* cmd = bench.add_subcommand("scribbles", "Dice of scribble classifiers against the number of scribbled slices, "
                                                "beside the full-label linear probe; stroke latency");
  struct Args {
    ScribbleBenchmarkConfig c;
    std::string data, test, slices, head = "linear";
    int holdout = 0;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--checkpoint", a->c.backbone_dir, "pretraining run folder (the frozen backbone)")->required();
  cmd->add_option("--data", a->data, "prepared file of the labelled training pool")->required();
  cmd->add_option("--test", a->test, "prepared test file");
  cmd->add_option("--holdout-per-group", a->holdout, "or: hold out N subjects per group of --data as the test set");
  cmd->add_option("--subjects", a->c.subjects, "training subjects (drawn stratified by --seed)");
  cmd->add_option("--slices", a->slices, "scribbled slices per subject, comma separated (default 1,2,4,8)");
  cmd->add_option("--out", a->c.out_dir, "output folder (scribbles.csv, scribbles.md, models/)")->required();
  add_train_options(cmd, a->c.train, a->head);
  add_simulation_options(cmd, a->c.simulation);
  cmd->add_option("--probe-epochs", a->c.probe_epochs, "epochs of the full-label linear probe");
  cmd->add_option("--strokes-timed", a->c.latency_strokes, "warm-started retrains timed as strokes");
  cmd->add_option("--seed", a->c.seed, "seed of the draws, the strokes and the training");
  cmd->add_option("--device", a->c.device, "auto, cpu or cuda");
  add_precision_option(cmd, a->c.precision);
  cmd->add_option("--threads", a->c.threads, "CPU threads (0: all cores)");
  cmd->callback([a] {
    a->c.train.head = parse_scribble_head(a->head);
    a->c.train.seed = a->c.seed;
    if (!a->slices.empty()) {
      a->c.slice_counts.clear();
      for (const auto& s : split_list(a->slices)) a->c.slice_counts.push_back(std::stoi(s));
    }
    a->c.validate();
    P2R_CHECK(a->test.empty() != (a->holdout == 0), "give exactly one of --test and --holdout-per-group");
    SliceSet pool = load_slice_set(a->data), test;
    if (!a->test.empty()) {
      test = load_slice_set(a->test);
    } else {
      std::tie(test, pool) = hold_out_slices(pool, a->holdout, a->c.seed);
    }
    TerminalProgress progress;
    ScribbleBenchmarkResult r = run_scribble_benchmark(a->c, pool, a->data, test, progress);
    std::printf("%s", scribble_benchmark_markdown(a->c, r).c_str());
  });
}

}  // namespace p2r::cli
