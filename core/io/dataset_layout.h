#pragma once
// Finding subjects, frames and label files on disk: the ACDC layout and plain folders of NIfTI volumes.
#include <optional>
#include <string>
#include <vector>

namespace p2r {

/// Cardiac phase of a frame; Unknown for volumes outside the ACDC layout.
enum class Phase { ED, ES, Unknown };
/// "ED", "ES" or "".
const char* phase_name(Phase phase);

/// One 3D volume of a subject, with its label file when one exists.
struct FrameRecord {
  int frame = 0;                 ///< frame number (ACDC frameXX), 0 when unknown
  Phase phase = Phase::Unknown;
  std::string image_path;
  std::string label_path;        ///< empty when the frame has no labels
  bool has_label() const { return !label_path.empty(); }
};

/// One subject (patient) with its metadata and frames.
struct SubjectRecord {
  std::string id;                ///< e.g. "patient001", or the file stem in a plain folder
  std::string split;             ///< "training", "testing" or "" for plain folders
  std::string group;             ///< ACDC pathology group (DCM, HCM, MINF, NOR, RV) or ""
  double height_cm = 0, weight_kg = 0;
  int nb_frames = 0;
  std::vector<FrameRecord> frames;
};

/// Which on-disk layout to read.
enum class Layout { Auto, Acdc, Folder };
/// Which ACDC split(s) to read.
enum class Split { Training, Testing, All };

/// A scanned dataset: where it lives, how it was read, and its subjects sorted by id.
struct Dataset {
  std::string root;  ///< canonical absolute path; every image and label path lies under it
  Layout layout = Layout::Auto;
  std::vector<SubjectRecord> subjects;
  /// Number of frames over all subjects, and of those with labels.
  int frame_count() const;
  int labelled_frame_count() const;
};

/// Parses an ACDC Info.cfg ("ED: 1", "ES: 12", "Group: DCM", "Height", "Weight", "NbFrame") into
/// subject. Throws p2r::Error naming the file when it is missing, ED/ES/Group are absent or a value
/// is malformed.
void parse_info_cfg(const std::string& path, SubjectRecord& subject);

/// Lists subjects under root. Acdc: root holds training/ and/or testing/, or is itself a split
/// folder of patientNNN/ subfolders; each gives its ED and ES frames. Folder: every *.nii(.gz) not
/// ending in _gt is a subject with one unlabelled frame, labelled when NAME_gt.nii(.gz) exists.
/// A 4D cine file stays one frame record here; prepare_dataset splits it into one frame per time point.
/// Auto picks Acdc when the ACDC structure is present. Paths are absolute, under the canonical root
/// (symbolic links and ".." of root resolved). Throws p2r::Error for a missing or empty
/// folder, a missing Info.cfg or frame file. Reads no voxels.
Dataset scan_dataset(const std::string& root, Layout layout = Layout::Auto, Split split = Split::All);

/// True for a file name ending in .nii or .nii.gz.
bool is_nifti_file_name(const std::string& name);

/// The given NIfTI files as a Folder dataset: each a subject named by its file stem, labelled by a
/// NAME_gt.nii(.gz) beside it; root is their deepest common folder. Throws p2r::Error naming the
/// file for a missing file, a non-NIfTI name, a label file given as an image or a repeated stem.
Dataset dataset_of_files(const std::vector<std::string>& files);

/// Parses "acdc" / "folder" / "auto" and "training" / "testing" / "all"; throws p2r::Error otherwise.
Layout parse_layout(const std::string& text);
Split parse_split(const std::string& text);

}  // namespace p2r
