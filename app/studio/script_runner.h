#pragma once
// Replays a studio script, one command after another between frames, for tests and figures.
//
// One command per line, '#' starts a comment:
//   open PATH | open demo        select_subject ID        frame ED|ES|NUMBER     slice N
//   window LOW HIGH              colormap NAME            overlay on|off         opacity X
//   show_label all|RV|MYO|LV     zoom Z                   pan DX DY (image px)   reset_view
//   wait_frames N                screenshot PATH          expect_error TEXT      expect_no_error
//   save_layers PATH (the layers at native resolution)   expect_layers_match_cpu (shaders == viz)
//   hide_layer NAME (e.g. "t-SNE colours")
//   click X Y (a left click at window pixel X, Y, replayed through ImGui's input over three frames:
//   move, press, release; it goes through the same mouse handling as a real click)
//   stroke X0,Y0 X1,Y1 ... (a left drag through those window pixels, one frame per point: paints
//   in scribble mode)
// Jobs, models and frame timing (tool_script_commands.h): tools on|off, pretrain, resume, probe,
// finetune, supervised, wait_job, cancel_job, expect_job, open_model, segment, wait_model,
// expect_model_error, expect_dice, frame_stats, animate_pan. Scribbles (scribble_script_commands.h):
// scribble, save_scribbles, load_scribbles, wait_scribble_prediction, save_classifier, ...
// Commands other than wait_frames / screenshot wait until no data is loading.
// expect_layers_match_cpu writes gpu.png and cpu.png into $P2R_DEBUG_DIR when that is set.
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace p2r::studio {

class StudioSession;

/// The mouse of one replayed frame: position in window pixels and the left button.
struct ScriptMouse {
  float x = 0, y = 0;
  bool left_down = false;
};

/// One parsed line: the command word and its arguments.
struct ScriptCommand {
  int line = 0;
  std::string name;
  std::vector<std::string> args;
};

/// Parses script text; throws p2r::Error naming source:line for unknown commands or wrong arity.
std::vector<ScriptCommand> parse_script(const std::string& text, const std::string& source);

class ScriptRunner {
 public:
  ScriptRunner(std::vector<ScriptCommand> commands, std::string source);

  /// Before each frame: runs commands until one has to wait for frames, loading or a screenshot.
  void before_frame(StudioSession& session);
  /// After the frame is rendered (before it is shown): the path to save a screenshot of it, if due.
  std::optional<std::string> take_screenshot_request();
  /// The mouse for this frame while a click is replayed; nullopt otherwise (no mouse in the window).
  const std::optional<ScriptMouse>& mouse() const { return m_mouse; }
  /// True when every command ran (and the last screenshot was taken).
  bool finished() const {
    return m_failed || (m_next >= m_commands.size() && m_wait_frames == 0 && !m_capture && !m_pending_capture &&
                        !m_wait_until && m_mouse_queue.empty() && !m_mouse);
  }
  bool failed() const { return m_failed; }
  /// "script.txt:3: message" when failed.
  const std::string& failure() const { return m_failure; }

 private:
  void run(const ScriptCommand& command, StudioSession& session);
  std::vector<ScriptCommand> m_commands;
  std::string m_source;
  size_t m_next = 0;
  int m_wait_frames = 0;
  std::vector<ScriptMouse> m_mouse_queue;  // frames of a click still to replay, in order
  std::optional<ScriptMouse> m_mouse;      // this frame's replayed mouse
  std::function<bool(StudioSession&)> m_wait_until;  // a command waits until this returns true
  bool m_pending_capture = false;  // screenshot requested, waiting for the layout to settle
  bool m_capture = false;          // take it after this frame
  std::string m_screenshot_path;
  bool m_failed = false;
  std::string m_failure;
};

}  // namespace p2r::studio
