#include "core/model/precision_scope.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace p2r {

namespace {

// LibTorch >= 2.4 keys autocast state by device type; 1.13 (Debian 12) has CPU / CUDA functions.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool autocast_enabled(at::DeviceType t) { return at::autocast::is_autocast_enabled(t); }
void set_autocast_enabled(at::DeviceType t, bool on) { at::autocast::set_autocast_enabled(t, on); }
at::ScalarType autocast_dtype(at::DeviceType t) { return at::autocast::get_autocast_dtype(t); }
void set_autocast_dtype(at::DeviceType t, at::ScalarType d) { at::autocast::set_autocast_dtype(t, d); }
#else
bool autocast_enabled(at::DeviceType t) {
  return t == at::kCUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
}
void set_autocast_enabled(at::DeviceType t, bool on) {
  t == at::kCUDA ? at::autocast::set_enabled(on) : at::autocast::set_cpu_enabled(on);
}
at::ScalarType autocast_dtype(at::DeviceType t) {
  return t == at::kCUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
}
void set_autocast_dtype(at::DeviceType t, at::ScalarType d) {
  t == at::kCUDA ? at::autocast::set_autocast_gpu_dtype(d) : at::autocast::set_autocast_cpu_dtype(d);
}
#endif

}  // namespace

PrecisionScope::PrecisionScope(const torch::Device& device, const std::string& precision)
    : m_active(precision == "bf16"), m_type(device.type()) {
  if (!m_active) return;
  m_was_enabled = autocast_enabled(m_type), m_dtype = autocast_dtype(m_type);
  set_autocast_dtype(m_type, at::kBFloat16);
  set_autocast_enabled(m_type, true);
  at::autocast::increment_nesting();
}

PrecisionScope::~PrecisionScope() {
  if (!m_active) return;
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_autocast_enabled(m_type, m_was_enabled);
  set_autocast_dtype(m_type, m_dtype);
}

}  // namespace p2r
