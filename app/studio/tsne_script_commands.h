#pragma once
// Script commands for the t-SNE view (the script runner delegates to these):
//   tsne [points=N] [iterations=N] [perplexity=X] [layout=FILE]
//                                                    sample the shown volume and start t-SNE (worker),
//                                                    or show a saved layout (tsne_points.csv)
//   tsne_save FILE                                   save the shown layout as tsne_points.csv
//   expect_tsne_kl_below X                           the computed t-SNE's KL divergence is finite and < X
//   wait_tsne                                        wait until it finished; fails with its error
//   tsne_colour label|map                            scatter colours
//   tsne_select U0 V0 U1 V1                          select the points in a rectangle of the plot's unit square
#include <functional>
#include <map>
#include <string>

namespace p2r::studio {

class StudioSession;
struct ScriptCommand;

/// Command name -> number of arguments (-1: one or more joined; -2: any, kept apart).
const std::map<std::string, int>& tsne_command_arities();

/// Runs command when it is one of the above and returns true; false for other commands.
bool run_tsne_command(const ScriptCommand& command, StudioSession& session,
                      std::function<bool(StudioSession&)>& wait_until);

}  // namespace p2r::studio
