// Writing a figure kind's files with their provenance sidecar, and regenerating from a sidecar.
#include "app/figures/figure_files.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/common/atomic_file.h"
#include "core/common/comma_list.h"
#include "core/common/error.h"
#include "viz/figure/figure_export.h"

namespace fs = std::filesystem;

namespace p2r::figures {
namespace {

const std::set<std::string> kPathOptions{"checkpoint", "data", "runs", "out"};
const std::vector<FigureOption> kCommonOptions{
    {"out", "output file: .png, .pdf or .svg (table: any; writes .csv, .md and .tex beside it)", "", true},
    {"also", "more formats of the same figure, e.g. pdf,svg", "", false},
    {"dpi", "PNG resolution (pixels = size in inches x DPI)", "300", false}};

bool is_table(const FigureKind& kind) { return kind.name == "table"; }

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=./,:@") ==
                        std::string::npos)
    return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Paths made absolute so that the sidecar replays from any working folder.
FigureArgs absolute_paths(FigureArgs args) {
  for (auto& [name, value] : args) {
    if (!kPathOptions.count(name) || value.empty()) continue;
    std::string joined;
    for (const std::string& p : split_list(value))
      joined += (joined.empty() ? "" : ",") + fs::absolute(p).lexically_normal().string();
    value = joined;
  }
  return args;
}

std::string command_line(const FigureKind& kind, const FigureArgs& args) {
  std::string cmd = "pix2rep figure " + kind.name;
  for (const auto& [name, value] : args)
    if (!value.empty()) cmd += " --" + name + " " + shell_quote(value);
  return cmd;
}

std::vector<std::string> output_paths(const FigureKind& kind, const FigureArgs& args, bool table) {
  const fs::path out = figure_arg(args, "out");
  std::vector<std::string> paths;
  if (table) {
    for (const char* ext : {".csv", ".md", ".tex"}) paths.push_back(fs::path(out).replace_extension(ext).string());
    return paths;
  }
  paths.push_back(out.string());
  for (const std::string& f : split_list(args.count("also") ? args.at("also") : ""))
    paths.push_back(fs::path(out).replace_extension("." + f).string());
  for (const std::string& p : paths) viz::figure_format_from_path(p);  // unknown format: fail before computing
  return paths;
}

void check_recorded_files(const nlohmann::ordered_json& j, const std::string& sidecar) {
  if (j.is_object()) {
    if (j.contains("path") && j["path"].is_string() && j.contains("hash"))
      P2R_CHECK(fs::exists(j["path"].get<std::string>()),
                sidecar << ": recorded input " << j["path"].get<std::string>() << " is missing");
    for (const auto& [k, v] : j.items()) check_recorded_files(v, sidecar);
  } else if (j.is_array()) {
    for (const auto& v : j) check_recorded_files(v, sidecar);
  }
}

// Computes, checks against `expected` provenance (when given), then writes outputs and sidecar.
}  // namespace

void check_writable_folder(const std::string& path) {
  const fs::path dir = fs::absolute(path).parent_path();
  P2R_CHECK(fs::is_directory(dir), path << ": output folder " << dir.string() << " does not exist");
  P2R_CHECK(access(dir.c_str(), W_OK) == 0, path << ": output folder " << dir.string() << " is not writable");
}

