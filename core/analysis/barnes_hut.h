#pragma once
// Barnes-Hut approximation of t-SNE's repulsive forces in 2D: a quadtree kept in flat arrays over
// points sorted by Morton (Z-order) code, so that every cell is a contiguous range of points.
#include <cstdint>
#include <vector>

namespace p2r {

/// Reusable Barnes-Hut evaluator (buffers survive between calls). Not thread-safe per instance;
/// one call uses `threads` OpenMP threads internally.
class BarnesHutRepulsion {
 public:
  /// y [n, 2] row-major positions (n >= 2); theta >= 0 the opening angle (0 = exact, O(n^2)).
  /// Writes rep [n, 2] = sum_j w_ij^2 (y_i - y_j) with w_ij = 1 / (1 + |y_i - y_j|^2) and returns
  /// Z = sum_{i != j} w_ij. Deterministic for given inputs (independent of thread count).
  double compute(const double* y, int64_t n, double theta, double* rep, int threads);

 private:
  struct Node {
    float cx, cy;     // centre of mass
    float w2;         // squared side of the cell
    int32_t count;    // points in the cell
    int32_t first;    // first child (children are contiguous); -1 for a leaf
    int32_t nchild;   // number of non-empty children
    int32_t begin, end;  // range in the sorted point arrays
  };
  void build(int32_t self, int32_t begin, int32_t end, int level, float side, bool in_group);
  void sort_by_morton(const double* y, int64_t n);

  std::vector<uint32_t> m_code, m_code_tmp;
  std::vector<int32_t> m_order, m_order_tmp;
  std::vector<float> m_x, m_y;  // sorted positions
  std::vector<Node> m_nodes;
  std::vector<int32_t> m_groups;  // nodes whose points share one traversal
  std::vector<double> m_z;      // per sorted point partial Z
  std::vector<float> m_fx, m_fy;
};

}  // namespace p2r
