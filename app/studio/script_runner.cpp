#include "app/studio/script_runner.h"

#include <cstdlib>
#include <map>
#include <sstream>

#include "app/studio/export_script_commands.h"
#include "app/studio/menu_actions.h"
#include "app/studio/studio_session.h"
#include "app/studio/query_script_commands.h"
#include "app/studio/scribble_script_commands.h"
#include "app/studio/script_values.h"
#include "app/studio/tsne_script_commands.h"
#include "app/studio/tool_script_commands.h"
#include "core/common/error.h"
#include "app/studio/cpu_composite.h"
#include "viz/colormap.h"
#include "viz/image_diff.h"
#include "viz/png_write.h"

namespace p2r::studio {
namespace {

// Command name -> number of arguments (-1: one or more, joined by spaces).
const std::map<std::string, int>& arities() {
  static const std::map<std::string, int> table = {
      {"open", -1},      {"select_subject", 1}, {"frame", 1},       {"slice", 1},
      {"window", 2},     {"colormap", 1},       {"overlay", 1},     {"opacity", 1},
      {"show_label", 1}, {"zoom", 1},           {"pan", 2},         {"reset_view", 0},
      {"wait_frames", 1}, {"screenshot", 1},    {"save_layers", 1}, {"expect_layers_match_cpu", 0},    {"expect_error", -1}, {"expect_no_error", 0},
      {"click", 2},      {"hide_layer", -1},        {"menu", -1},       {"drop", kAnyArguments},
      {"native", 1},     {"expect_native", 0},      {"stroke", kAnyArguments}};
  return table;
}

// Frames the layout needs to settle before a screenshot (ImGui sizes windows over two frames).
constexpr int kSettleFrames = 2;

}  // namespace

std::vector<ScriptCommand> parse_script(const std::string& text, const std::string& source) {
  std::vector<ScriptCommand> commands;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    ScriptCommand command;
    command.line = number;
    if (!(words >> command.name)) continue;
    for (std::string word; words >> word;) command.args.push_back(word);
    int arity = 0;
    if (auto it = arities().find(command.name); it != arities().end()) {
      arity = it->second;
    } else if (auto tool = tool_command_arities().find(command.name); tool != tool_command_arities().end()) {
      arity = tool->second;
    } else if (auto query = query_command_arities().find(command.name); query != query_command_arities().end()) {
      arity = query->second;
    } else if (auto tsne = tsne_command_arities().find(command.name); tsne != tsne_command_arities().end()) {
      arity = tsne->second;
    } else if (auto fig = export_command_arities().find(command.name); fig != export_command_arities().end()) {
      arity = fig->second;
    } else if (auto scr = scribble_command_arities().find(command.name); scr != scribble_command_arities().end()) {
      arity = scr->second;
    } else {
      P2R_FAIL(source << ":" << number << ": unknown command '" << command.name << "'");
    }
    if (arity == kAnyArguments) {
      // zero or more words, kept apart (key=value settings)
    } else if (arity < 0) {
      P2R_CHECK(!command.args.empty(), source << ":" << number << ": " << command.name << " needs an argument");
      std::string joined;
      for (const auto& a : command.args) joined += (joined.empty() ? "" : " ") + a;
      command.args = {joined};
    } else {
      P2R_CHECK(int(command.args.size()) == arity,
                source << ":" << number << ": " << command.name << " takes " << arity
                       << " argument(s), got " << command.args.size());
    }
    commands.push_back(std::move(command));
  }
  return commands;
}

ScriptRunner::ScriptRunner(std::vector<ScriptCommand> commands, std::string source)
    : m_commands(std::move(commands)), m_source(std::move(source)) {}

