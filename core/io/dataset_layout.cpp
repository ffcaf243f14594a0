#include "core/io/dataset_layout.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/common/error.h"

namespace fs = std::filesystem;

namespace p2r {

namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "abc.nii.gz" -> "abc", "abc.nii" -> "abc", else "".
std::string nifti_stem(const std::string& name) {
  if (ends_with(name, ".nii.gz")) return name.substr(0, name.size() - 7);
  if (ends_with(name, ".nii")) return name.substr(0, name.size() - 4);
  return "";
}

double parse_number(const std::string& text, const std::string& key, const std::string& path) {
  try {
    size_t used = 0;
    double v = std::stod(text, &used);
    P2R_CHECK(used == text.size(), "");
    return v;
  } catch (...) {
    P2R_FAIL(path << ": malformed value for '" << key << "': '" << text << "' is not a number");
  }
}

int parse_int(const std::string& text, const std::string& key, const std::string& path) {
  double v = parse_number(text, key, path);
  P2R_CHECK(v == double(int(v)) && v >= 0, path << ": malformed value for '" << key << "': '" << text
                                                 << "' is not a non-negative integer");
  return int(v);
}

// A subject of one NIfTI file (no ACDC metadata): one frame, labelled when label_path is set.
SubjectRecord file_subject(const std::string& id, const std::string& image_path, const std::string& label_path) {
  SubjectRecord s;
  s.id = id;
  FrameRecord f;
  f.image_path = image_path;
  f.label_path = label_path;
  s.frames.push_back(f);
  return s;
}

// The deepest folder holding both a and b (absolute paths).
fs::path common_folder(const fs::path& a, const fs::path& b) {
  fs::path out;
  for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end() && *i == *j; ++i, ++j) out /= *i;
  return out;
}

// Finds image "<dir>/<id>_frameXX.nii(.gz)" and its "_gt" label; image must exist.
FrameRecord acdc_frame(const fs::path& dir, const std::string& id, int frame, Phase phase) {
  char stem[256];
  std::snprintf(stem, sizeof stem, "%s_frame%02d", id.c_str(), frame);
  FrameRecord rec;
  rec.frame = frame;
  rec.phase = phase;
  for (const char* ext : {".nii.gz", ".nii"}) {
    if (rec.image_path.empty() && fs::exists(dir / (std::string(stem) + ext)))
      rec.image_path = (dir / (std::string(stem) + ext)).string();
    if (rec.label_path.empty() && fs::exists(dir / (std::string(stem) + "_gt" + ext)))
      rec.label_path = (dir / (std::string(stem) + "_gt" + ext)).string();
  }
  P2R_CHECK(!rec.image_path.empty(), (dir / (std::string(stem) + ".nii.gz")).string()
                                         << ": missing image for the " << phase_name(phase)
                                         << " frame named in Info.cfg");
  return rec;
}

bool is_acdc_subject_dir(const fs::path& p) { return fs::is_directory(p) && fs::exists(p / "Info.cfg"); }

void scan_acdc_split(const fs::path& folder, const std::string& split, Dataset& out) {
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(folder))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    SubjectRecord s;
    s.id = dir.filename().string();
    s.split = split;
    P2R_CHECK(fs::exists(dir / "Info.cfg"), (dir / "Info.cfg").string() << ": missing (every ACDC subject folder needs one)");
    parse_info_cfg((dir / "Info.cfg").string(), s);
    out.subjects.push_back(std::move(s));
  }
}

}  // namespace

const char* phase_name(Phase phase) {
  switch (phase) {
    case Phase::ED: return "ED";
    case Phase::ES: return "ES";
    default: return "";
  }
}

int Dataset::frame_count() const {
  int n = 0;
  for (const auto& s : subjects) n += int(s.frames.size());
  return n;
}

int Dataset::labelled_frame_count() const {
  int n = 0;
  for (const auto& s : subjects)
    for (const auto& f : s.frames) n += f.has_label();
  return n;
}

