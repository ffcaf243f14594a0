// Segmentation subcommands: probe, finetune, train-supervised, predict, evaluate, benchmark.
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <tuple>

#include "app/cli/commands.h"
#include "core/common/comma_list.h"
#include "app/cli/precision_option.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/data/prediction_file.h"
#include "core/data/slice_cache.h"
#include "core/data/source_relocation.h"
#include "core/eval/benchmark_methods.h"
#include "core/eval/benchmark_summary.h"
#include "core/eval/few_shot_benchmark.h"
#include "core/eval/few_shot_split.h"
#include "core/eval/heart_crop_refinement.h"
#include "core/eval/largest_components.h"
#include "core/eval/segmentation_eval.h"
#include "core/train/pretrain_config.h"
#include "core/train/segment_trainer.h"
#include "core/train/segmenter.h"
#ifdef PIX2REP_HAS_ITK
#include "core/data/prepared_folder_cache.h"
#include "core/io/nifti.h"
#endif

namespace fs = std::filesystem;

namespace p2r::cli {
namespace {

// The volumes of data's subjects named in the comma-separated list subjects (all when empty).
// Throws p2r::Error naming data_path and a subject it lacks.
SliceSet select_subjects(const SliceSet& data, const std::string& data_path, const std::string& subjects) {
  if (subjects.empty()) return data;
  const auto wanted = split_list(subjects);
  for (const std::string& w : wanted)
    P2R_CHECK(std::any_of(data.volumes.begin(), data.volumes.end(), [&](const VolumeRecord& v) { return v.subject == w; }),
              data_path << ": no subject " << w << " (--subjects)");
  std::vector<int> volumes;
  for (int vi = 0; vi < int(data.volumes.size()); ++vi)
    if (std::find(wanted.begin(), wanted.end(), data.volumes[vi].subject) != wanted.end()) volumes.push_back(vi);
  return data.select_volumes(volumes);
}

// The two-stage crop refinement's options (core/eval/heart_crop_refinement.h).
struct FirstStage {
  std::string roi_model, frames = "checked";
};

// Adds --roi-model and --roi-frames to cmd.
void add_first_stage_options(CLI::App* cmd, FirstStage& first) {
  cmd->add_option("--roi-model", first.roi_model,
                  "two stages: this segmentation run (trained on the label-free crop of --data) finds the heart of "
                  "each volume, which is re-cropped from its source file around it; --model, trained on heart "
                  "crops (prepare --crop paper-roi of its labelled subjects), segments the crop (needs ITK)");
  cmd->add_option("--roi-frames", first.frames,
                  "with --roi-model, how a subject's frames on one grid are boxed: checked (its own predicted "
                  "heart's box where that box's centre lies in the box of its frame with the most heart and "
                  "its heart holds at least half of that one's, else that box) or each (its own box only)");
}

// data re-cropped around the heart first.roi_model predicts (the first stage), or data itself without one.
SliceSet first_stage_crops(SliceSet data, const FirstStage& first, const std::string& device,
                           const std::string& precision) {
  const FrameBoxes rule = frame_boxes_from_name(first.frames);
  if (first.roi_model.empty()) return data;
  TerminalProgress progress;
  return crop_around_predictions(Segmenter(first.roi_model, device, precision), data, rule, progress);
}

// A prepared file, or (with ITK) a dataset folder prepared with `like`'s settings (once: the user's
// cache keeps it until a file of the folder changes).
SliceSet load_slices(const std::string& path, const PrepareConfig* like) {
  if (fs::is_regular_file(path)) return load_slice_set(path);
#ifdef PIX2REP_HAS_ITK
  P2R_CHECK(fs::is_directory(path), path << ": neither a prepared file nor a dataset folder");
  TerminalProgress progress;
  const auto notice = [](const std::string& message) { std::fprintf(stderr, "%s\n", message.c_str()); };
  return prepare_folder_cached(path, like ? *like : PrepareConfig(), progress, notice).slices;
#else
  P2R_FAIL(path << ": not a prepared file (preparing folders needs a build with ITK)");
#endif
}

// Subjects given as a list, or drawn stratified by group (--labelled N --seed S).
std::vector<std::string> choose_subjects(const SliceSet& data, const std::string& list, int count, uint64_t seed) {
  if (!list.empty()) return split_list(list);
  P2R_CHECK(count > 0, "give the labelled subjects with --subjects A,B,... or their number with --labelled N");
  return draw_stratified(subject_infos(data, true), count, seed);
}

void add_training_command(CLI::App& app, const char* name, const char* help, SegmentMode mode) {
  auto* cmd = app.add_subcommand(name, help);
  struct Args {
    SegmentConfig c;
    std::string subjects;
    int labelled = 0;
    int64_t seed = 0;
  };
  auto a = std::make_shared<Args>();
  a->c = segment_defaults(mode);
  cmd->add_option("--data", a->c.data_path, "prepared file with the labelled subjects")->required();
  if (mode != SegmentMode::Supervised)
    cmd->add_option("--backbone", a->c.backbone_dir, "pretraining run folder (pix2rep pretrain --out)")->required();
  else
    cmd->add_option("--nft", a->c.model.n_ft, "output features of the U-Net (paper baseline: 128)");
  if (mode == SegmentMode::Supervised) {
    cmd->add_option("--base", a->c.model.base, "channels of the first U-Net level");
    cmd->add_option("--levels", a->c.model.levels, "U-Net resolutions");
  }
  cmd->add_option("--out", a->c.out_dir, "output folder (model.pt, segment.json, log.csv)")->required();
  cmd->add_option("--subjects", a->subjects, "labelled training subjects, comma separated");
  cmd->add_option("--labelled", a->labelled, "or: draw this many labelled subjects stratified by group");
  cmd->add_option("--seed", a->seed, "seed of the draw, the split and the training");
  cmd->add_option("--epochs", a->c.epochs, "epochs (early stopping on the validation slices)");
  cmd->add_option("--batch", a->c.batch, "batch size");
  cmd->add_option("--lr-head", a->c.lr_head, "learning rate of the 1x1 head");
  cmd->add_option("--lr-backbone", a->c.lr_backbone, "learning rate of the backbone (finetune, supervised)");
  cmd->add_option("--patience", a->c.patience, "epochs without validation improvement before stopping");
  if (mode != SegmentMode::Probe) {
    cmd->add_flag("--mean-teacher", a->c.mean_teacher,
                  "Mean Teacher: EMA teacher + consistency loss on every slice of --data, unlabelled (the teacher is saved)");
    cmd->add_option("--consistency-weight", a->c.consistency_weight, "Mean Teacher: consistency weight after ramp-up");
    cmd->add_option("--consistency-rampup", a->c.consistency_rampup, "Mean Teacher: epochs of the sigmoid ramp-up");
    cmd->add_option("--ema-decay", a->c.ema_decay, "Mean Teacher: EMA decay of the teacher");
    cmd->add_option("--unlabelled-batch", a->c.unlabelled_batch, "Mean Teacher: unlabelled slices per step");
  }
  cmd->add_option("--device", a->c.device, "auto, cpu or cuda");
  add_precision_option(cmd, a->c.precision);
  cmd->add_option("--threads", a->c.threads, "CPU threads (0: all cores)");
  cmd->callback([a] {
    SliceSet data = load_slice_set(a->c.data_path);
    a->c.seed = uint64_t(a->seed);
    a->c.subjects = choose_subjects(data, a->subjects, a->labelled, a->c.seed);
    TerminalProgress progress;
    SegmentResult r = run_segment_training(a->c, data, progress);
    std::printf("%s%s: %d train / %d validation slices, %d epochs, best validation Dice %.4f at epoch %d, %.1f s -> %s\n",
                segment_mode_name(a->c.mode), a->c.mean_teacher ? " + mean teacher" : "", r.train_slices, r.val_slices, r.epochs_run, r.best_val_dice,
                r.best_epoch, r.seconds, segment_model_path(r.out_dir).c_str());
  });
}

void print_evaluation(const std::vector<VolumeEvaluation>& evals) {
  const std::vector<std::string>& spaces = benchmark_spaces();  // prepared, cleaned, original
  std::vector<DiceScores> scores[3];
  std::printf("%-12s %-3s %-9s %7s %7s %7s %7s %7s %7s\n", "subject", "ph", "space", "bg", "RV", "MYO", "LV", "mean",
              "paper");
  for (const auto& e : evals) {
    for (int s = 0; s < e.space_count(); ++s) {
      const DiceScores& d = e.in_space(s);
      std::printf("%-12s %-3s %-9s %7.4f %7.4f %7.4f %7.4f %7.4f %7.4f\n", e.subject.c_str(), phase_name(e.phase),
                  spaces[size_t(s)].c_str(), d.dice[0], d.dice[1], d.dice[2], d.dice[3], d.mean_foreground(), d.mean_all());
      scores[s].push_back(d);
    }
  }
  for (int s = 0; s < 3; ++s) {
    if (scores[s].empty()) continue;
    DiceSummary sum = summarise_dice(scores[s]);
    std::printf("%s, %zu volumes: RV %.4f+-%.4f  MYO %.4f+-%.4f  LV %.4f+-%.4f  mean %.4f+-%.4f  "
                "paper (with BG) %.4f+-%.4f\n",
                spaces[size_t(s)].c_str(), scores[s].size(), sum.per_class[1].mean, sum.per_class[1].std,
                sum.per_class[2].mean, sum.per_class[2].std, sum.per_class[3].mean, sum.per_class[3].std,
                sum.mean_foreground.mean, sum.mean_foreground.std, sum.mean_all.mean, sum.mean_all.std);
  }
  std::printf("cleaned: prepared space, every piece of a structure but its largest removed (largest connected "
              "components). ");
  std::printf("mean: RV, MYO, LV; paper: BG, RV, MYO, LV (the Pix2Rep paper's average). A structure absent from "
              "both prediction and truth scores 1.\n");
}

}  // namespace

void add_segment_commands(CLI::App& app) {
  add_training_command(app, "probe", "linear probe: 1x1-conv head on a frozen pretrained backbone", SegmentMode::Probe);
  add_training_command(app, "finetune", "fine-tune a pretrained backbone with a 1x1-conv head", SegmentMode::Finetune);
  add_training_command(app, "train-supervised", "supervised baseline: the same U-Net from random weights",
                       SegmentMode::Supervised);
  {
    auto* cmd = app.add_subcommand("predict", "segment subjects slice by slice and write label maps as NIfTI");
    struct Args {
      std::string model, data, out, subjects, space = "original", device = "auto", precision = "auto";
      FirstStage first;
      bool clean = false;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("--model", a->model, "segmentation run folder (probe/finetune/train-supervised --out)")->required();
    cmd->add_option("--data", a->data, "prepared file, or a dataset folder (needs ITK)")->required();
    cmd->add_option("--out", a->out, "output folder (SUBJECT_frameXX_pred.nii.gz per volume)")->required();
    cmd->add_option("--subjects", a->subjects, "only these subjects (comma separated)");
    cmd->add_option("--space", a->space,
                    "original (the source volume's grid and NIfTI header) or prepared (the crop's grid, placed "
                    "where the crop lies in the source's world)")
        ->check(CLI::IsMember({"original", "prepared"}));
    cmd->add_option("--device", a->device, "auto, cpu or cuda");
    add_precision_option(cmd, a->precision);
    cmd->add_flag("--clean", a->clean,
                  "keep only the largest connected piece of the heart and of each structure (the benchmark's "
                  "cleaned scores)");
    add_first_stage_options(cmd, a->first);
    cmd->callback([a] {
      Segmenter model(a->model, a->device, a->precision);
      P2R_CHECK(!a->clean || same_class_names(model.config().classes, acdc_classes()),
                a->model << ": --clean keeps one piece of the heart, which holds the ACDC structures; the model's "
                         << "classes are " << class_names_text(model.config().classes));
      const SliceSet data = first_stage_crops(select_subjects(load_slices(a->data, nullptr), a->data, a->subjects),
                                              a->first, a->device, a->precision);
      ensure_directory(a->out);
      int written = 0;
      const ClassList& classes = model.config().classes;
      std::vector<int64_t> pixels(classes.size(), 0);  // predicted prepared pixels per label
      for (int vi = 0; vi < int(data.volumes.size()); ++vi) {
        const VolumeRecord& v = data.volumes[vi];
        std::vector<uint8_t> pred = model.predict_volume(data, vi);
        if (a->clean) pred = keep_largest_components(pred, v.slice_count, data.size, data.size, int(classes.size()));
        for (uint8_t label : pred) ++pixels[label];
#ifdef PIX2REP_HAS_ITK
        write_prediction_file((fs::path(a->out) / prediction_file_name(v.subject, v.frame)).string(), data, vi, pred,
                              a->space == "original");
        ++written;
#else
        P2R_FAIL("writing NIfTI needs a build with ITK (PIX2REP_WITH_ITK)");
#endif
      }
      std::printf("wrote %d label maps (%s space) to %s\nlabels (predicted prepared pixels):", written,
                  a->space.c_str(), a->out.c_str());
      for (size_t c = 0; c < classes.size(); ++c)
        std::printf("%s %zu %s (%lld)", c ? "," : "", c, classes[c].name.c_str(), static_cast<long long>(pixels[c]));
      std::printf("\n");
    });
  }
  {
    auto* cmd = app.add_subcommand("evaluate", "3D Dice per structure of a segmentation model on labelled data");
    struct Args {
      std::string model, data, source, subjects, device = "auto", precision = "auto";
      FirstStage first;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("--model", a->model, "segmentation run folder")->required();
    cmd->add_option("--data", a->data, "prepared test file, or a dataset folder (needs ITK)")->required();
    cmd->add_option("--subjects", a->subjects, "only these subjects (comma separated)");
    cmd->add_option("--source", a->source,
                    "the source dataset's folder when it moved since --data was prepared (the label files for "
                    "Dice in the original space are read from there)");
    cmd->add_option("--device", a->device, "auto, cpu or cuda");
    add_precision_option(cmd, a->precision);
    add_first_stage_options(cmd, a->first);
    cmd->callback([a] {
      Segmenter model(a->model, a->device, a->precision);
      SliceSet data = select_subjects(load_slices(a->data, nullptr), a->data, a->subjects);
      if (!a->source.empty()) relocate_sources(data, a->source);
      check_label_files_exist(data);
      data = first_stage_crops(std::move(data), a->first, a->device, a->precision);
      const auto seen = labelled_training_subjects_among(model.config(), data.subject_ids());
      if (!seen.empty()) {
        std::fprintf(stderr, "warning: %zu test subject(s) were labelled training subjects of %s:", seen.size(),
                     a->model.c_str());
        for (const auto& s : seen) std::fprintf(stderr, " %s", s.c_str());
        std::fprintf(stderr, "; their scores are not test scores\n");
      }
      TerminalProgress progress;
      print_evaluation(evaluate_segmenter(model, data, true, progress));
    });
  }
  {
    auto* cmd = app.add_subcommand("benchmark", "the paper's few-shot benchmark (Table 1), resumable");
    struct Args {
      BenchmarkConfig c;
      std::string data, test, sizes, methods, pretrain_data;
      std::map<std::string, std::string> pretrained;  // backbone kind -> run folder
      std::vector<std::string> recipe;
      int holdout = 0;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("--data", a->data, "prepared file of the training pool (labelled subjects for the draws; "
                                       "every pool subject pretrains without labels)")->required();
    cmd->add_option("--test", a->test, "test set: prepared file or ACDC-layout folder (prepared like --data)");
    cmd->add_option("--pretrain-data", a->pretrain_data,
                    "prepared file the benchmark's own pretraining reads instead of --data: the same subjects "
                    "prepared another way, e.g. a tighter label-free crop (only the pool's subjects are used; "
                    "recorded in benchmark.json)");
    cmd->add_option("--holdout-per-group", a->holdout, "or: hold out N subjects per group of --data as the test set");
    cmd->add_option("--out", a->c.out_dir, "output folder (runs.csv, table.md, table.tex, cells/, pretrain-*/)")->required();
    cmd->add_option("--sizes", a->sizes, "numbers of labelled subjects, comma separated (default 1,2,5,10,20,50,100)");
    cmd->add_option("--runs", a->c.runs, "runs (draws) per size");
    cmd->add_option("--methods", a->methods, "comma separated subset of " + benchmark_method_list() +
                                                 " (default supervised and the Pix2Rep / Pix2Rep-v2 probes and fine-tunings)");
    for (const BackboneKind& kind : backbone_kinds())
      cmd->add_option("--" + kind.name, a->pretrained[kind.name],
                      "pretrained run folder: " + kind.title + " (else pretrained here)");
    cmd->add_option("--preset", a->c.preset, "preset of pretraining done here (cpu, cpu-small, paper)")
        ->check(CLI::IsMember(pretrain_preset_names()));
    cmd->add_option("--pretrain-epochs", a->c.pretrain_epochs, "override the preset's pretraining epochs")
        ->default_str("preset");
    cmd->add_option("--set", a->recipe, "pretraining recipe override KEY=VALUE (repeatable; recorded in "
                                        "benchmark.json):\n" + recipe_keys_help())
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    cmd->add_option("--epochs", a->c.epochs, "segmentation epochs per cell");
    cmd->add_option("--seed", a->c.seed, "base seed (run r uses seed + r)");
    cmd->add_option("--device", a->c.device, "auto, cpu or cuda");
    add_precision_option(cmd, a->c.precision);
    cmd->add_option("--threads", a->c.threads, "CPU threads (0: all cores)");
    cmd->add_flag("--rescore", a->c.rescore,
                  "re-evaluate the folder's finished cells from their saved models, without training (e.g. to add "
                  "the cleaned rows to a folder made before them); the other cells are trained as usual");
    cmd->add_flag("--refine-crop", a->c.refine_crop,
                  "also score each cell's two-stage version: the method trained again on its labelled subjects' "
                  "heart crops segments every test volume re-cropped around the heart its first model predicts "
                  "(rows in the space 'refined'; finished cells get them without retraining their first stage)");
    cmd->callback([a] {
      if (!a->sizes.empty()) {
        a->c.sizes.clear();
        for (const auto& s : split_list(a->sizes)) a->c.sizes.push_back(std::stoi(s));
      }
      if (!a->methods.empty()) a->c.methods = split_list(a->methods);
      for (const auto& [kind, dir] : a->pretrained)
        if (!dir.empty()) a->c.pretrained[kind] = dir;
      for (const std::string& text : a->recipe) a->c.recipe.push_back(parse_recipe_override(text));
      a->c.validate();
      SliceSet pool = load_slice_set(a->data), test;
      P2R_CHECK(a->test.empty() != (a->holdout == 0), "give exactly one of --test and --holdout-per-group");
      if (!a->test.empty()) {
        test = load_slices(a->test, &pool.config);
      } else {
        std::tie(test, pool) = hold_out_slices(pool, a->holdout, a->c.seed);
        std::printf("held out %zu test subjects, %zu in the training pool\n", test.subject_ids().size(),
                    pool.subject_ids().size());
      }
      TerminalProgress progress;
      if (a->pretrain_data.empty())
        run_few_shot_benchmark(a->c, pool, test, progress);
      else
        run_few_shot_benchmark(a->c, pool, test,
                               pool_subjects_of(load_slice_set(a->pretrain_data), a->pretrain_data, pool), progress);
      std::printf("%s", write_benchmark_tables(a->c.out_dir).c_str());
    });
  }
}

}  // namespace p2r::cli