void ScriptRunner::before_frame(StudioSession& session) {
  if (m_failed) return;
  m_capture = false;
  m_mouse.reset();
  if (!m_mouse_queue.empty()) {
    m_mouse = m_mouse_queue.front();
    m_mouse_queue.erase(m_mouse_queue.begin());
    return;
  }
  if (m_wait_frames > 0 && --m_wait_frames > 0) return;
  if (m_wait_until) {
    try {
      if (!m_wait_until(session)) return;
    } catch (const std::exception& e) {
      m_failed = true;
      const auto* error = dynamic_cast<const Error*>(&e);
      m_failure = m_source + ": " + (error ? error->message() : std::string(e.what()));
      return;
    }
    m_wait_until = nullptr;
  }
  if (m_pending_capture) {
    if (session.loading()) return;
    m_pending_capture = false;
    m_capture = true;  // this frame is the one to save
    return;
  }
  while (m_next < m_commands.size()) {
    const ScriptCommand& command = m_commands[m_next];
    const bool waits_for_data = command.name != "wait_frames" && command.name != "screenshot";
    if (waits_for_data && session.loading()) return;
    ++m_next;
    try {
      run(command, session);
    } catch (const std::exception& e) {
      m_failed = true;
      const auto* error = dynamic_cast<const Error*>(&e);
      m_failure = m_source + ":" + std::to_string(command.line) + ": " + command.name + ": " +
                  (error ? error->message() : std::string(e.what()));
      return;
    }
    if (m_wait_frames > 0 || m_pending_capture || m_wait_until || !m_mouse_queue.empty()) return;
  }
}

std::optional<std::string> ScriptRunner::take_screenshot_request() {
  if (!m_capture) return std::nullopt;
  m_capture = false;
  return m_screenshot_path;
}

