#pragma once
// The "Equivariance error" and "Reversal error" layers: for the shown slice, the open backbone's
// per-pixel error 1 - cos(f(phi . x), phi . f(x)) of a spatial transform phi and 1 - cos(f(x),
// f(1 - x)) (core/analysis/equivariance_error.h), computed by a job on a worker thread whenever
// the slice, the backbone or phi changes while the layers are on; magma from 0 to the larger map's
// maximum, transparent where phi samples outside the slice. Torch-free; main thread only.
#include <memory>
#include <string>
#include <vector>

#include "core/analysis/equivariance_error.h"
#include "core/jobs/job.h"

namespace p2r::studio {

class DatasetBrowser;
class EmbeddingState;
class LayeredImage;

inline constexpr const char* kEquivarianceLayer = "Equivariance error";
inline constexpr const char* kReversalLayer = "Reversal error";

class EquivarianceView {
 public:
  /// phi (rotation 30 degrees at first).
  SpatialTransform phi{30, 1, 0, 0, false};
  /// Last failure (corrupt backbone, a slice the U-Net cannot take), shown in the panel.
  std::string error;

  EquivarianceView();
  ~EquivarianceView();  ///< cancels and joins a running computation

  /// Turns the layers on (computed for the shown slice with the open backbone) or off (removed).
  void set_enabled(bool on);
  bool enabled() const { return m_enabled; }
  /// Once per frame: starts a computation when the shown slice, the backbone or phi changed, takes a
  /// finished one and keeps the two layers on it.
  void update(const EmbeddingState& embeddings, const DatasetBrowser& browser, LayeredImage& image);
  bool busy() const { return m_task && !m_task->finished(); }
  /// True when the layers show the current slice, backbone and phi (scripts wait for this).
  bool current() const { return !m_enabled || (!busy() && m_shown_key == m_key); }
  /// The maps shown (nullptr before the first result).
  const EquivarianceMaps* maps() const { return m_maps.get(); }
  /// "1 - cos under phi: mean 0.026, median 0.011; under reversal: mean ..." of the shown maps ("" when none).
  std::string summary() const;

 private:
  struct Pending;
  bool m_enabled = false;
  std::unique_ptr<Job> m_task;
  std::shared_ptr<Pending> m_pending;
  std::shared_ptr<const EquivarianceMaps> m_maps;
  const EquivarianceMaps* m_uploaded = nullptr;  // the maps the layers show (identity only)
  std::string m_key, m_shown_key;  // what the maps were asked for / show: backbone, data, slice, phi
};

}  // namespace p2r::studio
