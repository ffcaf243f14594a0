#pragma once
// The segmentation classes of scribbles and of scribble classifiers: names and colours, class 0
// the background. Stored as DIR/classes.json beside scribble files ({"classes": [{"name": ...,
// "rgb": [R, G, B]}, ...]}) and as the "classes" array of a model folder's segment.json. A folder
// or model without a record has the ACDC four. No Torch.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace p2r {

/// One class: its name (unique in its list, not empty) and display colour.
struct ClassInfo {
  std::string name;
  std::array<uint8_t, 3> rgb{};
  bool operator==(const ClassInfo& o) const { return name == o.name && rgb == o.rgb; }
};

/// Classes in label order (class i is label i, scribble value i + 1); class 0 is the background.
using ClassList = std::vector<ClassInfo>;

/// Fewest and most classes of a list (scribble values 1..15 leave 0 for "unlabelled").
constexpr int kMinClasses = 2;
constexpr int kMaxClasses = 15;

/// The ACDC four: background (light blue, visible as strokes), RV, MYO, LV (label_palette_rgb).
ClassList acdc_classes();

/// "" when classes is a valid list, else its first problem ("16 classes (at most 15)", "class 2
/// has an empty name", "class name 'RV' appears twice").
std::string class_list_problem(const ClassList& classes);

/// "background, RV, MYO, LV": the names, for messages.
std::string class_names_text(const ClassList& classes);

/// "background 120, RV 30, MYO 41, LV 12": each class's name and count (counts[i], 0 past the end).
std::string class_counts_text(const ClassList& classes, const std::vector<int64_t>& counts);

/// Whether a and b name the same classes in the same order (colours aside).
bool same_class_names(const ClassList& a, const ClassList& b);

/// classes as a JSON array [{"name": ..., "rgb": [R, G, B]}, ...].
nlohmann::json class_list_to_json(const ClassList& classes);

/// The list of a JSON array as class_list_to_json writes it; throws p2r::Error (without a file
/// name) for another structure, a colour that is not three integers 0..255, or an invalid list.
ClassList class_list_from_json(const nlohmann::json& j);

/// DIR/classes.json.
std::string class_list_path(const std::string& dir);

/// Writes classes to DIR/classes.json atomically (DIR created when missing); throws p2r::Error for an invalid list or an
/// unwritable folder.
void write_class_list(const std::string& dir, const ClassList& classes);

/// The classes of DIR/classes.json, or the ACDC four when there is no such file. Throws p2r::Error
/// naming the file and the problem for malformed JSON or an invalid list.
ClassList read_class_list(const std::string& dir);

}  // namespace p2r