void parse_info_cfg(const std::string& path, SubjectRecord& subject) {
  std::ifstream in(path);
  P2R_CHECK(in.good(), path << ": cannot open Info.cfg");
  std::map<std::string, std::string> kv;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (trim(line).empty()) continue;
    auto colon = line.find(':');
    P2R_CHECK(colon != std::string::npos, path << ": malformed line " << line_no << " '" << trim(line)
                                                << "' (expected 'Key: value')");
    kv[trim(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  for (const char* key : {"ED", "ES", "Group"})
    P2R_CHECK(kv.count(key), path << ": missing '" << key << "' entry");
  int ed = parse_int(kv["ED"], "ED", path), es = parse_int(kv["ES"], "ES", path);
  subject.group = kv["Group"];
  if (kv.count("Height")) subject.height_cm = parse_number(kv["Height"], "Height", path);
  if (kv.count("Weight")) subject.weight_kg = parse_number(kv["Weight"], "Weight", path);
  if (kv.count("NbFrame")) subject.nb_frames = parse_int(kv["NbFrame"], "NbFrame", path);
  P2R_CHECK(ed >= 1 && es >= 1, path << ": ED and ES frames must be >= 1 (got ED " << ed << ", ES " << es << ")");
  P2R_CHECK(subject.nb_frames == 0 || (ed <= subject.nb_frames && es <= subject.nb_frames),
            path << ": ED " << ed << " / ES " << es << " beyond NbFrame " << subject.nb_frames);
  fs::path dir = fs::path(path).parent_path();
  if (subject.id.empty()) subject.id = dir.filename().string();
  subject.frames.clear();
  subject.frames.push_back(acdc_frame(dir, subject.id, ed, Phase::ED));
  if (es != ed) subject.frames.push_back(acdc_frame(dir, subject.id, es, Phase::ES));
}

Layout parse_layout(const std::string& text) {
  if (text == "acdc") return Layout::Acdc;
  if (text == "folder") return Layout::Folder;
  if (text == "auto") return Layout::Auto;
  P2R_FAIL("unknown layout '" << text << "' (expected acdc, folder or auto)");
}

Split parse_split(const std::string& text) {
  if (text == "training") return Split::Training;
  if (text == "testing") return Split::Testing;
  if (text == "all") return Split::All;
  P2R_FAIL("unknown split '" << text << "' (expected training, testing or all)");
}

Dataset scan_dataset(const std::string& root, Layout layout, Split split) {
  P2R_CHECK(fs::exists(root), root << ": folder does not exist");
  P2R_CHECK(fs::is_directory(root), root << ": not a folder");
  const fs::path base = fs::canonical(root);  // every recorded path is absolute: it survives a change of folder
  bool has_splits = fs::is_directory(base / "training") || fs::is_directory(base / "testing");
  bool has_subjects = false;
  for (const auto& e : fs::directory_iterator(base))
    if (is_acdc_subject_dir(e.path())) has_subjects = true;
  if (layout == Layout::Auto) layout = (has_splits || has_subjects) ? Layout::Acdc : Layout::Folder;

  Dataset out;
  out.root = base.string();
  out.layout = layout;
  if (layout == Layout::Acdc) {
    if (has_splits) {
      if (split != Split::Testing && fs::is_directory(base / "training")) scan_acdc_split(base / "training", "training", out);
      if (split != Split::Training && fs::is_directory(base / "testing")) scan_acdc_split(base / "testing", "testing", out);
    } else {
      P2R_CHECK(has_subjects, root << ": not an ACDC dataset (no training/ or testing/ folder and no subject folder with Info.cfg)");
      scan_acdc_split(base, base.filename().string(), out);
    }
  } else {
    std::map<std::string, std::string> images, labels;
    for (const auto& e : fs::directory_iterator(base)) {
      if (!e.is_regular_file()) continue;
      std::string stem = nifti_stem(e.path().filename().string());
      if (stem.empty()) continue;
      if (ends_with(stem, "_gt")) labels[stem.substr(0, stem.size() - 3)] = e.path().string();
      else images[stem] = e.path().string();
    }
    for (const auto& [stem, path] : labels)
      P2R_CHECK(images.count(stem), path << ": label file without an image '" << stem << ".nii.gz'");
    for (const auto& [stem, path] : images)
      out.subjects.push_back(file_subject(stem, path, labels.count(stem) ? labels[stem] : std::string()));
  }
  P2R_CHECK(!out.subjects.empty(), root << ": no subjects found (expected the ACDC layout or NIfTI files)");
  return out;
}

bool is_nifti_file_name(const std::string& name) { return !nifti_stem(name).empty(); }

Dataset dataset_of_files(const std::vector<std::string>& files) {
  P2R_CHECK(!files.empty(), "no NIfTI files given");
  Dataset out;
  out.layout = Layout::Folder;
  std::set<std::string> ids;
  fs::path root;
  for (const std::string& file : files) {
    P2R_CHECK(fs::is_regular_file(file), file << ": no such file");
    const fs::path path = fs::canonical(file);
    const std::string stem = nifti_stem(path.filename().string());
    P2R_CHECK(!stem.empty(), file << ": not a NIfTI file name (.nii or .nii.gz)");
    P2R_CHECK(!ends_with(stem, "_gt"), file << ": a label file; open its image (labels beside it are found)");
    P2R_CHECK(ids.insert(stem).second, file << ": a second file named " << stem);
    std::string label;
    for (const char* ext : {".nii.gz", ".nii"})
      if (fs::is_regular_file(path.parent_path() / (stem + "_gt" + ext))) label = (path.parent_path() / (stem + "_gt" + ext)).string();
    out.subjects.push_back(file_subject(stem, path.string(), label));
    root = root.empty() ? path.parent_path() : common_folder(root, path.parent_path());
  }
  out.root = root.string();
  std::sort(out.subjects.begin(), out.subjects.end(),
            [](const SubjectRecord& a, const SubjectRecord& b) { return a.id < b.id; });
  return out;
}

}  // namespace p2r
