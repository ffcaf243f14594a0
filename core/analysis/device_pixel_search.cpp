#include "core/analysis/device_pixel_search.h"

#include <algorithm>

#include "core/common/compute_device.h"
#include "core/common/error.h"

namespace p2r {

struct DevicePixelSearch::Impl {
  torch::Tensor rows;  // [n, d] on the device (fp16 on CUDA)
  torch::Device device{torch::kCPU};
};

DevicePixelSearch::DevicePixelSearch(const float* rows, int64_t n, int d, const std::string& device)
    : m_impl(std::make_unique<Impl>()) {
  P2R_CHECK(n >= 1 && d >= 1, "device search: need at least one row of dimension >= 1, got " << n << " x " << d);
  m_impl->device = resolve_device(device);
  const auto dtype = m_impl->device.is_cuda() ? torch::kFloat16 : torch::kFloat32;
  m_impl->rows = torch::from_blob(const_cast<float*>(rows), {n, d}, torch::kFloat32).to(m_impl->device, dtype).contiguous();
}

DevicePixelSearch::~DevicePixelSearch() = default;
std::string DevicePixelSearch::device() const { return m_impl->device.str(); }
int64_t DevicePixelSearch::size() const { return m_impl->rows.size(0); }

void DevicePixelSearch::search(const float* queries, int64_t nq, int k, std::vector<float>& scores,
                               std::vector<int64_t>& rows) const {
  const int64_t n = size(), d = m_impl->rows.size(1);
  P2R_CHECK(k >= 1, "device search: k must be at least 1, got " << k);
  k = int(std::min<int64_t>(k, n));
  c10::InferenceMode guard;
  scores.assign(size_t(nq * k), 0.f);
  rows.assign(size_t(nq * k), -1);
  const int64_t chunk = std::max<int64_t>(1, (int64_t(256) << 20) / (4 * n));
  for (int64_t q0 = 0; q0 < nq; q0 += chunk) {
    const int64_t m = std::min(chunk, nq - q0);
    torch::Tensor q = torch::from_blob(const_cast<float*>(queries + q0 * d), {m, d}, torch::kFloat32)
                          .to(m_impl->device, m_impl->rows.scalar_type());
    torch::Tensor s = torch::matmul(q, m_impl->rows.t()).to(torch::kFloat32);  // [m, n]
    auto top = s.topk(k, /*dim=*/1, /*largest=*/true, /*sorted=*/true);
    torch::Tensor ts = std::get<0>(top).to(torch::kCPU).contiguous();
    torch::Tensor ti = std::get<1>(top).to(torch::kCPU, torch::kInt64).contiguous();
    std::copy(ts.data_ptr<float>(), ts.data_ptr<float>() + m * k, scores.begin() + q0 * k);
    std::copy(ti.data_ptr<int64_t>(), ti.data_ptr<int64_t>() + m * k, rows.begin() + q0 * k);
  }
}

}  // namespace p2r
