#pragma once
// Which floating-point precision training runs in. bfloat16 pays off on CUDA and on CPUs with
// bfloat16 matrix units (AMX-BF16, AVX-512-BF16); elsewhere oneDNN emulates it, slower than fp32.
#include <string>

namespace p2r {

/// The bfloat16 matrix features of this CPU among amx_bf16 and avx512_bf16, space-separated ("" for
/// none), from the flags of /proc/cpuinfo.
std::string cpu_bf16_features();

/// The precision a run uses: "auto" -> "bf16" on CUDA or where cpu_features is not empty, else
/// "fp32"; "fp32" as asked; "bf16" as asked on CUDA, and on a CPU without bf16 features a
/// p2r::Error naming them. Other values: a p2r::Error naming the allowed ones.
std::string resolve_precision(const std::string& requested, bool cuda, const std::string& cpu_features);

/// resolve_precision with this CPU's cpu_bf16_features(); "auto" means $P2R_AUTO_PRECISION
/// ("fp32" or "bf16") when that is set, so that a machine's runs (e.g. the test suite's) can
/// be the same on every CPU. Another value of the variable: a p2r::Error naming it.
std::string resolve_precision(const std::string& requested, bool cuda);

}  // namespace p2r
