#include "app/studio/studio_app.h"

#define GLFW_INCLUDE_NONE  // GL comes from app/studio/gl.h
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "app/studio/frame_stats.h"
#include "app/studio/gl.h"
#include "app/studio/panels.h"
#include "app/studio/screenshot.h"
#include "app/studio/script_runner.h"
#include "app/studio/shader_library.h"
#include "app/studio/studio_layout.h"
#include "app/studio/studio_session.h"
#include "app/studio/studio_settings.h"
#include "app/studio/timing_text.h"
#include "core/common/error.h"

namespace p2r::studio {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Frame time percentiles (CPU side, from event handling to the buffer swap).
void print_frame_stats(const std::vector<double>& ms) {
  if (ms.size() < 2) return;
  const FrameTimeSummary s = summarise_frame_times(ms);
  std::cerr << "timing: " << s.frames << " frames, frame time p50 " << s.p50_ms << " ms, p95 " << s.p95_ms
            << " ms, max " << s.max_ms << " ms\n";
}

std::unique_ptr<ScriptRunner> make_script(const StudioOptions& options) {
  std::vector<ScriptCommand> commands;
  std::string source = "--screenshot";
  if (!options.script.empty()) {
    std::ifstream in(options.script);
    P2R_CHECK(in, "cannot read script " << options.script);
    std::stringstream text;
    text << in.rdbuf();
    commands = parse_script(text.str(), options.script);
    source = options.script;
  }
  if (!options.screenshot.empty()) commands.push_back({0, "screenshot", {options.screenshot}});
  if (options.script.empty() && options.screenshot.empty()) return nullptr;
  return std::make_unique<ScriptRunner>(std::move(commands), source);
}

// Places the next window at rect, fixed (no move / resize / saved settings).
bool begin_panel(const char* name, const PanelRect& rect, ImGuiWindowFlags extra = 0) {
  ImGui::SetNextWindowPos(ImVec2(rect.x, rect.y));
  ImGui::SetNextWindowSize(ImVec2(rect.w, rect.h));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | extra;
  return ImGui::Begin(name, nullptr, flags);
}

void draw_frame(StudioSession& session, const ShaderLibrary& shaders, bool scripted) {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  draw_menu_bar(session);
  const StudioLayout layout = compute_layout(display.x, display.y, ImGui::GetFrameHeight(), session.show_tools,
                                             session.show_side_panels, ImGui::GetFrameHeight(), session.scribble_mode);
  if (session.show_side_panels) {
    if (begin_panel("Dataset", layout.dataset)) draw_dataset_panel(session);
    ImGui::End();
    if (begin_panel("Layers", layout.layers)) draw_layers_panel(session);
    ImGui::End();
    if (session.scribble_mode) {
      if (begin_panel("Scribbles", layout.scribbles)) draw_scribble_panel(session);
      ImGui::End();
    }
  }
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(2, 2));
  if (begin_panel("Image", layout.image,
                  ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse))
    draw_image_panel(session, shaders);
  ImGui::End();
  ImGui::PopStyleVar();
  if (session.show_tools) {
    if (begin_panel("Jobs", layout.jobs)) draw_jobs_panel(session);
    ImGui::End();
    if (begin_panel("Model", layout.model)) draw_model_panel(session);
    ImGui::End();
  }
  draw_results_window(session);
  draw_export_window(session);
  if (begin_panel("##status", layout.status, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar))
    draw_status_bar(session, !scripted);
  ImGui::End();
}

// Paths dropped on the window since the last frame (GLFW calls back on the main thread).
std::vector<std::vector<std::string>> g_dropped;

void on_drop(GLFWwindow*, int count, const char** paths) {
  g_dropped.emplace_back(paths, paths + count);
}

