#include "core/train/local_ranks_pretraining.h"

#include <unistd.h>

#include <filesystem>

#include "core/common/error.h"
#include "core/data/slice_cache.h"
#include "core/model/run_folder.h"
#include "core/train/local_workers.h"

namespace p2r {
namespace fs = std::filesystem;
namespace {

// How long the workers may take to end after rank 0 finished or stopped (they stop after the same
// step); then they are killed.
constexpr double kWorkerGraceSeconds = 30;

// Refuses, before anything is written or started, what cannot run as ranks.workers ranks.
void check_local_ranks(const PretrainConfig& c, const LocalRanks& ranks) {
  const int n = ranks.workers;
  P2R_CHECK(n >= 2, "workers " << n << ": a job of several processes needs at least 2");
  P2R_CHECK(data_parallel_method(c.method), "workers " << n << ": data-parallel pretraining supports pix2rep and "
                                                       << "pix2rep-v2, not " << method_name(c.method)
                                                       << " (set workers to 1)");
  P2R_CHECK(c.batch % n == 0, "workers " << n << ": batch " << c.batch << " (the global batch) is not divisible by "
                                         << n << " workers");
  P2R_CHECK(fs::is_regular_file(ranks.program) && ::access(ranks.program.c_str(), X_OK) == 0,
            "workers " << n << ": the program that runs ranks 1.." << n - 1 << " is missing: " << ranks.program
                       << " (build the pix2rep target; it must sit beside pix2rep-studio)");
  P2R_CHECK(!c.out_dir.empty(), "no output folder given");
  P2R_CHECK(!fs::exists(checkpoint_path(c.out_dir)), c.out_dir << " already holds a pretraining run");
}

}  // namespace

PretrainResult run_pretraining_on_local_ranks(PretrainConfig config, const SliceSet& data, const LocalRanks& ranks,
                                              ProgressSink& progress) {
  config.validate();
  check_local_ranks(config, ranks);
  if (config.threads > 0) config.threads = threads_per_rank(config.threads, ranks.workers);
  const std::string workers_dir = run_workers_path(config.out_dir);
  fs::create_directories(workers_dir);
  if (ranks.prepared_file.empty()) {
    config.data_path = run_data_path(config.out_dir);
    progress.begin("writing the slices for the workers: " + config.data_path, 0);
    save_slice_set(config.data_path, data);
    progress.end();
  } else {
    config.data_path = ranks.prepared_file;
  }
  const std::string worker_config = (fs::path(workers_dir) / "config.json").string();
  save_pretrain_config(worker_config, config);

  LocalWorkers workers(ranks.workers, 0);
  const std::vector<std::string> args{"pretrain", "--config", worker_config, "--method", method_name(config.method),
                                      "--data", config.data_path, "--out", config.out_dir};
  for (int rank = 1; rank < ranks.workers; ++rank)
    workers.start(rank, ranks.program, args, (fs::path(workers_dir) / ("rank-" + std::to_string(rank) + ".log")).string());

  DistributedOptions dist;
  dist.env = workers.env(0);
  dist.while_joining = [&] {
    if (progress.cancelled()) throw Cancelled();
    const std::vector<WorkerExit> ended = workers.poll();
    P2R_CHECK(ended.empty(), "rank 0: worker rank " << ended[0].rank << " ended before every rank joined\n"
                                                    << describe_worker_failures(ended));
  };
  PretrainResult result;
  try {
    result = run_pretraining(config, data, progress, dist);
  } catch (const Cancelled&) {
    workers.finish(kWorkerGraceSeconds);
    throw;
  } catch (const Error& e) {
    const std::string failures = describe_worker_failures(workers.poll());  // the others are killed on return
    P2R_FAIL(e.message() << (failures.empty() ? "" : "\n") << failures);
  }
  const std::string failures = describe_worker_failures(workers.finish(kWorkerGraceSeconds));
  P2R_CHECK(failures.empty(), "rank 0 finished the run, but a worker failed:\n" << failures);
  return result;
}

}  // namespace p2r
