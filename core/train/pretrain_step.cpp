#include "core/train/pretrain_step.h"

#include <optional>

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include "core/common/error.h"
#include "core/train/augment.h"
#include "core/train/losses.h"

namespace p2r {

TwinEmbeddings embed_twin_views(Pix2RepNet& net, const torch::Tensor& x, const AugmentConfig& augment,
                                at::Generator& gen) {
  const int64_t b = x.size(0), h = x.size(2), w = x.size(3);
  torch::Tensor v1 = augment_intensity(x, augment, gen);
  torch::Tensor v2 = augment_intensity(x, augment, gen);
  torch::Tensor theta = random_affine(b, augment, gen);
  torch::Tensor grid = affine_sampling_grid(theta, h, w, x.device());  // [B, H, W, 2]
  v2 = warp(v2, grid);
  TwinEmbeddings t;
  t.z1 = warp(net->forward(v1), grid);  // [B, D, H, W], now in view 2's frame
  t.z2 = net->forward(v2);
  t.mask = validity_mask(grid);
  return t;
}

torch::Tensor twin_loss(const TwinEmbeddings& t, const PretrainConfig& config, at::Generator& gen) {
  if (config.method == PretrainMethod::Pix2Rep) {
    torch::Tensor idx = sample_valid_pixels(t.mask, config.samples, gen);
    return info_nce_loss(gather_pixels(t.z1, idx), gather_pixels(t.z2, idx), config.tau);
  }
  torch::Tensor idx = valid_pixel_indices(t.mask);
  P2R_CHECK(idx.size(0) >= 2, "fewer than 2 pixels lie inside both views");
  return barlow_twins_loss(gather_pixels(t.z1, idx), gather_pixels(t.z2, idx), config.bt_lambda);
}

namespace {

// Autocast to bfloat16 on device for the scope's lifetime (LibTorch has no C++ guard object).
// LibTorch >= 2.4 keys autocast state by device type; 1.13 (Debian 12) has CPU / CUDA functions.
class Bf16Autocast {
 public:
  explicit Bf16Autocast(const torch::Device& device) : m_type(device.type()) {
    m_was_enabled = enabled(m_type), m_dtype = dtype(m_type);
    set_dtype(m_type, at::kBFloat16);
    set_enabled(m_type, true);
    at::autocast::increment_nesting();
  }
  ~Bf16Autocast() {
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    set_enabled(m_type, m_was_enabled);
    set_dtype(m_type, m_dtype);
  }
  Bf16Autocast(const Bf16Autocast&) = delete;
  Bf16Autocast& operator=(const Bf16Autocast&) = delete;

 private:
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  static bool enabled(at::DeviceType t) { return at::autocast::is_autocast_enabled(t); }
  static void set_enabled(at::DeviceType t, bool on) { at::autocast::set_autocast_enabled(t, on); }
  static at::ScalarType dtype(at::DeviceType t) { return at::autocast::get_autocast_dtype(t); }
  static void set_dtype(at::DeviceType t, at::ScalarType d) { at::autocast::set_autocast_dtype(t, d); }
#else
  static bool enabled(at::DeviceType t) {
    return t == at::kCUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
  }
  static void set_enabled(at::DeviceType t, bool on) {
    t == at::kCUDA ? at::autocast::set_enabled(on) : at::autocast::set_cpu_enabled(on);
  }
  static at::ScalarType dtype(at::DeviceType t) {
    return t == at::kCUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
  }
  static void set_dtype(at::DeviceType t, at::ScalarType d) {
    t == at::kCUDA ? at::autocast::set_autocast_gpu_dtype(d) : at::autocast::set_autocast_cpu_dtype(d);
  }
#endif
  at::DeviceType m_type;
  bool m_was_enabled = false;
  at::ScalarType m_dtype = at::kFloat;
};

}  // namespace

torch::Tensor pretrain_loss(Pix2RepNet& net, const torch::Tensor& x, const PretrainConfig& config, at::Generator& gen) {
  std::optional<Bf16Autocast> autocast;
  if (config.precision == "bf16") autocast.emplace(x.device());
  TwinEmbeddings twins = embed_twin_views(net, x, config.augment, gen);
  autocast.reset();
  twins.z1 = twins.z1.to(torch::kFloat);  // the loss in fp32 (a no-op without autocast)
  twins.z2 = twins.z2.to(torch::kFloat);
  return twin_loss(twins, config, gen);
}

at::Generator step_generator(uint64_t seed, uint64_t stream) {
  // splitmix64 of the pair, so neighbouring steps get unrelated streams.
  uint64_t z = seed * 0x9E3779B97F4A7C15ull + stream + 0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return at::detail::createCPUGenerator(z);
}

}  // namespace p2r
