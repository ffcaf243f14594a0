#pragma once
// The --precision option every command that runs a network shares.
#include <string>

#include <CLI/CLI.hpp>

namespace p2r::cli {

/// Adds --precision (auto | fp32 | bf16) to cmd, stored in precision.
CLI::Option* add_precision_option(CLI::App* cmd, std::string& precision);

}  // namespace p2r::cli
