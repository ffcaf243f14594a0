#pragma once
// Script commands for the t-SNE view (the script runner delegates to these):
//   tsne [points=N] [iterations=N] [perplexity=X]   sample the shown volume and start t-SNE (worker)
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
