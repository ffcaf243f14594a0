// pix2rep: the command-line tool. Subcommands live in cmd_*.cpp; errors become one line and exit 1.
#include <cstdio>
#include <exception>

#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/common/progress.h"

namespace {

// Every command that runs gets --no-progress (one flag, one behaviour, listed in its --help), and
// its --help shows no default for a required option (the placeholder value is never used).
void finish_options(CLI::App& command) {
  for (CLI::Option* option : command.get_options())
    if (option->get_required()) option->default_str("");
  const auto subcommands = command.get_subcommands([](CLI::App*) { return true; });
  if (subcommands.empty()) {
    command.add_flag_callback("--no-progress", [] { p2r::TerminalProgress::set_quiet(true); },
                              "only the final line of each stage, no progress bar or periodic lines");
    return;
  }
  for (CLI::App* sub : subcommands) finish_options(*sub);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pix2rep: dense self-supervised pretraining, probing and analysis for medical image segmentation"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("pix2rep ") + PIX2REP_VERSION);
  app.option_defaults()->always_capture_default();  // --help shows every option's default
  p2r::cli::add_data_commands(app);
  p2r::cli::add_pretrain_command(app);
  p2r::cli::add_segment_commands(app);
#ifdef PIX2REP_HAS_ITK
  p2r::cli::add_scribble_commands(app);
#endif
  p2r::cli::add_bench_command(app);
  p2r::cli::add_analysis_commands(app);
#ifdef PIX2REP_HAS_FIGURES
  p2r::cli::add_figure_commands(app);
#endif
  finish_options(app);
  p2r::TerminalProgress::install_sigint();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const p2r::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.message().c_str());
    return 1;
  } catch (const p2r::Cancelled&) {
    std::fprintf(stderr, "cancelled\n");
    return 130;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
