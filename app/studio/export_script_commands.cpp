#include "app/studio/export_script_commands.h"

#include <cstdlib>
#include <iostream>

#include "app/studio/script_runner.h"
#include "app/studio/studio_session.h"
#include "app/studio/tool_script_commands.h"
#include "core/common/error.h"

namespace p2r::studio {

const std::map<std::string, int>& export_command_arities() {
  static const std::map<std::string, int> table = {
      {"export_figure", kAnyArguments}, {"wait_export", 0}, {"expect_export_error", -1}};
  return table;
}

bool run_export_command(const ScriptCommand& c, StudioSession& session,
                        std::function<bool(StudioSession&)>& wait_until) {
  const auto& a = c.args;
  FigureExporter& exporter = session.exporter;
  if (c.name == "export_figure") {
    P2R_CHECK(a.size() >= 2, "export_figure KIND FILE [key=value ...]");
    ExportSettings s;
    s.kind = parse_export_kind(a[0]);
    s.path = a[1];
    for (size_t i = 2; i < a.size(); ++i) {
      const auto eq = a[i].find('=');
      P2R_CHECK(eq != std::string::npos, "expected key=value, got '" << a[i] << "'");
      const std::string key = a[i].substr(0, eq), value = a[i].substr(eq + 1);
      if (key == "also") {
        P2R_CHECK(value == "pdf" || value == "svg" || value == "pdf,svg" || value == "svg,pdf",
                  "also must be pdf, svg or pdf,svg");
        s.also_pdf = value.find("pdf") != std::string::npos;
        s.also_svg = value.find("svg") != std::string::npos;
      } else if (key == "dpi") {
        char* end = nullptr;
        s.dpi = int(std::strtol(value.c_str(), &end, 10));
        P2R_CHECK(!value.empty() && *end == 0, "dpi must be an integer, got '" << value << "'");
      } else if (key == "column") {
        P2R_CHECK(value == "single" || value == "double", "column must be single or double");
        s.double_column = value == "double";
      } else if (key == "whole_volume") {
        s.whole_volume = value == "1";
      } else if (key == "results") {
        s.results = value;
      } else {
        P2R_FAIL("unknown setting '" << key << "' (also, dpi, column, whole_volume, results)");
      }
    }
    exporter.settings = s;
    exporter.window_open = true;
    exporter.start(session);
  } else if (c.name == "wait_export") {
    wait_until = [](StudioSession& s) {
      if (s.exporter.busy()) return false;
      s.update();  // take the result now
      P2R_CHECK(s.exporter.error.empty(), s.exporter.error);
      for (const std::string& p : s.exporter.last().outputs) std::cerr << "pix2rep-studio: wrote " << p << "\n";
      std::cerr << "pix2rep-studio: sidecar " << s.exporter.last().sidecar << "\n";
      return true;
    };
  } else if (c.name == "expect_export_error") {
    const std::string text = a[0];
    wait_until = [text](StudioSession& s) {
      if (s.exporter.busy()) return false;
      s.update();
      P2R_CHECK(s.exporter.error.find(text) != std::string::npos,
                "expected an export error containing '" << text << "', got '" << s.exporter.error << "'");
      return true;
    };
  } else {
    return false;
  }
  return true;
}

}  // namespace p2r::studio
