#pragma once
// Script commands for figure export (the script runner delegates to these):
//   export_figure KIND FILE [key=value ...]   export what is shown (similarity, embedding,
//                                             segmentation, dice, table); keys: also(=pdf,svg)
//                                             dpi column(=single|double) whole_volume(=0|1) results
//   wait_export                               wait until it finished; fails with its error
//   expect_export_error TEXT                  (after it finished) the last export was refused or
//                                             failed with TEXT
#include <functional>
#include <map>
#include <string>

namespace p2r::studio {

class StudioSession;
struct ScriptCommand;

/// Command name -> number of arguments (-1: one or more joined; kAnyArguments: any, kept apart).
const std::map<std::string, int>& export_command_arities();

/// Runs command when it is one of the above and returns true; false for other commands.
bool run_export_command(const ScriptCommand& command, StudioSession& session,
                        std::function<bool(StudioSession&)>& wait_until);

}  // namespace p2r::studio
