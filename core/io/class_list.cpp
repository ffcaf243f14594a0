#include "core/io/class_list.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/label_palette.h"
#include "core/io/volume.h"

namespace fs = std::filesystem;

namespace p2r {

ClassList acdc_classes() {
  ClassList out = {{class_names()[0], {110, 190, 255}}};
  for (int label = 1; label < kNumClasses; ++label) out.push_back({class_names()[size_t(label)], label_palette_rgb(label)});
  return out;
}

std::string class_list_problem(const ClassList& classes) {
  std::ostringstream out;
  if (classes.size() < size_t(kMinClasses) || classes.size() > size_t(kMaxClasses)) {
    out << classes.size() << " classes (" << kMinClasses << " to " << kMaxClasses << " allowed)";
    return out.str();
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < classes.size(); ++i) {
    if (classes[i].name.empty()) {
      out << "class " << i << " has an empty name";
      return out.str();
    }
    if (!seen.insert(classes[i].name).second) return "class name '" + classes[i].name + "' appears twice";
  }
  return "";
}

std::string class_names_text(const ClassList& classes) {
  std::string out;
  for (const ClassInfo& c : classes) out += (out.empty() ? "" : ", ") + c.name;
  return out;
}

std::string class_counts_text(const ClassList& classes, const std::vector<int64_t>& counts) {
  std::string out;
  for (size_t i = 0; i < classes.size(); ++i)
    out += (i ? ", " : "") + classes[i].name + " " + std::to_string(i < counts.size() ? counts[i] : 0);
  return out;
}

bool same_class_names(const ClassList& a, const ClassList& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].name != b[i].name) return false;
  return true;
}

nlohmann::json class_list_to_json(const ClassList& classes) {
  nlohmann::json out = nlohmann::json::array();
  for (const ClassInfo& c : classes) out.push_back({{"name", c.name}, {"rgb", {c.rgb[0], c.rgb[1], c.rgb[2]}}});
  return out;
}

ClassList class_list_from_json(const nlohmann::json& j) {
  P2R_CHECK(j.is_array(), "'classes' must be an array of {\"name\": ..., \"rgb\": [R, G, B]}");
  ClassList out;
  for (size_t i = 0; i < j.size(); ++i) {
    const nlohmann::json& c = j[i];
    P2R_CHECK(c.is_object() && c.contains("name") && c["name"].is_string() && c.contains("rgb") && c.size() == 2,
              "class " << i << " is not {\"name\": TEXT, \"rgb\": [R, G, B]}: " << c.dump());
    const nlohmann::json& rgb = c["rgb"];
    bool colour = rgb.is_array() && rgb.size() == 3;
    for (size_t k = 0; colour && k < 3; ++k)
      colour = rgb[k].is_number_integer() && rgb[k].get<int64_t>() >= 0 && rgb[k].get<int64_t>() <= 255;
    P2R_CHECK(colour, "class " << i << " ('" << c["name"].get<std::string>() << "') has the colour " << rgb.dump()
                               << " (three integers 0..255 expected)");
    out.push_back({c["name"].get<std::string>(),
                   {uint8_t(rgb[0].get<int>()), uint8_t(rgb[1].get<int>()), uint8_t(rgb[2].get<int>())}});
  }
  const std::string problem = class_list_problem(out);
  P2R_CHECK(problem.empty(), problem);
  return out;
}

std::string class_list_path(const std::string& dir) { return (fs::path(dir) / "classes.json").string(); }

void write_class_list(const std::string& dir, const ClassList& classes) {
  const std::string problem = class_list_problem(classes);
  P2R_CHECK(problem.empty(), class_list_path(dir) << ": " << problem);
  const nlohmann::json j = {{"classes", class_list_to_json(classes)}};
  ensure_directory(dir);
  write_file_atomically(class_list_path(dir), [&](const std::string& tmp) { std::ofstream(tmp) << j.dump(2) << "\n"; });
}

ClassList read_class_list(const std::string& dir) {
  const std::string path = class_list_path(dir);
  if (!fs::exists(path)) return acdc_classes();
  std::ifstream in(path);
  P2R_CHECK(in.good(), path << ": cannot be read");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    P2R_FAIL(path << ": malformed JSON: " << e.what());
  }
  P2R_CHECK(j.is_object() && j.contains("classes") && j.size() == 1,
            path << ": expected {\"classes\": [{\"name\": ..., \"rgb\": [R, G, B]}, ...]}");
  try {
    return class_list_from_json(j["classes"]);
  } catch (const Error& e) {
    P2R_FAIL(path << ": " << e.message());
  }
}

}  // namespace p2r
