#pragma once
// Script commands for jobs, models and frame timing (the script runner delegates to these):
//   tools on|off                         show the right column (Jobs, Model)
//   pretrain [key=value ...]             method preset epochs batch lr max_slices out base levels
//                                        n_ft proj_dim samples seed val_fraction
//   resume DIR|last [epochs=N]           continue a pretraining run on the open data
//   probe|finetune|supervised [key=value ...]  backbone(=DIR|last) subjects(=a,b) epochs batch out
//                                        patience lr_head lr_backbone seed augment(=0|1) base levels n_ft
//   wait_job                             wait until every job finished
//   wait_job_step N                      wait until the newest job reported N steps done
//   cancel_job                           cancel the running job
//   expect_job STATE [TEXT ...]          newest job ended in STATE, its error/summary contains TEXT
//   open_model DIR|last                  open a segmentation run folder (last: newest trained here)
//   segment [subject]                    predict the shown volume (or the subject's every frame)
//   wait_model                           wait until the model's open / segment task is done
//   expect_model_error TEXT              the Model panel shows an error containing TEXT
//   expect_dice MIN                      the shown volume's prediction has mean foreground Dice >= MIN
//   open_results PATH                    open a benchmark folder or runs.csv (Benchmark results window)
//   results_view [metric=M] [space=S]    metric mean_fg|mean_all|dice_lv|dice_rv|dice_myo, space prepared|original
//   expect_results_error TEXT            the last open_results failed with TEXT
//   expect_result METHOD K VALUE         the shown metric's mean for METHOD at |Xtr|=K is VALUE (+-5e-4)
//   frame_stats start | frame_stats report LABEL   record frame times; print p50/p95 to stderr
//   animate_pan N                        pan by a pixel every frame for N frames (a drag's re-renders)
#include <functional>
#include <map>
#include <string>

namespace p2r::studio {

class StudioSession;
struct ScriptCommand;

/// Arity marker: any number of words, kept apart.
inline constexpr int kAnyArguments = -2;

/// Command name -> number of arguments (-1: one or more joined; kAnyArguments: zero or more).
const std::map<std::string, int>& tool_command_arities();

/// Runs command when it is one of the above and returns true; false for other commands. A command
/// that has to wait sets wait_until (the runner calls it each frame until it returns true). Throws
/// p2r::Error with a message for the script failure.
bool run_tool_command(const ScriptCommand& command, StudioSession& session,
                      std::function<bool(StudioSession&)>& wait_until);

}  // namespace p2r::studio
