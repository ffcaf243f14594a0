#include "app/cli/precision_option.h"

namespace p2r::cli {

CLI::Option* add_precision_option(CLI::App* cmd, std::string& precision) {
  return cmd
      ->add_option("--precision", precision,
                   "auto | fp32 | bf16: bfloat16 autocast of the forward pass (auto, the default: bf16 on CUDA or "
                   "on a CPU with amx_bf16 / avx512_bf16, fp32 elsewhere; bf16 on a CPU without them is refused)")
      ->check(CLI::IsMember({"auto", "fp32", "bf16"}));
}

}  // namespace p2r::cli
