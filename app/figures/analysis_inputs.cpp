#include "app/figures/analysis_inputs.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/data/slice_cache.h"

namespace fs = std::filesystem;

namespace p2r::figures {

EmbedResult open_store(const StoreArgs& a, SliceSet& data) {
  P2R_CHECK(fs::is_regular_file(a.data), a.data << ": prepared file does not exist (make it with pix2rep prepare)");
  data = load_slice_set(a.data);
  EmbedRequest req;
  req.run_dir = a.checkpoint;
  if (!a.no_cache) {
    req.cache_path = a.cache;
    req.shared_cache = true;
  }
  req.notify = [](const std::string& message) { std::fprintf(stderr, "%s\n", message.c_str()); };
  req.extract.device = a.device;
  req.extract.precision = a.precision;
  req.extract.batch = a.batch;
  req.extract.threads = a.threads;
  req.rebuild = a.rebuild;
  req.verify = a.verify;
  TerminalProgress bar(a.progress);
  EmbedResult r = open_or_build_embeddings(req, data, bar);
  if (!r.rebuild_reason.empty()) std::fprintf(stderr, "embedding cache rebuilt: %s\n", r.rebuild_reason.c_str());
  if (r.reused)
    std::fprintf(stderr, "embeddings: cache %s (%d slices x %d features)\n", r.store.path().c_str(), r.store.slice_count(),
                 r.store.dim());
  else
    std::fprintf(stderr, "embeddings: %d slices x %d features computed on %s in %.1f s (%.1f slices/s)%s%s\n",
                 r.store.slice_count(), r.store.dim(), r.device.c_str(), r.seconds, r.store.slice_count() / r.seconds,
                 r.store.path().empty() ? "" : ", cached in ", r.store.path().c_str());
  return r;
}

std::vector<int> parse_slice_list(const std::string& text, int count) {
  std::vector<int> out;
  if (text == "all") {
    for (int s = 0; s < count; ++s) out.push_back(s);
    return out;
  }
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    try {
      const auto dash = item.find('-', 1);
      const int lo = std::stoi(item.substr(0, dash));
      const int hi = dash == std::string::npos ? lo : std::stoi(item.substr(dash + 1));
      P2R_CHECK(hi >= lo, "");
      for (int s = lo; s <= hi; ++s) out.push_back(s);
    } catch (const std::exception&) {
      P2R_FAIL("slice list '" << text << "' not understood (expected e.g. 0,5,9 or 10-20 or all)");
    }
  }
  P2R_CHECK(!out.empty(), "slice list '" << text << "' is empty");
  for (int s : out)
    P2R_CHECK(s >= 0 && s < count, "slice " << s << " is out of range: the data has slices 0.." << count - 1);
  return out;
}

std::string slice_title(const SliceSet& data, int s) {
  const VolumeRecord& v = data.volume_of(s);
  return v.subject + " " + phase_name(v.phase) + " z=" + std::to_string(data.slices[size_t(s)].z);
}

int find_slice(const SliceSet& data, const std::string& subject, const std::string& frame, int slice) {
  if (subject.empty()) {
    P2R_CHECK(frame.empty(), "--frame " << frame << " needs --subject");
    P2R_CHECK(slice >= 0 && slice < data.slice_count(),
              "slice " << slice << " is out of range: the data has slices 0.." << data.slice_count() - 1);
    return slice;
  }
  std::vector<const VolumeRecord*> volumes;
  for (const VolumeRecord& v : data.volumes)
    if (v.subject == subject) volumes.push_back(&v);
  if (volumes.empty()) {
    std::string known;
    for (const std::string& id : data.subject_ids()) known += (known.empty() ? "" : ", ") + id;
    P2R_FAIL("no subject '" << subject << "' in the data (it has " << known.substr(0, 300) << ")");
  }
  std::string frames;
  const VolumeRecord* chosen = nullptr;
  for (const VolumeRecord* v : volumes) {
    frames += (frames.empty() ? "" : ", ") + std::to_string(v->frame) + " (" + phase_name(v->phase) + ")";
    const bool match = frame.empty() ? volumes.size() == 1
                                     : frame == phase_name(v->phase) || frame == std::to_string(v->frame);
    if (match && !chosen) chosen = v;
  }
  P2R_CHECK(chosen, (frame.empty() ? "give --frame: subject " : "no frame '" + frame + "' of subject ")
                        << subject << " (it has frames " << frames << ")");
  for (int s = chosen->first_slice; s < chosen->first_slice + chosen->slice_count; ++s)
    if (data.slices[size_t(s)].z == slice) return s;
  P2R_FAIL("slice z=" << slice << " is out of range: subject " << subject << " frame " << chosen->frame
                      << " has " << chosen->slice_count << " slices");
}

void parse_pixel(const std::string& text, int& x, int& y) {
  char tail = 0;
  P2R_CHECK(std::sscanf(text.c_str(), "%d,%d%c", &x, &y, &tail) == 2,
            "pixel '" << text << "' not understood (expected X,Y, e.g. 64,70)");
}

}  // namespace p2r::figures
