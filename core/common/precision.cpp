#include "core/common/precision.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/common/error.h"

namespace p2r {

std::string cpu_bf16_features() {
  static const std::string features = [] {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("flags", 0) != 0) continue;
      std::istringstream words(line.substr(line.find(':') + 1));
      bool amx = false, avx512 = false;
      for (std::string w; words >> w;) amx |= w == "amx_bf16", avx512 |= w == "avx512_bf16";
      return std::string(amx ? "amx_bf16" : "") + (amx && avx512 ? " " : "") + (avx512 ? "avx512_bf16" : "");
    }
    return std::string();
  }();
  return features;
}

std::string resolve_precision(const std::string& requested, bool cuda, const std::string& cpu_features) {
  if (requested == "fp32") return requested;
  if (requested == "auto") return cuda || !cpu_features.empty() ? "bf16" : "fp32";
  P2R_CHECK(requested == "bf16", "precision must be auto, fp32 or bf16, got '" << requested << "'");
  P2R_CHECK(cuda || !cpu_features.empty(),
            "precision bf16: this CPU has neither amx_bf16 nor avx512_bf16 (bfloat16 would be emulated, slower "
            "than fp32); use --precision auto or fp32, or --device cuda");
  return requested;
}

std::string resolve_precision(const std::string& requested, bool cuda) {
  const char* forced = std::getenv("P2R_AUTO_PRECISION");
  if (requested == "auto" && forced && *forced) {
    const std::string value = forced;
    P2R_CHECK(value == "fp32" || value == "bf16",
              "P2R_AUTO_PRECISION must be fp32 or bf16 (what precision auto means), got '" << value << "'");
    return resolve_precision(value, cuda, cpu_bf16_features());
  }
  return resolve_precision(requested, cuda, cpu_bf16_features());
}

}  // namespace p2r
