#pragma once
// Pretraining as a data-parallel job of several processes on this machine with rank 0 in this
// process and the others child processes of the pix2rep program (the studio's Jobs panel;
// docs/distributed.md, "From the studio"). No Torch.
#include <string>

#include "core/common/progress.h"
#include "core/data/slice_set.h"
#include "core/train/pretrainer.h"

namespace p2r {

/// How a pretraining runs as ranks on this machine.
struct LocalRanks {
  int workers = 2;            ///< ranks in all, this process's rank 0 included (at least 2)
  std::string program;        ///< the pix2rep command-line program that runs ranks 1 .. workers - 1
  /// A prepared file holding exactly the slices trained on; "": they are written to the run folder
  /// (run_data_path) for the other ranks to read
  std::string prepared_file;
};

/// Pretrains config on data as ranks.workers data-parallel ranks meeting on 127.0.0.1 (a free port):
/// rank 0 in this thread, reporting to progress; ranks 1.. started in this process's working folder
/// as `program pretrain --config RUN/workers/config.json ...` with their variables in their own
/// environment, output in RUN/workers/rank-R.log. config.threads > 0 is split over the ranks
/// (threads_per_rank); config.data_path becomes the prepared file. Cancel (progress) stops every rank after the same
/// step (rank 0 saves; p2r::Cancelled). Throws p2r::Error, before anything starts, for a method that
/// is not split over ranks, a batch the ranks do not divide, a missing program or a folder that
/// holds a run; and when a rank fails, naming it (the others are killed). No worker outlives the call.
PretrainResult run_pretraining_on_local_ranks(PretrainConfig config, const SliceSet& data, const LocalRanks& ranks,
                                              ProgressSink& progress);

}  // namespace p2r
