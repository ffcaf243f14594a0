// figure subcommand: `pix2rep figure KIND ...` writes a figure (PDF / SVG / PNG) or tables with a
// sidecar OUT.json (version, arguments, provenance, the command that regenerates it);
// `pix2rep figure --from OUT.json [--out NEW]` regenerates it after checking the recorded inputs.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "app/cli/commands.h"
#include "app/cli/figure_kinds.h"
#include "core/common/atomic_file.h"
#include "core/common/content_hash.h"
#include "core/common/error.h"
#include "viz/figure/figure_export.h"

namespace fs = std::filesystem;

namespace p2r::cli {

const std::string& figure_arg(const FigureArgs& args, const std::string& name) {
  const auto it = args.find(name);
  P2R_CHECK(it != args.end() && !it->second.empty(), "--" << name << " is required");
  return it->second;
}

int figure_int(const FigureArgs& args, const std::string& name) {
  const std::string& v = figure_arg(args, name);
  try {
    size_t used = 0;
    const int x = std::stoi(v, &used);
    if (used == v.size()) return x;
  } catch (const std::exception&) {
  }
  P2R_FAIL("--" << name << " must be an integer, got '" << v << "'");
}

double figure_real(const FigureArgs& args, const std::string& name) {
  const std::string& v = figure_arg(args, name);
  try {
    size_t used = 0;
    const double x = std::stod(v, &used);
    if (used == v.size()) return x;
  } catch (const std::exception&) {
  }
  P2R_FAIL("--" << name << " must be a number, got '" << v << "'");
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

nlohmann::ordered_json file_record(const std::string& path) {
  P2R_CHECK(fs::is_regular_file(path), path << ": file does not exist");
  return {{"path", fs::absolute(path).lexically_normal().string()}, {"hash", hash_hex(hash_file(path))}};
}

namespace {

const std::set<std::string> kPathOptions{"checkpoint", "data", "runs", "out"};
const std::vector<FigureOption> kCommonOptions{
    {"out", "output file: .png, .pdf or .svg (table: any; writes .csv, .md and .tex beside it)", "", true},
    {"also", "more formats of the same figure, e.g. pdf,svg", "", false},
    {"dpi", "PNG resolution (pixels = size in inches x DPI)", "300", false}};

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

void check_writable_folder(const std::string& path) {
  const fs::path dir = fs::absolute(path).parent_path();
  P2R_CHECK(fs::is_directory(dir), path << ": output folder " << dir.string() << " does not exist");
  P2R_CHECK(access(dir.c_str(), W_OK) == 0, path << ": output folder " << dir.string() << " is not writable");
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
void run_figure(const FigureKind& kind, const FigureArgs& given, const nlohmann::ordered_json* expected,
                const std::string& sidecar_source) {
  const FigureArgs args = absolute_paths(given);
  const bool table = kind.name == "table";
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
  for (const std::string& p : paths) std::printf("wrote %s\n", p.c_str());
  std::printf("wrote %s (regenerate: pix2rep figure --from %s)\n", sidecar.c_str(), sidecar.c_str());
}

std::vector<FigureKind> all_kinds() {
  std::vector<FigureKind> kinds = analysis_figure_kinds();
  for (FigureKind& k : result_figure_kinds()) kinds.push_back(std::move(k));
  return kinds;
}

void regenerate(const std::string& sidecar, const std::string& new_out) {
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
  for (const FigureKind& kind : all_kinds()) {
    if (kind.name != name) continue;
    FigureArgs args = j["arguments"].get<FigureArgs>();
    if (!new_out.empty()) args["out"] = new_out;
    const nlohmann::ordered_json expected = j["provenance"];
    check_recorded_files(expected, sidecar);
    run_figure(kind, args, &expected, sidecar);
    return;
  }
  P2R_FAIL(sidecar << ": figure kind '" << name << "' is not available in this build");
}

}  // namespace

void add_figure_commands(CLI::App& app) {
  CLI::App* fig = app.add_subcommand("figure", "figures (PDF, SVG, PNG) and tables for papers, with a provenance "
                                               "sidecar; --from SIDECAR.json regenerates one");
  fig->require_subcommand(0, 1);
  auto from = std::make_shared<std::string>();
  auto from_out = std::make_shared<std::string>();
  fig->add_option("--from", *from, "regenerate the figure recorded in this sidecar (OUT.json)");
  fig->add_option("--out", *from_out, "with --from: write to this path instead of the recorded one");
  for (const FigureKind& kind : all_kinds()) {
    CLI::App* cmd = fig->add_subcommand(kind.name, kind.help);
    auto args = std::make_shared<FigureArgs>();
    std::vector<FigureOption> options = kind.options;
    if (kind.name == "table")
      options.push_back(kCommonOptions[0]);
    else
      options.insert(options.end(), kCommonOptions.begin(), kCommonOptions.end());
    for (const FigureOption& o : options) {
      (*args)[o.name] = o.default_value;
      CLI::Option* opt = cmd->add_option("--" + o.name, (*args)[o.name], o.help);
      if (o.required) opt->required();
      if (!o.default_value.empty()) opt->default_str(o.default_value);
    }
    cmd->callback([kind, args] { run_figure(kind, *args, nullptr, ""); });
  }
  fig->callback([fig, from, from_out] {
    if (!fig->get_subcommands().empty()) {
      P2R_CHECK(from->empty(), "--from regenerates a recorded figure; give it without a figure kind");
      return;
    }
    P2R_CHECK(!from->empty(), "figure: give a kind (similarity, embedding, segmentation, dice, table) or --from SIDECAR.json");
    regenerate(*from, *from_out);
  });
}

}  // namespace p2r::cli