void ScriptRunner::run(const ScriptCommand& c, StudioSession& session) {
  const auto& a = c.args;
  auto needs_data = [&] { P2R_CHECK(session.browser.data(), "no data is open"); };
  auto layer = [&](const char* name) {
    ImageLayer* found = session.view.image.find(name);
    P2R_CHECK(found, "no layer '" << name << "' (is data open?)");
    return found;
  };
  if (run_tool_command(c, session, m_wait_until) || run_query_command(c, session, m_wait_until) ||
      run_tsne_command(c, session, m_wait_until) || run_export_command(c, session, m_wait_until) ||
      run_scribble_command(c, session, m_wait_until)) {
    // jobs, models, frame timing; embeddings and pixel queries; t-SNE; figure export; scribbles
  } else if (c.name == "open") {
    session.open(a[0] == "demo" ? std::vector<std::string>() : std::vector<std::string>{a[0]});
  } else if (c.name == "drop") {
    P2R_CHECK(!a.empty(), "drop needs one or more paths");
    session.open_any(a);  // what the window's drop callback does
  } else if (c.name == "native") {
    P2R_CHECK(a[0] == "on" || a[0] == "off", "expected on or off, got '" << a[0] << "'");
    session.native_view = a[0] == "on";
  } else if (c.name == "expect_native") {
    session.update();  // the view follows a switch or selection made earlier in this frame
    P2R_CHECK(session.grid.native, "the native view is not shown: " << session.native_problem);
  } else if (c.name == "menu") {
    run_menu_action(session, a[0]);
  } else if (c.name == "select_subject") {
    needs_data();
    session.browser.select_subject(a[0]);
  } else if (c.name == "frame") {
    needs_data();
    session.browser.select_frame(a[0]);
  } else if (c.name == "slice") {
    needs_data();
    const int n = script_integer(a[0]);
    P2R_CHECK(n >= 0 && n < session.browser.slice_count(),
              "slice " << n << " out of range (volume has " << session.browser.slice_count() << ")");
    session.browser.select_position(n);
  } else if (c.name == "window" || c.name == "colormap") {
    auto* image = dynamic_cast<ScalarLayer*>(layer(kImageLayer));
    if (c.name == "window") {
      image->style.low = float(script_number(a[0]));
      image->style.high = float(script_number(a[1]));
    } else {
      image->style.colormap = viz::parse_colormap(a[0]);
    }
  } else if (c.name == "overlay") {
    P2R_CHECK(a[0] == "on" || a[0] == "off", "expected on or off, got '" << a[0] << "'");
    layer(kLabelLayer)->visible = a[0] == "on";
  } else if (c.name == "hide_layer") {
    layer(a[0].c_str())->visible = false;
  } else if (c.name == "opacity") {
    layer(kLabelLayer)->opacity = std::clamp(float(script_number(a[0])), 0.f, 1.f);
  } else if (c.name == "show_label") {
    auto* labels = dynamic_cast<LabelLayer*>(layer(kLabelLayer));
    int only = -1;
    for (int l = 1; l <= 3 && a[0] != "all"; ++l)
      if (a[0] == viz::label_name(uint8_t(l))) only = l;
    P2R_CHECK(a[0] == "all" || only > 0, "expected all, RV, MYO or LV, got '" << a[0] << "'");
    labels->only_label = only;
  } else if (c.name == "zoom") {
    session.view.transform.zoom = std::clamp(float(script_number(a[0])), 0.1f, 64.f);
  } else if (c.name == "pan") {
    session.view.transform.pan = {float(script_number(a[0])), float(script_number(a[1]))};
  } else if (c.name == "click") {
    const float x = float(script_number(a[0])), y = float(script_number(a[1]));
    m_mouse_queue = {{x, y, false}, {x, y, true}, {x, y, false}};
  } else if (c.name == "stroke") {
    // A left drag through window pixels X,Y: move to the first, press, one frame per point, release.
    P2R_CHECK(!a.empty(), "stroke needs points X,Y (window pixels)");
    m_mouse_queue.clear();
    for (size_t i = 0; i < a.size(); ++i) {
      const auto comma = a[i].find(',');
      P2R_CHECK(comma != std::string::npos, "expected a point X,Y, got '" << a[i] << "'");
      const float x = float(script_number(a[i].substr(0, comma))), y = float(script_number(a[i].substr(comma + 1)));
      if (i == 0) m_mouse_queue.push_back({x, y, false});
      m_mouse_queue.push_back({x, y, true});
      if (i + 1 == a.size()) m_mouse_queue.push_back({x, y, false});
    }
  } else if (c.name == "reset_view") {
    session.view.transform.reset();
  } else if (c.name == "wait_frames") {
    m_wait_frames = std::max(script_integer(a[0]), 0) + 1;
  } else if (c.name == "screenshot") {
    m_screenshot_path = a[0];
    m_pending_capture = true;
    m_wait_frames = kSettleFrames + 1;
  } else if (c.name == "save_layers" || c.name == "expect_layers_match_cpu") {
    needs_data();
    P2R_CHECK(session.shaders, "no GL shaders available");
    session.update();  // layers follow a selection made earlier in this frame
    P2R_CHECK(!session.grid.native || c.name == "save_layers",
              "expect_layers_match_cpu compares the prepared view's layers (native off)");
    const viz::RgbaImage gpu = session.view.render_native(*session.shaders);
    if (c.name == "save_layers") {
      viz::write_png(a[0], gpu);
    } else {
      auto* image = dynamic_cast<ScalarLayer*>(layer(kImageLayer));
      auto* labels = dynamic_cast<LabelLayer*>(layer(kLabelLayer));
      const viz::RgbaImage cpu = composite_on_cpu(*session.browser.data(),
                                                  session.browser.slice_index(), *image, *labels);
      const viz::ImageDiff diff = viz::compare_images(gpu, cpu, 2);
      if (const char* dir = std::getenv("P2R_DEBUG_DIR")) {
        viz::write_png(std::string(dir) + "/gpu.png", gpu);
        viz::write_png(std::string(dir) + "/cpu.png", cpu);
      }
      P2R_CHECK(viz::within(diff, {0.5, 0.0}),
                "shader rendering differs from the CPU reference: " << viz::describe(diff, gpu, cpu));
    }
  } else if (c.name == "expect_error") {
    P2R_CHECK(session.error.find(a[0]) != std::string::npos,
              "expected an error containing '" << a[0] << "', window shows '" << session.error << "'");
  } else if (c.name == "expect_no_error") {
    P2R_CHECK(session.error.empty(), "unexpected error in the window: " << session.error);
  }
}

}  // namespace p2r::studio