int run_loop(GLFWwindow* window, const StudioOptions& options, StudioSettings settings, Clock::time_point start) {
  std::unique_ptr<ScriptRunner> script = make_script(options);
  const bool scripted = script != nullptr;
  ShaderLibrary shaders;
  StudioSession session;
  session.shaders = &shaders;
  session.show_tools = !scripted;  // scripts show the right column on request (tools on)
  session.native_view = !scripted;  // and the native view (native on)
  session.settings = std::move(settings);
  if (!scripted) session.settings_path = studio_settings_path();
  glfwSetDropCallback(window, on_drop);
  session.open_any(options.data);
  if (!options.checkpoint.empty()) session.embeddings.open(options.checkpoint);  // once data is open
  bool reported_first = false, reported_data = false;
  std::vector<double> frame_ms;
  while (!glfwWindowShouldClose(window)) {
    // Scripts run flat out; interactively the loop sleeps until input (2 cores are shared with
    // training jobs), waking at 30 Hz while something loads so the progress bar moves, and while the
    // scribble classifier trains so its maps show within a frame of arriving.
    if (scripted) glfwPollEvents();
    else glfwWaitEventsTimeout(session.loading() || session.scribble_training.busy() ? 1.0 / 30.0
                               : session.working()                                  ? 0.25
                                                                                    : 0.5);
    const auto frame_start = Clock::now();
    for (const auto& paths : g_dropped) session.open_any(paths);
    g_dropped.clear();
    if (script) script->before_frame(session);
    session.update();

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    if (scripted) {  // no stray hover: the mouse is where a replayed click puts it, else nowhere
      ImGuiIO& io = ImGui::GetIO();
      const std::optional<ScriptMouse> mouse = script ? script->mouse() : std::nullopt;
      io.MousePos = mouse ? ImVec2(mouse->x, mouse->y) : ImVec2(-FLT_MAX, -FLT_MAX);
      io.MouseDown[ImGuiMouseButton_Left] = mouse && mouse->left_down;
    }
    ImGui::NewFrame();
    draw_frame(session, shaders, scripted);
    ImGui::Render();

    int width = 0, height = 0;
    glfwGetFramebufferSize(window, &width, &height);
    glViewport(0, 0, width, height);
    glClearColor(0.1f, 0.1f, 0.11f, 1.f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (script) {
      if (auto path = script->take_screenshot_request()) {
        save_screenshot(*path, width, height);
        std::cerr << "pix2rep-studio: screenshot " << *path << "\n";
      }
    }
    glfwSwapBuffers(window);
    frame_ms.push_back(seconds_since(frame_start) * 1e3);
    session.frame_stats.add(frame_ms.back());

    if (options.timing && !reported_first) {
      std::cerr << "timing: first frame " << seconds_since(start) << " s after start\n";
      reported_first = true;
    }
    if (options.timing && !reported_data && session.ready()) {
      std::cerr << "timing: first frame with data " << seconds_since(start) << " s after start ("
                << session.source << " opened in " << session.last_load_seconds << " s)\n";
      reported_data = true;
    }
    if (script && script->finished()) break;
    if (session.quit_requested) glfwSetWindowShouldClose(window, GLFW_TRUE);
    if (scripted && seconds_since(start) > options.timeout_s) {
      std::cerr << "pix2rep-studio: script did not finish within " << options.timeout_s << " s\n";
      return 1;
    }
  }
  if (options.timing) print_frame_stats(frame_ms);
  if (!session.settings_path.empty()) {  // the window size for the next launch
    glfwGetWindowSize(window, &session.settings.width, &session.settings.height);
    const std::string problem = save_studio_settings(session.settings_path, session.settings);
    if (!problem.empty()) std::cerr << "pix2rep-studio: " << problem << "\n";
  }
  if (script && script->failed()) {
    std::cerr << "pix2rep-studio: " << script->failure() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int run_studio(const StudioOptions& options) {
  const auto start = Clock::now();
  set_timings_shown(!options.hide_timings);
  const bool scripted = !options.script.empty() || !options.screenshot.empty();
  if (!glfwInit()) {
    std::cerr << "pix2rep-studio: cannot initialise GLFW (is there a display? try xvfb-run)\n";
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  if (scripted) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);  // comparable screenshots
  // Interactive launches remember the window size and recent data; scripts see neither.
  StudioSettings settings;
  if (!scripted) {
    std::string problem;
    settings = load_studio_settings(studio_settings_path(), problem);
    if (!problem.empty()) std::cerr << "pix2rep-studio: " << problem << "\n";
  }
  const int width = options.size_given || scripted ? options.width : settings.width;
  const int height = options.size_given || scripted ? options.height : settings.height;
  GLFWwindow* window = glfwCreateWindow(width, height, "Pix2Rep Studio", nullptr, nullptr);
  if (!window) {
    std::cerr << "pix2rep-studio: cannot create an OpenGL 3.3 core window\n";
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(scripted ? 0 : 1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the layout is fixed; nothing to save
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  int code = 1;
  try {
    code = run_loop(window, options, std::move(settings), start);
  } catch (const Error& e) {
    std::cerr << "pix2rep-studio: " << e.message() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "pix2rep-studio: unexpected error: " << e.what() << "\n";
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return code;
}

}  // namespace p2r::studio
