#include "app/studio/scribble_canvas.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "app/studio/scribble_brush.h"
#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/data/scribble_set.h"
#include "core/io/scribble_file.h"

namespace fs = std::filesystem;

namespace p2r::studio {

ScribbleCanvas::~ScribbleCanvas() {
  flush_autosave();
}

void ScribbleCanvas::reset(std::shared_ptr<const SliceSet> data, const std::string& new_folder) {
  flush_autosave();
  m_data = std::move(data);
  m_volumes.clear();
  m_history.clear();
  m_stroke.clear();
  m_stroke_volume = -1;
  folder = new_folder;
  ++m_revision;
  m_autosaved = m_saved_revision = ++m_committed;
}

LabelVolume& ScribbleCanvas::writable(int volume) {
  std::shared_ptr<LabelVolume>& v = m_volumes[volume];
  if (!v) {
    v = std::make_shared<LabelVolume>();
    v->geometry = m_data->volumes[volume].geometry;
    v->voxels.assign(size_t(v->geometry.voxel_count()), kUnscribbled);
  } else if (v.use_count() > 1) {
    v = std::make_shared<LabelVolume>(*v);  // a worker holds the old one: copy on write
  }
  return *v;
}

void ScribbleCanvas::paint_segment(Vec2 from, Vec2 to) {
  LabelVolume& v = writable(m_stroke_volume);
  const int w = v.geometry.size[0], h = v.geometry.size[1];
  const int64_t plane = int64_t(w) * h, offset = int64_t(m_stroke_z) * plane;
  const uint8_t value = eraser ? kUnscribbled : scribble_value(brush_class);
  for (int64_t i : brush_pixels(w, h, from, to, brush_size)) {
    uint8_t& voxel = v.voxels[size_t(offset + i)];
    if (voxel == value) continue;
    m_stroke.try_emplace(offset + i, VoxelChange{offset + i, voxel, value}).first->second.after = value;
    voxel = value;
  }
  ++m_revision;
}

void ScribbleCanvas::begin_stroke(int volume, int z, Vec2 p) {
  if (!m_data || volume < 0 || volume >= int(m_data->volumes.size())) return;
  const Geometry& g = m_data->volumes[volume].geometry;
  if (z < 0 || z >= g.size[2]) return;
  m_stroke.clear();
  m_stroke_volume = volume;
  m_stroke_z = z;
  m_last = p;
  paint_segment(p, p);
}

void ScribbleCanvas::extend_stroke(Vec2 p) {
  if (!stroking()) return;
  paint_segment(m_last, p);
  m_last = p;
}

bool ScribbleCanvas::end_stroke() {
  if (!stroking()) return false;
  ScribbleEdit edit{m_stroke_volume, {}};
  for (const auto& [index, change] : m_stroke)
    if (change.before != change.after) edit.changes.push_back(change);
  m_stroke.clear();
  m_stroke_volume = -1;
  if (edit.changes.empty()) return false;
  m_history.push(std::move(edit));
  ++m_committed;
  return true;
}

void ScribbleCanvas::apply(const ScribbleEdit& edit, bool forward) {
  LabelVolume& v = writable(edit.volume);
  for (const VoxelChange& c : edit.changes) v.voxels[size_t(c.index)] = forward ? c.after : c.before;
  ++m_revision;
  ++m_committed;
}

bool ScribbleCanvas::undo() {
  if (stroking()) return false;
  const ScribbleEdit* edit = m_history.undo();
  if (edit) apply(*edit, false);
  return edit != nullptr;
}

bool ScribbleCanvas::redo() {
  if (stroking()) return false;
  const ScribbleEdit* edit = m_history.redo();
  if (edit) apply(*edit, true);
  return edit != nullptr;
}

ScribbleVolumes ScribbleCanvas::volumes() const {
  ScribbleVolumes out;
  for (const auto& [volume, v] : m_volumes) out.emplace(volume, v);
  return out;
}

std::vector<int64_t> ScribbleCanvas::class_voxels() const {
  std::vector<int64_t> out(m_classes.size(), 0);
  for (const auto& [volume, v] : m_volumes)
    for (uint8_t x : v->voxels)
      if (x != kUnscribbled && size_t(scribble_class(x)) < out.size()) ++out[size_t(scribble_class(x))];
  return out;
}

void ScribbleCanvas::commit_classes(ClassList classes) {
  m_classes = std::move(classes);
  brush_class = std::min(brush_class, int(m_classes.size()) - 1);
  ++m_revision;
  ++m_committed;
}

std::string ScribbleCanvas::add_class(const std::string& name, const std::array<uint8_t, 3>& rgb) {
  ClassList next = m_classes;
  next.push_back({name, rgb});
  const std::string problem = class_list_problem(next);
  if (!problem.empty()) return "cannot add class '" + name + "': " + problem;
  commit_classes(std::move(next));
  return "";
}

std::string ScribbleCanvas::rename_class(int i, const std::string& name) {
  if (i < 0 || i >= int(m_classes.size())) return "no class " + std::to_string(i);
  ClassList next = m_classes;
  next[size_t(i)].name = name;
  const std::string problem = class_list_problem(next);
  if (!problem.empty()) return "cannot rename '" + m_classes[size_t(i)].name + "': " + problem;
  commit_classes(std::move(next));
  return "";
}

void ScribbleCanvas::recolour_class(int i, const std::array<uint8_t, 3>& rgb) {
  if (i < 0 || i >= int(m_classes.size()) || m_classes[size_t(i)].rgb == rgb) return;
  ClassList next = m_classes;
  next[size_t(i)].rgb = rgb;
  commit_classes(std::move(next));
}

std::string ScribbleCanvas::remove_class(int i) {
  if (i < 0 || i >= int(m_classes.size())) return "no class " + std::to_string(i);
  const std::string why = "cannot remove '" + m_classes[size_t(i)].name + "': ";
  if (i == 0) return why + "class 0 is the background";
  if (int(m_classes.size()) <= kMinClasses) return why + "at least " + std::to_string(kMinClasses) + " classes are needed";
  const int64_t voxels = class_voxels()[size_t(i)];
  if (voxels > 0) return why + std::to_string(voxels) + " voxels are scribbled with it (erase them first)";
  if (stroking()) end_stroke();
  const uint8_t removed = scribble_value(i);
  for (auto& [volume, v] : m_volumes) {
    if (std::none_of(v->voxels.begin(), v->voxels.end(), [&](uint8_t x) { return x > removed; })) continue;
    for (uint8_t& x : writable(volume).voxels)
      if (x > removed) --x;  // later classes move down one value
  }
  m_history.clear();  // its changes hold the old values
  ClassList next = m_classes;
  next.erase(next.begin() + i);
  if (brush_class > i) --brush_class;
  commit_classes(std::move(next));
  return "";
}

std::vector<uint8_t> ScribbleCanvas::plane_rgba(int volume, int z) const {
  auto it = m_volumes.find(volume);
  if (it == m_volumes.end()) return {};
  const LabelVolume& v = *it->second;
  const int64_t plane = int64_t(v.geometry.size[0]) * v.geometry.size[1];
  if (z < 0 || z >= v.geometry.size[2]) return {};
  std::vector<uint8_t> rgba(size_t(plane) * 4, 0);
  const uint8_t* values = v.voxels.data() + z * plane;
  for (int64_t i = 0; i < plane; ++i) {
    if (values[i] == kUnscribbled || scribble_class(values[i]) >= int(m_classes.size())) continue;
    const auto& c = m_classes[size_t(scribble_class(values[i]))].rgb;
    rgba[size_t(i) * 4 + 0] = c[0], rgba[size_t(i) * 4 + 1] = c[1], rgba[size_t(i) * 4 + 2] = c[2];
    rgba[size_t(i) * 4 + 3] = 255;
  }
  return rgba;
}

std::string ScribbleCanvas::colour_key() const {
  std::ostringstream key;
  for (const ClassInfo& c : m_classes) key << int(c.rgb[0]) << ',' << int(c.rgb[1]) << ',' << int(c.rgb[2]) << ';';
  return key.str();
}

int write_scribble_volumes(const std::string& dir, const SliceSet& data, const ScribbleVolumes& volumes,
                           const ClassList& classes) {
#ifndef PIX2REP_HAS_ITK
  P2R_FAIL("saving scribbles needs a build with ITK (PIX2REP_WITH_ITK)");
#endif
  ensure_directory(dir);
  write_class_list(dir, classes);
  for (const auto& [volume, v] : volumes) {
    const VolumeRecord& rec = data.volumes[volume];
#ifdef PIX2REP_HAS_ITK
    write_scribble_file((fs::path(dir) / scribble_file_name(rec.subject, rec.frame)).string(), *v, classes);
#endif
  }
  return int(volumes.size());
}

std::string ScribbleCanvas::save_files() {
  P2R_CHECK(m_data, "no data is open");
  P2R_CHECK(!m_volumes.empty(), "no scribbles to save");
  P2R_CHECK(!folder.empty(), "no scribble folder given");
  const int files = write_scribble_volumes(folder, *m_data, volumes(), m_classes);
  m_saved_revision = m_committed;
  std::ostringstream out;
  out << "saved " << files << " scribble file(s) and " << m_classes.size() << " classes to " << folder;
  return out.str();
}

std::string ScribbleCanvas::load_files() {
  P2R_CHECK(m_data, "no data is open");
  P2R_CHECK(!folder.empty(), "no scribble folder given");
#ifndef PIX2REP_HAS_ITK
  P2R_FAIL("loading scribbles needs a build with ITK (PIX2REP_WITH_ITK)");
#else
  ScribbleFolder read = read_scribble_folder(folder, *m_data);  // throws before anything changes
  int64_t voxels = 0;
  for (const LabelVolume& v : read.scribbles)
    for (uint8_t x : v.voxels) voxels += x != kUnscribbled;
  P2R_CHECK(voxels > 0,
            folder << ": empty scribble set: the " << read.files.size() << " scribble file(s) hold no scribbled voxel");
  if (stroking()) end_stroke();
  m_volumes.clear();
  for (size_t i = 0; i < read.volumes.size(); ++i)
    m_volumes[read.volumes[i]] = std::make_shared<LabelVolume>(std::move(read.scribbles[i]));
  m_history.clear();
  m_classes = std::move(read.classes);
  brush_class = std::min(brush_class, int(m_classes.size()) - 1);
  ++m_revision;
  m_autosaved = m_saved_revision = ++m_committed;
  std::ostringstream out;
  out << "loaded " << read.files.size() << " scribble file(s), " << voxels << " voxels, " << m_classes.size()
      << " classes, from " << folder;
  if (!read.unmatched_files.empty()) out << " (" << read.unmatched_files.size() << " naming no volume ignored)";
  return out.str();
#endif
}

bool ScribbleCanvas::record(const std::string& what, const std::function<std::string()>& action) {
  try {
    status = action();
    error.clear();
    return true;
  } catch (const std::exception& e) {
    error = what + ": " + describe_exception(e);
    return false;
  }
}

bool ScribbleCanvas::save() { return record("saving scribbles", [this] { return save_files(); }); }

bool ScribbleCanvas::load() { return record("loading scribbles", [this] { return load_files(); }); }

std::string ScribbleCanvas::autosave_folder() const {
  return (fs::path(folder) / "autosave").string();
}

void ScribbleCanvas::autosave() {
  if (m_autosave && !m_autosave->finished()) return;
  if (m_autosave) {
    autosave_error = m_autosave->state() == JobState::Failed ? "autosave failed: " + m_autosave->error() : "";
    m_autosave.reset();
  }
  if (!m_data || folder.empty() || !unsaved() || m_autosaved == m_committed || stroking() || m_volumes.empty()) return;
  m_autosaved = m_committed;
  const std::string dir = autosave_folder();
  m_autosave = std::make_unique<Job>("autosave", "autosaving scribbles", dir,
                                     [dir, data = m_data, volumes = volumes(), classes = m_classes](JobProgress&) {
                                       write_scribble_volumes(dir, *data, volumes, classes);
                                       return std::string("autosaved");
                                     });
  m_autosave->start();
}

void ScribbleCanvas::flush_autosave() {
  if (m_autosave) m_autosave->wait();
  m_autosave.reset();
  if (!m_data || folder.empty() || !unsaved() || m_autosaved == m_committed || m_volumes.empty()) return;
  try {
    write_scribble_volumes(autosave_folder(), *m_data, volumes(), m_classes);
    m_autosaved = m_committed;
  } catch (const std::exception& e) {
    autosave_error = "autosave failed: " + describe_exception(e);
  }
}

std::string default_scribble_folder(const std::string& source) {
  if (source.empty()) return "scribbles";
  const fs::path p(source);
  return ((fs::is_directory(p) ? p : p.parent_path()) / "scribbles").string();
}

}  // namespace p2r::studio
