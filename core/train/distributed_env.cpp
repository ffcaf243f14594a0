#include "core/train/distributed_env.h"

#include <algorithm>
#include <cstdlib>

#include "core/common/error.h"

namespace p2r {
namespace {

// The integer value of environment variable name (required, or `fallback` when unset and not required).
int env_int(const char* name, bool required, int fallback, int lowest) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') {
    P2R_CHECK(!required, name << " is not set (a distributed job needs RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT)");
    return fallback;
  }
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  P2R_CHECK(end != text && *end == '\0', name << "='" << text << "' is not a whole number");
  P2R_CHECK(value >= lowest && value <= 1 << 20, name << "=" << text << " is out of range (at least " << lowest << ")");
  return int(value);
}

}  // namespace

std::optional<DistributedEnv> distributed_env_from_environment() {
  if (std::getenv("WORLD_SIZE") == nullptr) return std::nullopt;
  DistributedEnv e;
  e.world_size = env_int("WORLD_SIZE", true, 1, 1);
  e.rank = env_int("RANK", true, 0, 0);
  P2R_CHECK(e.rank < e.world_size, "RANK=" << e.rank << " is not below WORLD_SIZE=" << e.world_size);
  e.local_world_size = env_int("LOCAL_WORLD_SIZE", false, 1, 1);
  e.local_rank = env_int("LOCAL_RANK", false, 0, 0);
  P2R_CHECK(e.local_rank < e.local_world_size || std::getenv("LOCAL_WORLD_SIZE") == nullptr,
            "LOCAL_RANK=" << e.local_rank << " is not below LOCAL_WORLD_SIZE=" << e.local_world_size);
  const char* addr = std::getenv("MASTER_ADDR");
  P2R_CHECK(addr != nullptr && *addr != '\0', "MASTER_ADDR is not set (the host of rank 0)");
  e.master_addr = addr;
  e.master_port = env_int("MASTER_PORT", true, 0, 1);
  P2R_CHECK(e.master_port <= 65535, "MASTER_PORT=" << e.master_port << " is not a TCP port (1..65535)");
  return e;
}

std::optional<DistributedEnv> distributed_env_of(const DistributedOptions& options) {
  if (options.env) return options.env;
  return options.use_environment ? distributed_env_from_environment() : std::nullopt;
}

bool data_parallel_method(PretrainMethod method) {
  return method == PretrainMethod::Pix2Rep || method == PretrainMethod::Pix2RepV2;
}

int threads_per_rank(int threads, int ranks) { return std::max(1, threads / std::max(1, ranks)); }

void validate_distributed_options(const DistributedOptions& o) {
  P2R_CHECK(o.backend == "auto" || o.backend == "gloo" || o.backend == "nccl",
            "--backend " << o.backend << ": expected auto, gloo or nccl");
  P2R_CHECK(o.timeout_s >= 1, "--dist-timeout " << o.timeout_s << ": must be at least 1 second");
}

}  // namespace p2r
