// The few-shot benchmark on the phantom: it resumes without redoing cells, pretrains with recipe
// overrides or on other data of the pool's subjects, refuses a pretrained run of the wrong kind,
// runs the combined rows and adds the two-stage version of finished cells.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/common/content_hash.h"
#include "core/common/error.h"
#include "core/data/slice_content_hash.h"
#include "core/eval/few_shot_benchmark.h"
#include "core/eval/few_shot_split.h"
#include "core/train/pretrainer.h"
#include "core/train/segmenter.h"
#include "tests/core/segmentation_fixtures.h"
#include "tests/core/test_support.h"

namespace fs = std::filesystem;

namespace p2r {
namespace {

using test::backbone;
using test::one_cell_benchmark;
using test::phantom;
using test::scratch;
#ifdef PIX2REP_HAS_ITK
using test::phantom_from_files;
#endif

TEST(Segmentation, BenchmarkResumesWithoutRedoingCells) {
  BenchmarkConfig c;
  c.out_dir = scratch("benchmark");
  c.sizes = {1, 2};
  c.runs = 1;
  c.methods = {"pix2rep-probe"};
  c.pretrained["pix2rep"] = backbone();
  c.epochs = 2;
  c.threads = 2;
  c.device = "cpu";
  SliceSet pool = phantom().select_volumes({0, 1, 2, 3, 4, 5, 6, 7}), test = phantom().select_volumes({8, 9});
  run_few_shot_benchmark(c, pool, test, null_progress());
  std::string csv = c.out_dir + "/runs.csv";
  auto stamp = fs::last_write_time(csv);
  auto model_stamp = fs::last_write_time(c.out_dir + "/cells/pix2rep-probe/k1/run0/model.pt");
  run_few_shot_benchmark(c, pool, test, null_progress());
  EXPECT_EQ(fs::last_write_time(csv), stamp) << "nothing to redo";
  EXPECT_EQ(fs::last_write_time(c.out_dir + "/cells/pix2rep-probe/k1/run0/model.pt"), model_stamp);
  // --rescore: a folder made before the cleaned rows gets them from the saved models, no training.
  auto read_lines = [](const std::string& path) {
    std::vector<std::string> lines;
    std::ifstream in(path);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
  };
  const std::vector<std::string> full = read_lines(csv);
  auto rows_in = [&](const char* space) {
    return std::count_if(full.begin(), full.end(), [&](const std::string& l) { return l.find(space) != std::string::npos; });
  };
  ASSERT_EQ(rows_in(",prepared,"), 4);  // 2 cells x 2 test volumes
  ASSERT_EQ(rows_in(",cleaned,"), 4);
  {
    std::ofstream out(csv);
    for (const std::string& l : full)
      if (l.find(",cleaned,") == std::string::npos) out << l << "\n";
  }
  EXPECT_EQ(write_benchmark_tables(c.out_dir).find("clean-up"), std::string::npos);
  c.rescore = true;
  run_few_shot_benchmark(c, pool, test, null_progress());
  c.rescore = false;
  EXPECT_EQ(fs::last_write_time(c.out_dir + "/cells/pix2rep-probe/k1/run0/model.pt"), model_stamp) << "no training";
  std::vector<std::string> rescored = read_lines(csv), expected = full;
  std::sort(rescored.begin(), rescored.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(rescored, expected) << "same scores and recorded seconds";
  EXPECT_NE(write_benchmark_tables(c.out_dir).find("after the largest-component clean-up"), std::string::npos);
  c.sizes = {1, 2, 3};  // one new cell
  run_few_shot_benchmark(c, pool, test, null_progress());
  EXPECT_EQ(fs::last_write_time(c.out_dir + "/cells/pix2rep-probe/k1/run0/model.pt"), model_stamp);
  EXPECT_TRUE(fs::exists(c.out_dir + "/cells/pix2rep-probe/k3/run0/model.pt"));
  std::string md = write_benchmark_tables(c.out_dir);
  EXPECT_NE(md.find("| pix2rep-probe |"), std::string::npos) << md;
  EXPECT_NE(md.find("=3 |"), std::string::npos) << md;
  c.sizes = {5};  // more labelled subjects than the pool's 4
  EXPECT_THROW(run_few_shot_benchmark(c, pool, test, null_progress()), Error);
  // Resuming with another protocol would mix cells of different settings in one table.
  EXPECT_TRUE(fs::exists(c.out_dir + "/benchmark.json"));
  c.sizes = {1};
  c.epochs = 3;
  try {
    run_few_shot_benchmark(c, pool, test, null_progress());
    ADD_FAILURE() << "a different --epochs was accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("benchmark.json: this folder's cells were made with epochs = 2"), std::string::npos)
        << e.message();
  }
  c.epochs = 2;
  SliceSet other_test = phantom().select_volumes({10, 11});  // another test subject
  EXPECT_THROW(run_few_shot_benchmark(c, pool, other_test, null_progress()), Error);
  EXPECT_EQ(fs::last_write_time(c.out_dir + "/cells/pix2rep-probe/k1/run0/model.pt"), model_stamp);
  // Recipe overrides apply to the benchmark's own pretraining, not to a given run.
  c.recipe = {{"n_ft", "8"}};
  EXPECT_THROW(c.validate(), Error);
}

// The ablation switches: the benchmark pretrains with the overridden recipe, records it in
// benchmark.json, and refuses to resume the folder with other overrides.
TEST(Segmentation, BenchmarkPretrainsWithRecipeOverrides) {
  BenchmarkConfig c = one_cell_benchmark("recipe", "pix2rep-probe", 1);
  c.pretrained.clear();  // pretrained here, with the overrides
  c.recipe = {{"width", "2"}, {"levels", "2"}, {"n_ft", "6"}, {"expand", "on"}, {"proj", "4"}, {"epochs", "1"},
              {"samples", "64"}, {"reversal", "off"}, {"rotation", "off"}};
  SliceSet pool = phantom().select_volumes({0, 1, 2, 3}), test = phantom().select_volumes({8, 9});
  run_few_shot_benchmark(c, pool, test, null_progress());
  const PretrainConfig made = load_pretrain_config(c.out_dir + "/pretrain-pix2rep/config.json", PretrainConfig());
  EXPECT_EQ(made.model.base, 2);
  EXPECT_EQ(made.model.n_ft, 6);
  EXPECT_EQ(made.model.expand, 1);  // and the probe ran on that backbone
  EXPECT_EQ(made.augment.p_reversal, 0.0);
  EXPECT_EQ(made.augment.rotation_deg, 0.0);
  std::stringstream protocol;
  protocol << std::ifstream(c.out_dir + "/benchmark.json").rdbuf();
  EXPECT_NE(protocol.str().find("\"reversal\": \"off\""), std::string::npos) << protocol.str();
  c.recipe.back().second = "on";
  try {
    run_few_shot_benchmark(c, pool, test, null_progress());
    ADD_FAILURE() << "another recipe was accepted on resume";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("recipe"), std::string::npos) << e.message();
  }
  c.recipe = {{"n_ft", "0"}};
  EXPECT_THROW(c.validate(), Error);
}

// Other pretraining data (the pool's subjects prepared another way, --pretrain-data): the benchmark
// pretrains on its pool subjects only, records it by content and refuses to resume without it.
TEST(Segmentation, BenchmarkPretrainsOnThePoolSubjectsOfOtherData) {
  BenchmarkConfig c = one_cell_benchmark("pretrain-data", "pix2rep-probe", 1);
  c.pretrained.clear();  // pretrained here, on the other data
  c.recipe = {{"width", "2"}, {"levels", "2"}, {"n_ft", "6"}, {"proj", "4"}, {"epochs", "1"}, {"samples", "64"}};
  const SliceSet pool = phantom().select_volumes({0, 1, 2, 3}), test = phantom().select_volumes({8, 9});
  SliceSet other = phantom();  // every subject, prepared another way: here darker
  for (float& v : other.images) v *= 0.5f;
  const SliceSet pretraining = pool_subjects_of(other, "other.p2rs", pool);
  EXPECT_EQ(pretraining.subject_ids(), pool.subject_ids());
  EXPECT_EQ(pretraining.slice_count(), pool.slice_count());
  EXPECT_NE(slice_content_hash(pretraining), slice_content_hash(pool));
  run_few_shot_benchmark(c, pool, test, pretraining, null_progress());
  std::stringstream provenance, protocol;
  provenance << std::ifstream(c.out_dir + "/pretrain-pix2rep/provenance.json").rdbuf();
  protocol << std::ifstream(c.out_dir + "/benchmark.json").rdbuf();
  const std::string hash = hash_hex(slice_content_hash(pretraining));
  EXPECT_NE(provenance.str().find("\"data_hash\": \"" + hash + "\""), std::string::npos) << provenance.str();
  EXPECT_NE(protocol.str().find("\"pretrain_data\": \"" + hash + "\""), std::string::npos) << protocol.str();
  run_few_shot_benchmark(c, pool, test, pretraining, null_progress());  // resumes: nothing to redo
  try {
    run_few_shot_benchmark(c, pool, test, null_progress());
    ADD_FAILURE() << "resuming on the pool's own images was accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("pretrain_data"), std::string::npos) << e.message();
  }
  // Data lacking pool subjects, or cropped around its labels for a label-free pool, is refused by name.
  try {
    pool_subjects_of(other.select_volumes({0, 1}), "small.p2rs", pool);
    ADD_FAILURE() << "data without every pool subject was accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("small.p2rs: lacks 1 of the pool's 2 subjects"), std::string::npos) << e.message();
  }
  SliceSet labelled_crop = other;
  labelled_crop.config.crop = CropMode::PaperRoi;
  try {
    pool_subjects_of(labelled_crop, "roi.p2rs", pool);
    ADD_FAILURE() << "a paper-roi crop was accepted for a label-free pool";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("roi.p2rs: cropped around its labels"), std::string::npos) << e.message();
  }
  // A given pretrained run keeps its own data.
  c = one_cell_benchmark("pretrain-data-given", "pix2rep-probe", 1);
  EXPECT_THROW(run_few_shot_benchmark(c, pool, test, pretraining, null_progress()), Error);
}

// A method needs its kind of pretrained run: a Pix2Rep run given as SimCLR or as the ablation
// without rotation and reversal is refused with both kinds named; unknown names list the valid ones.
TEST(Segmentation, BenchmarkRefusesAPretrainedRunOfTheWrongKind) {
  // What a Pix2Rep run's folder says about its kind: its config.json.
  const std::string run = scratch("pix2rep_run");
  fs::create_directories(run);
  std::ofstream(config_path(run)) << pretrain_config_to_json(pretrain_preset("cpu-small", PretrainMethod::Pix2Rep));
  BenchmarkConfig c;
  c.out_dir = scratch("wrong_kind");
  c.methods = {"simclr-finetune"};
  c.pretrained["simclr"] = run;
  try {
    c.validate();
    ADD_FAILURE() << "a Pix2Rep run was accepted as SimCLR";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("this is a pix2rep run, but simclr needs a SimCLR encoder run"), std::string::npos)
        << e.message();
  }
  c.pretrained = {{"pix2rep-no-rot-rev", run}};
  c.methods = {"pix2rep-no-rot-rev-finetune"};
  try {
    c.validate();
    ADD_FAILURE() << "a Pix2Rep run with rotation was accepted as the ablation";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("without rotation and intensity reversal"), std::string::npos) << e.message();
  }
  c.pretrained = {{"pix2rep", run}};
  c.methods = {"pix2rep-finetune", "mean-teaher"};
  try {
    c.validate();
    ADD_FAILURE() << "an unknown method was accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("unknown method 'mean-teaher' (expected one of supervised, mean-teacher,"),
              std::string::npos)
        << e.message();
  }
  c.methods = {"pix2rep-finetune"};
  c.pretrained = {{"pix2rep-v3", run}};
  EXPECT_THROW(c.validate(), Error);
}

