// figure subcommand: `pix2rep figure KIND ...` writes a figure (PDF / SVG / PNG) or tables with a
// sidecar OUT.json (version, arguments, provenance, the command that regenerates it);
// `pix2rep figure --from OUT.json [--out NEW]` regenerates it after checking the recorded inputs.
#include <cstdio>
#include <memory>

#include "app/cli/commands.h"
#include "app/figures/figure_files.h"
#include "core/common/error.h"

namespace p2r::cli {

namespace {

void print(const figures::FigureFiles& files) {
  for (const std::string& p : files.outputs) std::printf("wrote %s\n", p.c_str());
  std::printf("wrote %s (regenerate: pix2rep figure --from %s)\n", files.sidecar.c_str(), files.sidecar.c_str());
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
  for (const figures::FigureKind& kind : figures::all_figure_kinds()) {
    CLI::App* cmd = fig->add_subcommand(kind.name, kind.help);
    auto args = std::make_shared<figures::FigureArgs>();
    for (const figures::FigureOption& o : figures::figure_options(kind)) {
      (*args)[o.name] = o.default_value;
      CLI::Option* opt = cmd->add_option("--" + o.name, (*args)[o.name], o.help);
      if (o.required) opt->required();
      if (!o.default_value.empty()) opt->default_str(o.default_value);
    }
    cmd->callback([kind, args] { print(figures::write_figure_files(kind, *args)); });
  }
  fig->callback([fig, from, from_out] {
    if (!fig->get_subcommands().empty()) {
      P2R_CHECK(from->empty(), "--from regenerates a recorded figure; give it without a figure kind");
      return;
    }
    P2R_CHECK(!from->empty(), "figure: give a kind (similarity, equivariance, embedding, segmentation, dice, table) or --from SIDECAR.json");
    print(figures::regenerate_figure(*from, *from_out));
  });
}

}  // namespace p2r::cli