FigureFiles write_figure_files(const FigureKind& kind, const FigureArgs& given, const nlohmann::ordered_json* expected,
                               const std::string& sidecar_source) {
  const FigureArgs args = absolute_paths(given);
  const bool table = is_table(kind);
  const std::vector<std::string> paths = output_paths(kind, args, table);
  for (const std::string& p : paths) check_writable_folder(p);
  const double dpi = table ? 0 : figure_real(args, "dpi");
  FigureProduct product = kind.make(args);
  if (expected) {
    for (const auto& [key, value] : expected->items()) {
      const auto now = product.provenance.contains(key) ? product.provenance[key] : nlohmann::ordered_json();
      P2R_CHECK(now == value, sidecar_source << ": '" << key << "' differs from the recorded provenance (recorded "
                                             << value.dump().substr(0, 200) << ", now " << now.dump().substr(0, 200)
                                             << "); the inputs changed since the figure was made");
    }
  }
  if (product.figure) {
    for (const std::string& p : paths) write_figure(*product.figure, p, dpi);
  } else {
    for (size_t i = 0; i < paths.size(); ++i)
      write_file_atomically(paths[i], [&](const std::string& tmp) {
        std::ofstream f(tmp);
        f << product.texts.at(i).second;
        P2R_CHECK(f, tmp << ": write failed");
      });
  }
  nlohmann::ordered_json side;
  side["pix2rep_version"] = PIX2REP_VERSION;
  side["kind"] = kind.name;
  side["command"] = command_line(kind, args);
  side["arguments"] = args;
  side["outputs"] = paths;
  if (product.figure)
    side["size_mm"] = {product.figure->width_mm, product.figure->height_mm};
  side["provenance"] = product.provenance;
  const std::string sidecar = figure_arg(args, "out") + ".json";
  write_file_atomically(sidecar, [&](const std::string& tmp) {
    std::ofstream f(tmp);
    f << side.dump(2) << "\n";
    P2R_CHECK(f, tmp << ": write failed");
  });
  return {paths, sidecar, side["command"].get<std::string>()};
}

std::vector<FigureOption> figure_options(const FigureKind& kind) {
  std::vector<FigureOption> options = kind.options;
  if (is_table(kind))
    options.push_back(kCommonOptions[0]);
  else
    options.insert(options.end(), kCommonOptions.begin(), kCommonOptions.end());
  return options;
}

FigureArgs default_figure_args(const FigureKind& kind) {
  FigureArgs args;
  for (const FigureOption& o : figure_options(kind)) args[o.name] = o.default_value;
  return args;
}

std::vector<FigureKind> all_figure_kinds() {
  std::vector<FigureKind> kinds = analysis_figure_kinds();
  for (FigureKind& k : result_figure_kinds()) kinds.push_back(std::move(k));
  return kinds;
}

FigureKind find_figure_kind(const std::string& name) {
  std::string names;
  for (FigureKind& kind : all_figure_kinds()) {
    if (kind.name == name) return kind;
    names += (names.empty() ? "" : ", ") + kind.name;
  }
  P2R_FAIL("figure kind '" << name << "' is not available in this build (kinds: " << names << ")");
}

FigureFiles regenerate_figure(const std::string& sidecar, const std::string& new_out) {
  std::ifstream in(sidecar);
  P2R_CHECK(in, sidecar << ": cannot open the sidecar");
  nlohmann::ordered_json j;
  try {
    in >> j;
  } catch (const std::exception& e) {
    P2R_FAIL(sidecar << ": not a figure sidecar (" << e.what() << ")");
  }
  P2R_CHECK(j.contains("kind") && j.contains("arguments") && j.contains("provenance"),
            sidecar << ": not a figure sidecar (kind, arguments or provenance missing)");
  if (j.value("pix2rep_version", "") != PIX2REP_VERSION)
    std::fprintf(stderr, "warning: %s was made by pix2rep %s, this is %s\n", sidecar.c_str(),
                 j.value("pix2rep_version", "?").c_str(), PIX2REP_VERSION);
  const std::string name = j["kind"].get<std::string>();
  FigureKind kind;
  try {
    kind = find_figure_kind(name);
  } catch (const Error& e) {
    P2R_FAIL(sidecar << ": " << e.message());
  }
  FigureArgs args = j["arguments"].get<FigureArgs>();
  if (!new_out.empty()) args["out"] = new_out;
  const nlohmann::ordered_json expected = j["provenance"];
  check_recorded_files(expected, sidecar);
  return write_figure_files(kind, args, &expected, sidecar);
}

}  // namespace p2r::figures
