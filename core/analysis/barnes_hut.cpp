#include "core/analysis/barnes_hut.h"

#include <omp.h>

#include <algorithm>
#include <cmath>

namespace p2r {
namespace {

constexpr int kLeafSize = 8;
constexpr int kGroupSize = 32;  // points sharing one tree traversal
constexpr int kMaxLevel = 16;

// Spreads the low 16 bits of v to the even bit positions.
inline uint32_t spread_bits(uint32_t v) {
  v &= 0xFFFF;
  v = (v | (v << 8)) & 0x00FF00FF;
  v = (v | (v << 4)) & 0x0F0F0F0F;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

}  // namespace

void BarnesHutRepulsion::sort_by_morton(const double* y, int64_t n) {
  double xmin = y[0], xmax = y[0], ymin = y[1], ymax = y[1];
  for (int64_t i = 1; i < n; ++i) {
    xmin = std::min(xmin, y[2 * i]), xmax = std::max(xmax, y[2 * i]);
    ymin = std::min(ymin, y[2 * i + 1]), ymax = std::max(ymax, y[2 * i + 1]);
  }
  const double side = std::max({xmax - xmin, ymax - ymin, 1e-12});
  const double scale = 65535.0 / side;
  m_code.resize(n), m_code_tmp.resize(n), m_order.resize(n), m_order_tmp.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    const uint32_t qx = uint32_t(std::min(65535.0, (y[2 * i] - xmin) * scale));
    const uint32_t qy = uint32_t(std::min(65535.0, (y[2 * i + 1] - ymin) * scale));
    m_code[i] = spread_bits(qx) | (spread_bits(qy) << 1);
    m_order[i] = int32_t(i);
  }
  // LSD radix sort of (code, index), 4 passes of 8 bits; stable, so deterministic.
  for (int pass = 0; pass < 4; ++pass) {
    const int shift = pass * 8;
    int64_t hist[257] = {0};
    for (int64_t i = 0; i < n; ++i) ++hist[((m_code[i] >> shift) & 0xFF) + 1];
    for (int b = 0; b < 256; ++b) hist[b + 1] += hist[b];
    for (int64_t i = 0; i < n; ++i) {
      const int64_t dst = hist[(m_code[i] >> shift) & 0xFF]++;
      m_code_tmp[dst] = m_code[i];
      m_order_tmp[dst] = m_order[i];
    }
    m_code.swap(m_code_tmp);
    m_order.swap(m_order_tmp);
  }
  m_x.resize(n), m_y.resize(n);
  for (int64_t s = 0; s < n; ++s) {
    m_x[s] = float(y[2 * m_order[s]]);
    m_y[s] = float(y[2 * m_order[s] + 1]);
  }
  m_nodes.clear();
  m_groups.clear();
  m_nodes.push_back(Node{});
  build(0, 0, int32_t(n), 0, float(side), false);
}

// Fills the already allocated node `self` for the cell holding sorted points [begin, end) at
// `level`, allocating its non-empty children as one contiguous block and recursing into them.
void BarnesHutRepulsion::build(int32_t self, int32_t begin, int32_t end, int level, float side, bool in_group) {
  if (!in_group && end - begin <= kGroupSize) {
    m_groups.push_back(self);
    in_group = true;
  }
  {
    Node& nd = m_nodes[self];
    nd.begin = begin, nd.end = end, nd.count = end - begin;
    nd.w2 = side * side;
    nd.first = -1, nd.nchild = 0;
  }
  if (end - begin <= kLeafSize || level >= kMaxLevel) {
    if (!in_group) m_groups.push_back(self);  // a deepest-level leaf of many duplicates
    double sx = 0, sy = 0;
    for (int32_t s = begin; s < end; ++s) sx += m_x[s], sy += m_y[s];
    m_nodes[self].cx = float(sx / (end - begin));
    m_nodes[self].cy = float(sy / (end - begin));
    return;
  }
  // Children: split the range by the 2 code bits of this level.
  const int shift = 2 * (kMaxLevel - 1 - level);
  int32_t bounds[5];
  bounds[0] = begin;
  for (int c = 1; c < 4; ++c) {
    bounds[c] = int32_t(std::partition_point(m_code.begin() + bounds[c - 1], m_code.begin() + end,
                                             [&](uint32_t code) { return int((code >> shift) & 3) < c; }) -
                        m_code.begin());
  }
  bounds[4] = end;
  int nchild = 0;
  for (int c = 0; c < 4; ++c) nchild += bounds[c + 1] > bounds[c];
  const int32_t first = int32_t(m_nodes.size());
  m_nodes.resize(m_nodes.size() + nchild);
  m_nodes[self].first = first;
  m_nodes[self].nchild = nchild;
  int slot = 0;
  double sx = 0, sy = 0;
  for (int c = 0; c < 4; ++c) {
    if (bounds[c + 1] <= bounds[c]) continue;
    const int32_t child = first + slot++;
    build(child, bounds[c], bounds[c + 1], level + 1, side * 0.5f, in_group);
    sx += double(m_nodes[child].cx) * m_nodes[child].count;
    sy += double(m_nodes[child].cy) * m_nodes[child].count;
  }
  m_nodes[self].cx = float(sx / (end - begin));
  m_nodes[self].cy = float(sy / (end - begin));
}

double BarnesHutRepulsion::compute(const double* y, int64_t n, double theta, double* rep, int threads) {
  sort_by_morton(y, n);
  m_z.resize(n), m_fx.resize(n), m_fy.resize(n);
  const float theta2 = float(theta * theta);
  const Node* nodes = m_nodes.data();
  const float* xs = m_x.data();
  const float* ys = m_y.data();
  const int nthreads = threads > 0 ? threads : omp_get_max_threads();
  const int64_t ngroups = int64_t(m_groups.size());
  // Groups of nearby points (small cells) share one traversal: a cell is summarised for the whole
  // group when it is far enough from the group's bounding box (so from every point in it), else it
  // is opened; the resulting far-cell and near-point lists are then applied to each point with
  // branch-free, vectorisable loops.
#pragma omp parallel num_threads(nthreads) if (n >= 2048)
  {
    std::vector<float> fcx, fcy, fcn, nx, ny;
    fcx.reserve(4096), fcy.reserve(4096), fcn.reserve(4096), nx.reserve(4096), ny.reserve(4096);
    int32_t stack[4 * (kMaxLevel + 2)];
#pragma omp for schedule(dynamic, 16)
    for (int64_t g = 0; g < ngroups; ++g) {
      const Node& grp = nodes[m_groups[g]];
      float bx0 = xs[grp.begin], bx1 = bx0, by0 = ys[grp.begin], by1 = by0;
      for (int32_t s = grp.begin + 1; s < grp.end; ++s) {
        bx0 = std::min(bx0, xs[s]), bx1 = std::max(bx1, xs[s]);
        by0 = std::min(by0, ys[s]), by1 = std::max(by1, ys[s]);
      }
      fcx.clear(), fcy.clear(), fcn.clear(), nx.clear(), ny.clear();
      int sp = 0;
      stack[sp++] = 0;
      while (sp > 0) {
        const Node& nd = nodes[stack[--sp]];
        const float dx = std::max({bx0 - nd.cx, nd.cx - bx1, 0.f});
        const float dy = std::max({by0 - nd.cy, nd.cy - by1, 0.f});
        if (nd.w2 < theta2 * (dx * dx + dy * dy)) {
          fcx.push_back(nd.cx), fcy.push_back(nd.cy), fcn.push_back(float(nd.count));
        } else if (nd.first < 0) {
          for (int32_t t = nd.begin; t < nd.end; ++t) nx.push_back(xs[t]), ny.push_back(ys[t]);
        } else {
          for (int c = nd.nchild - 1; c >= 0; --c) stack[sp++] = nd.first + c;
        }
      }
      const int nf = int(fcx.size()), nn = int(nx.size());
      const float* pfx = fcx.data(); const float* pfy = fcy.data(); const float* pfn = fcn.data();
      const float* pnx = nx.data(); const float* pny = ny.data();
      for (int32_t s = grp.begin; s < grp.end; ++s) {
        const float px = xs[s], py = ys[s];
        float z = 0, fx = 0, fy = 0;
#pragma omp simd reduction(+ : z, fx, fy)
        for (int t = 0; t < nf; ++t) {
          const float dx = px - pfx[t], dy = py - pfy[t];
          const float w = 1.f / (1.f + dx * dx + dy * dy);
          const float cw = pfn[t] * w;
          z += cw;
          fx += cw * w * dx, fy += cw * w * dy;
        }
#pragma omp simd reduction(+ : z, fx, fy)
        for (int t = 0; t < nn; ++t) {  // includes the point itself: w = 1, zero force
          const float dx = px - pnx[t], dy = py - pny[t];
          const float w = 1.f / (1.f + dx * dx + dy * dy);
          z += w;
          fx += w * w * dx, fy += w * w * dy;
        }
        m_z[s] = double(z) - 1.0;
        m_fx[s] = fx, m_fy[s] = fy;
      }
    }
  }
  double ztot = 0;
  for (int64_t s = 0; s < n; ++s) {
    ztot += m_z[s];
    rep[2 * m_order[s]] = m_fx[s];
    rep[2 * m_order[s] + 1] = m_fy[s];
  }
  return ztot;
}

}  // namespace p2r
