#include "core/data/scribble_set.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <utility>

#include "core/common/error.h"
#include "core/data/preprocess.h"
#include "core/io/scribble_file.h"
#ifdef PIX2REP_HAS_ITK
#include "core/io/nifti.h"
#endif

namespace fs = std::filesystem;

namespace p2r {

int64_t ScribbleSet::pixel_count() const {
  int64_t n = 0;
  for (int64_t c : class_pixels) n += c;
  return n;
}

std::vector<std::string> ScribbleSet::subjects(const SliceSet& set) const {
  std::set<std::string> ids;
  for (int s : slices) ids.insert(set.volume_of(s).subject);
  return {ids.begin(), ids.end()};
}

void add_volume_scribbles(const SliceSet& set, int volume_index, const LabelVolume& scribbles, ScribbleSet& out) {
  P2R_CHECK(volume_index >= 0 && volume_index < int(set.volumes.size()), "volume index " << volume_index
                                                                                          << " out of range");
  const VolumeRecord& rec = set.volumes[volume_index];
  P2R_CHECK(scribbles.geometry.size == rec.geometry.size,
            rec.subject << " frame " << rec.frame << ": scribbles of shape " << scribbles.geometry.describe()
                        << " for an image of shape " << rec.geometry.describe() << " (" << rec.image_path << ")");
  P2R_CHECK(out.slices.empty() || out.size == set.size, "scribbles of " << out.size << " px slices added to "
                                                                        << set.size << " px slices");
  out.size = set.size;
  out.class_pixels.resize(out.classes.size(), 0);
  const int sx = rec.geometry.size[0], sy = rec.geometry.size[1], S = set.size;
  const int64_t plane = int64_t(sx) * sy, out_plane = int64_t(S) * S;
  const CropBox& box = rec.crop;
  std::vector<uint8_t> mapped(out_plane);
  for (int s = 0; s < rec.slice_count; ++s) {
    const int slice = rec.first_slice + s;
    const uint8_t* src = scribbles.voxels.data() + int64_t(set.slices[slice].z) * plane;
    if (std::all_of(src, src + plane, [](uint8_t v) { return v == 0; })) continue;
    for (int64_t i = 0; i < plane; ++i)
      P2R_CHECK(src[i] <= out.classes.size(), rec.subject << " frame " << rec.frame << ": scribble value "
                                                           << int(src[i]) << " has no class ("
                                                           << scribble_values_text(out.classes) << ")");
    resample_label_slice(src, sx, sy, box, S, mapped.data());
    // Voxels to the pixel holding their centre (map_label_slice_to_volume's correspondence, inverted).
    for (int y = 0; y < sy; ++y)
      for (int x = 0; x < sx; ++x) {
        const uint8_t v = src[y * sx + x];
        if (v == kUnscribbled) continue;
        const int u = int(std::floor((x + 0.5 - box.x0) * S / box.width));
        const int w = int(std::floor((y + 0.5 - box.y0) * S / box.height));
        if (u < 0 || w < 0 || u >= S || w >= S) {
          ++out.lost_outside_crop;
          continue;
        }
        if (mapped[w * S + u] == kUnscribbled) mapped[w * S + u] = v;
      }
    if (std::all_of(mapped.begin(), mapped.end(), [](uint8_t v) { return v == 0; })) continue;
    auto at = std::find(out.slices.begin(), out.slices.end(), slice);
    uint8_t* dst;
    if (at == out.slices.end()) {
      out.slices.push_back(slice);
      out.values.resize(out.values.size() + out_plane, kUnscribbled);
      dst = out.values.data() + out.values.size() - out_plane;
    } else {
      dst = out.values.data() + (at - out.slices.begin()) * out_plane;
      for (int64_t i = 0; i < out_plane; ++i)
        if (dst[i] != kUnscribbled) --out.class_pixels[scribble_class(dst[i])];
    }
    for (int64_t i = 0; i < out_plane; ++i) {
      dst[i] = mapped[i];
      if (mapped[i] != kUnscribbled) ++out.class_pixels[scribble_class(mapped[i])];
    }
  }
}

#ifdef PIX2REP_HAS_ITK
ScribbleFolder read_scribble_folder(const std::string& dir, const SliceSet& set) {
  P2R_CHECK(fs::is_directory(dir), dir << ": scribble folder does not exist");
  ScribbleFolder out;
  out.classes = read_class_list(dir);
  std::set<std::string> expected;
  for (int vi = 0; vi < int(set.volumes.size()); ++vi) {
    const VolumeRecord& rec = set.volumes[vi];
    const std::string name = scribble_file_name(rec.subject, rec.frame);
    expected.insert(name);
    const std::string path = (fs::path(dir) / name).string();
    if (!fs::exists(path)) continue;
    out.scribbles.push_back(read_scribble_file(path, rec.geometry, rec.image_path, out.classes));
    out.volumes.push_back(vi);
    out.files.push_back(path);
  }
  const std::string suffix = "_scribbles.nii.gz";
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        !expected.count(name))
      out.unmatched_files.push_back(entry.path().string());
  }
  std::sort(out.unmatched_files.begin(), out.unmatched_files.end());
  P2R_CHECK(!out.files.empty(), dir << ": no scribble file of the data's volumes (expected names like "
                                    << (set.volumes.empty() ? std::string("patient001_frame01_scribbles.nii.gz")
                                                            : scribble_file_name(set.volumes[0].subject,
                                                                                 set.volumes[0].frame))
                                    << "; " << out.unmatched_files.size() << " other scribble file(s) there)");
  return out;
}

ScribbleSet load_scribble_folder(const std::string& dir, const SliceSet& set) {
  ScribbleFolder folder = read_scribble_folder(dir, set);
  ScribbleSet out;
  out.classes = folder.classes;
  for (size_t i = 0; i < folder.volumes.size(); ++i)
    add_volume_scribbles(set, folder.volumes[i], folder.scribbles[i], out);
  out.files = std::move(folder.files);
  out.unmatched_files = std::move(folder.unmatched_files);
  P2R_CHECK(out.pixel_count() > 0, dir << ": empty scribble set: the " << out.files.size()
                                       << " scribble file(s) hold no scribbled voxel"
                                       << (out.lost_outside_crop ? " inside the prepared crops" : ""));
  return out;
}
#endif

}  // namespace p2r
