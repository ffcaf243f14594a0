#pragma once
// What the pretraining tests share: the phantom, a tiny run configuration, cancellation after N steps.
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/common/progress.h"
#include "core/data/phantom.h"
#include "core/train/pretrain_config.h"

namespace p2r {

/// 3 phantom subjects (6 volumes of 7-10 slices) at 32 x 32, made once.
inline const SliceSet& pretrain_phantom() {
  static SliceSet set = [] {
    PrepareConfig pc;
    pc.size = 32;
    return make_phantom_slice_set(3, 11, pc);
  }();
  return set;
}

/// A 3-level base-4 U-Net, 2 epochs of batch 4 on at most 16 slices, CPU, in an emptied temporary
/// folder named after name and the process.
inline PretrainConfig tiny_pretrain_config(const std::string& name, PretrainMethod method = PretrainMethod::Pix2Rep) {
  PretrainConfig c;
  c.method = method;
  c.model.base = 4;
  c.model.levels = 3;
  c.model.n_ft = 8;
  c.model.proj_dim = 8;
  c.batch = 4;
  c.samples = 128;
  c.epochs = 2;
  c.lr = 2e-3;
  c.seed = 3;
  c.val_fraction = 0.2;
  c.max_slices = 16;
  c.threads = 2;
  c.device = "cpu";
  c.data_path = "<phantom>";
  c.out_dir = (std::filesystem::temp_directory_path() / ("p2r_pretrain_" + std::to_string(::getpid()) + "_" + name))
                  .string();
  std::filesystem::remove_all(c.out_dir);
  return c;
}

/// Cancels once `limit` steps are done.
struct CancelAfter : ProgressSink {
  explicit CancelAfter(int64_t limit) : m_limit(limit) {}
  void begin(const std::string&, int64_t) override {}
  void update(int64_t done, const std::string&) override { m_done = done; }
  void end() override {}
  bool cancelled() const override { return m_done >= m_limit; }
  int64_t m_limit, m_done = 0;
};

}  // namespace p2r
