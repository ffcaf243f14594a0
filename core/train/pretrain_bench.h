#pragma once
// Timing of one pretraining step (forward of both views, loss, backward, Adam) on random images,
// with the flags of shared/bench/reference_step.py. Torch-free facade.
#include <string>

#include "core/model/model_config.h"
#include "core/train/op_profile.h"

namespace p2r {

/// Shape of the timed step; defaults match reference_step.py.
struct StepBenchConfig {
  ModelConfig model;               ///< defaults: base 16, 6 levels, n_ft 64, projection 64
  int size = 128, batch = 8, samples = 1000, steps = 10;
  int threads = 0;                 ///< 0: all cores
  std::string method = "pix2rep";  ///< any of pretrain_method_names(); chaitanya: its global stage
  std::string device = "cpu";      ///< auto / cpu / cuda
  std::string precision = "auto";  ///< auto, fp32 or bf16 (autocast of the forward pass)
  std::string layout = "auto";     ///< auto (model_memory_format), nchw or nhwc: the backbones' memory layout
  bool profile = false;            ///< after the timed steps, `steps` more under the op profiler (CPU only)
};

/// Median and context of the timed steps (memory: /usr/bin/time -v on CPU, nvidia-smi on CUDA).
struct StepBenchResult {
  double median_ms = 0;
  double last_loss = 0;
  int threads = 0;
  std::string device;
  std::string precision;  ///< the precision the steps ran in (auto resolved)
  std::string layout;     ///< the layout the steps ran in (auto resolved): nchw or nhwc
  std::vector<OpCost> ops;  ///< with profile: self time and calls per step of each op, largest first
};

/// Runs 2 warm-up steps then config.steps timed ones; throws p2r::Error for a bad config or device.
StepBenchResult bench_pretrain_step(const StepBenchConfig& config);

}  // namespace p2r
