#include "app/studio/source_slices.h"

#include <filesystem>

#include "core/common/error.h"
#ifdef PIX2REP_HAS_ITK
#include "core/io/nifti.h"
#endif

namespace p2r::studio {

const SourceSlice* SourceSlices::slice(const SliceSet& data, int i) {
  m_problem.clear();
  const VolumeRecord& record = data.volume_of(i);
  const int z = data.slices[i].z;
#ifdef PIX2REP_HAS_ITK
  std::error_code ec;
  if (record.image_path.empty() || !std::filesystem::is_regular_file(record.image_path, ec)) {
    m_problem = record.image_path.empty() ? "the data holds no source file (made in memory)"
                                          : record.image_path + ": source file not found";
    return nullptr;
  }
  try {
    if (record.image_path != m_image_path) {
      m_image_path.clear();
      m_frames = read_nifti_frames(record.image_path);
      m_image_path = record.image_path;
    }
    if (record.label_path != m_label_path) {
      m_label_path.clear();
      m_labels = record.label_path.empty() ? LabelVolume() : read_nifti_labels(record.label_path);
      m_label_path = record.label_path;
    }
  } catch (const Error& e) {
    m_problem = e.message();
    return nullptr;
  }
  // A cine file's frame t + 1 is its time point t; a 3D file is its own single frame.
  const size_t t = m_frames.size() > 1 ? size_t(std::max(record.frame, 1) - 1) : 0;
  if (t >= m_frames.size() || m_frames[t].geometry.size != record.geometry.size || z >= record.geometry.size[2]) {
    m_problem = record.image_path + ": no longer the grid the data was prepared from";
    return nullptr;
  }
  const Volume& v = m_frames[t];
  const int w = v.geometry.size[0], h = v.geometry.size[1];
  const size_t plane = size_t(w) * size_t(h);
  m_slice.width = w;
  m_slice.height = h;
  m_slice.values.assign(v.voxels.begin() + ptrdiff_t(plane * size_t(z)), v.voxels.begin() + ptrdiff_t(plane * size_t(z + 1)));
  m_slice.labels.clear();
  if (!m_labels.voxels.empty() && m_labels.geometry.size == v.geometry.size)
    m_slice.labels.assign(m_labels.voxels.begin() + ptrdiff_t(plane * size_t(z)),
                          m_labels.voxels.begin() + ptrdiff_t(plane * size_t(z + 1)));
  return &m_slice;
#else
  (void)z;
  m_problem = "this build reads no NIfTI files (no ITK)";
  return nullptr;
#endif
}

}  // namespace p2r::studio