// The combined row: Pix2Rep + Mean Teacher fine-tunes the given backbone with the consistency loss.
TEST(Segmentation, BenchmarkRunsPix2RepPlusMeanTeacher) {
  BenchmarkConfig c = one_cell_benchmark("benchmark_mt", "pix2rep-mean-teacher", 2);
  SliceSet pool = phantom().select_volumes({0, 1, 2, 3}), test = phantom().select_volumes({8, 9});
  run_few_shot_benchmark(c, pool, test, null_progress());
  const SegmentConfig cell = Segmenter(c.out_dir + "/cells/pix2rep-mean-teacher/k1/run0", "cpu").config();
  EXPECT_TRUE(cell.mean_teacher);
  EXPECT_EQ(cell.mode, SegmentMode::Finetune);
  const std::string md = write_benchmark_tables(c.out_dir);
  EXPECT_NE(md.find("| *Combined* |"), std::string::npos) << md;
}

// --refine-crop on a finished folder: the two-stage rows are added without retraining the first
// stage, and a later call has nothing to redo; Mean Teacher methods are refused.
TEST(Segmentation, BenchmarkAddsTheTwoStageVersionOfFinishedCells) {
#ifndef PIX2REP_HAS_ITK
  GTEST_SKIP() << "the refinement reads the source files again (needs ITK)";
#else
  const SliceSet& set = phantom_from_files();
  const SliceSet pool = set.select_volumes({0, 1, 2, 3, 4, 5}), test = set.select_volumes({6, 7});
  BenchmarkConfig c = one_cell_benchmark("benchmark_refined", "pix2rep-probe", 3);
  run_few_shot_benchmark(c, pool, test, null_progress());
  const std::string cell = c.out_dir + "/cells/pix2rep-probe/k1/run0", csv = c.out_dir + "/runs.csv";
  auto rows_in = [&](const char* space) {
    std::ifstream in(csv);
    int count = 0;
    for (std::string l; std::getline(in, l);) count += l.find(space) != std::string::npos;
    return count;
  };
  EXPECT_EQ(rows_in(",refined,"), 0);
  const auto stamp = fs::last_write_time(cell + "/model.pt");
  c.refine_crop = true;
  run_few_shot_benchmark(c, pool, test, null_progress());
  EXPECT_EQ(fs::last_write_time(cell + "/model.pt"), stamp) << "the first stage is not retrained";
  EXPECT_TRUE(fs::exists(cell + "/refined/model.pt"));
  EXPECT_EQ(rows_in(",refined,"), 2) << "one per test volume";
  EXPECT_EQ(rows_in(",prepared,"), 2);
  const auto csv_stamp = fs::last_write_time(csv);
  run_few_shot_benchmark(c, pool, test, null_progress());
  EXPECT_EQ(fs::last_write_time(csv), csv_stamp) << "nothing to redo";
  const std::string md = write_benchmark_tables(c.out_dir);
  EXPECT_NE(md.find("two stages: re-cropped around the predicted heart"), std::string::npos) << md;
  c.methods = {"pix2rep-probe", "mean-teacher"};
  EXPECT_NE(test::error_of([&] { c.validate(); }).find("mean-teacher needs the unlabelled pool"), std::string::npos);
#endif
}

}  // namespace
}  // namespace p2r
