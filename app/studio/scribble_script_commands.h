#pragma once
// Script commands for scribbles and live training (the script runner delegates to these; `stroke`,
// which replays the mouse, lives in the runner):
//   scribble [on|off|undo|redo] [class=NAME size=PX eraser=0|1 steps=N head=linear|mlp]
//                                  the Scribbles panel and paint mode (on unless off), the brush
//                                  class (a class name: background, RV, MYO, LV, or one added), size,
//                                  eraser; undo / redo; the training's steps per stroke and head
//   scribble_add_class NAME R G B  add a class (colour 0..255 each); a refusal is the panel's error
//   scribble_rename_class OLD NEW  rename a class; a refusal is the panel's error
//   scribble_remove_class NAME     remove a class without strokes; a refusal is the panel's error
//   expect_scribble_classes TEXT   the class names joined by ", " are TEXT
//   expect_scribble_prediction_class NAME MIN
//                                  wait for the prediction, then at least MIN pixels of the shown
//                                  slice are predicted as NAME
//   save_scribbles DIR             Save (DIR/SUBJECT_frameFF_scribbles.nii.gz, DIR/classes.json)
//   load_scribbles DIR             Load (grids and values checked; errors go to the panel)
//   expect_scribble_voxels N       N scribbled voxels on the original grids (every class)
//   wait_scribble_prediction       wait until the shown volume's prediction follows the latest
//                                  scribbles; fails with the panel's error
//   expect_scribble_accuracy MIN   wait for it, then at least MIN of the shown slice's stroked
//                                  (prepared) pixels are predicted as their class
//   save_classifier DIR            Save classifier (a segmentation model folder)
//   open_classifier DIR            Open a saved classifier (same backbone)
//   apply_scribbles DIR            Apply to the dataset (DIR/SUBJECT_frameFF_pred.nii.gz)
//   expect_scribble_error TEXT     wait, then the panel shows an error containing TEXT (cleared)
//   scribble_latency LABEL         stroke -> slice / volume percentiles to stderr
#include <functional>
#include <map>
#include <string>

namespace p2r::studio {

class StudioSession;
struct ScriptCommand;

/// Command name -> number of arguments (-1: one or more joined; kAnyArguments: zero or more).
const std::map<std::string, int>& scribble_command_arities();

/// Runs command when it is one of the above and returns true; false for other commands. A command
/// that has to wait sets wait_until. Throws p2r::Error with a message for the script failure.
bool run_scribble_command(const ScriptCommand& command, StudioSession& session,
                          std::function<bool(StudioSession&)>& wait_until);

}  // namespace p2r::studio
