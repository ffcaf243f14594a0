#pragma once
// Script commands for embeddings and pixel queries (the script runner delegates to these):
//   open_backbone DIR|last         embed the open data with a pretraining run (last: newest trained here)
//   wait_embeddings                wait until the embeddings are ready; fails with their error
//   expect_embeddings_error TEXT   wait, then the similarity column shows an error containing TEXT
//   snapshot_epoch N|end           embed with the backbone run's snapshot of epoch N (end: the run)
//   expect_backbone TEXT           wait for the embeddings and the query's maps; the shown backbone's
//                                  folder contains TEXT
//   query X Y                      query pixel (X, Y) of the shown slice; waits for its grid
//   grid N                         comparison slices in the grid
//   grid_mode position|dataset     what the grid compares with (dataset: the best matches of the data)
//   wait_grid                      wait until the grid shows the query in its mode (the dataset mode:
//                                  its index built); fails with the index's or the search's error
//   expect_grid_ranked             the grid is the dataset search's: every cell of another subject
//                                  than the query's, scores never rising, grid N cells (fewer if fewer)
//   expect_grid_beats_position TOL the grid's first score is at least the exact best of the position
//                                  mode's slices of other subjects, less TOL
//   expect_grid_best_score_at_least X   the grid's first cell scores at least X
//   equivariance on|off [rotate=DEG scale=S shift_x=PX shift_y=PX flip=0|1]
//                                  the Equivariance / Reversal error layers of the shown slice
//   wait_equivariance              wait until they show the current slice and phi; fails with their error
#include <functional>
#include <map>
#include <string>

namespace p2r::studio {

class StudioSession;
struct ScriptCommand;

/// Command name -> number of arguments (-1: one or more joined).
const std::map<std::string, int>& query_command_arities();

/// Runs command when it is one of the above and returns true; false for other commands. A command
/// that has to wait sets wait_until. Throws p2r::Error with a message for the script failure.
bool run_query_command(const ScriptCommand& command, StudioSession& session,
                       std::function<bool(StudioSession&)>& wait_until);

}  // namespace p2r::studio
