#include "core/common/user_cache.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>

#include "core/common/error.h"

namespace fs = std::filesystem;

namespace p2r {
namespace {

constexpr CacheKind kKinds[] = {kEmbeddingEntries, kPreparedEntries};

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// A cache entry: a file of the kind's extension that is not a temporary (".name.tmp..." of
// write_file_atomically, "name.p2re.partial-PID" of the embedding writer).
bool is_entry(const fs::directory_entry& e, const CacheKind& kind) {
  const std::string name = e.path().filename().string();
  std::error_code ec;
  return e.is_regular_file(ec) && name[0] != '.' && e.path().extension() == kind.extension;
}

// Process id of a temporary file's writer, from its name ("x.p2re.partial-PID",
// ".x.tmpPID_N.p2rs"); 0 for a name of neither form.
long writer_pid(const std::string& name) {
  std::string digits;
  if (const auto at = name.rfind(".partial-"); at != std::string::npos) digits = name.substr(at + 9);
  else if (const auto tmp = name.find(".tmp"); name[0] == '.' && tmp != std::string::npos)
    digits = name.substr(tmp + 4, name.find('_', tmp) - tmp - 4);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stol(digits);
}

// Removes temporary files whose writer is gone (killed before it could clean up).
void remove_orphaned_temporaries(const fs::path& folder) {
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const long pid = writer_pid(it->path().filename().string());
    std::error_code rm_ec;
    if (pid > 0 && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH) fs::remove(it->path(), rm_ec);
  }
}

struct Entry {
  fs::file_time_type used;
  uint64_t bytes;
  std::string path;
};

std::vector<Entry> list_entries(const std::string& root) {
  std::vector<Entry> entries;
  for (const CacheKind& kind : kKinds) {
    remove_orphaned_temporaries(fs::path(root) / kind.folder);
    std::error_code ec;
    for (fs::directory_iterator it(fs::path(root) / kind.folder, ec), end; !ec && it != end; it.increment(ec)) {
      if (!is_entry(*it, kind)) continue;
      std::error_code stat_ec;
      const auto used = it->last_write_time(stat_ec);
      const auto bytes = it->file_size(stat_ec);
      if (!stat_ec) entries.push_back({used, uint64_t(bytes), it->path().string()});
    }
  }
  return entries;
}

// True the first time this process finds a kind's folder unusable with this message.
bool first_report(const CacheKind& kind, const std::string& message) {
  static std::mutex mutex;
  static std::set<std::string> reported;
  std::lock_guard<std::mutex> lock(mutex);
  return reported.insert(std::string(kind.folder) + "\n" + message).second;
}

}  // namespace

std::string user_cache_root() {
  if (const std::string dir = env("P2R_CACHE_DIR"); !dir.empty()) return dir;
  if (const std::string xdg = env("XDG_CACHE_HOME"); !xdg.empty()) return (fs::path(xdg) / "pix2rep").string();
  const std::string home = env("HOME");
  return (fs::path(home.empty() ? "/tmp" : home) / ".cache" / "pix2rep").string();
}

uint64_t user_cache_cap() {
  const std::string text = env("P2R_CACHE_MAX_GB");
  if (text.empty()) return 20'000'000'000ull;
  char* end = nullptr;
  const double gb = std::strtod(text.c_str(), &end);
  P2R_CHECK(end != text.c_str() && *end == 0 && gb > 0 && gb < 1e9,
            "P2R_CACHE_MAX_GB='" << text << "' is not a positive number of gigabytes (e.g. 20 or 0.5)");
  return uint64_t(gb * 1e9);
}

CacheFolder open_cache_folder(const CacheKind& kind, const std::string& root) {
  const fs::path folder = fs::path(root) / kind.folder;
  std::error_code ec;
  fs::create_directories(folder, ec);
  CacheFolder result;
  if (!ec && fs::is_directory(folder, ec) && ::access(folder.c_str(), W_OK | X_OK) == 0) {
    result.path = folder.string();
    return result;
  }
  // Name the highest folder that exists but refuses writing (the root, typically), so one unusable
  // root gives one message for every kind.
  fs::path blocked = folder;
  while (!fs::exists(blocked, ec) && blocked.has_parent_path() && blocked != blocked.parent_path())
    blocked = blocked.parent_path();
  const std::string message = "cache folder " + blocked.string() + " is not writable; working without a cache";
  if (first_report(kind, message)) result.warning = message;
  return result;
}

std::string cache_entry_path(const std::string& folder, const CacheKind& kind, const std::string& key) {
  return (fs::path(folder) / (key + kind.extension)).string();
}

UserCacheEntry user_cache_entry(const CacheKind& kind, const std::string& key, const CacheNotice& notice) {
  UserCacheEntry entry;
  entry.root = user_cache_root();
  entry.cap = user_cache_cap();
  const CacheFolder folder = open_cache_folder(kind, entry.root);
  if (!folder.warning.empty() && notice) notice(folder.warning);
  if (!folder.path.empty()) entry.path = cache_entry_path(folder.path, kind, key);
  return entry;
}

void trim_user_cache(const UserCacheEntry& entry, const CacheNotice& notice) {
  const std::vector<std::string> removed = evict_least_recently_used(entry.root, entry.cap, entry.path);
  if (!removed.empty() && notice)
    notice("cache " + entry.root + " was over its " + byte_size_text(entry.cap) + " cap: removed " +
           std::to_string(removed.size()) + " least recently used entr" + (removed.size() == 1 ? "y" : "ies"));
}

void touch_cache_entry(const std::string& path) {
  std::error_code ec;
  fs::last_write_time(path, fs::file_time_type::clock::now(), ec);
}

uint64_t cache_size(const std::string& root) {
  uint64_t total = 0;
  for (const Entry& e : list_entries(root)) total += e.bytes;
  return total;
}

std::vector<std::string> evict_least_recently_used(const std::string& root, uint64_t max_bytes,
                                                   const std::string& keep) {
  std::vector<Entry> entries = list_entries(root);
  uint64_t total = 0;
  for (const Entry& e : entries) total += e.bytes;
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.used < b.used; });
  std::error_code ec;
  const fs::path kept = keep.empty() ? fs::path() : fs::weakly_canonical(keep, ec);
  std::vector<std::string> removed;
  for (const Entry& e : entries) {
    if (total <= max_bytes) break;
    if (!kept.empty() && fs::weakly_canonical(e.path, ec) == kept) continue;
    if (fs::remove(e.path, ec) && !ec) {
      total -= e.bytes;
      removed.push_back(e.path);
    }
  }
  return removed;
}

std::string byte_size_text(uint64_t bytes) {
  char text[32];
  if (bytes >= 1'000'000'000ull)
    std::snprintf(text, sizeof(text), "%.1f GB", double(bytes) / 1e9);
  else
    std::snprintf(text, sizeof(text), "%.0f MB", double(bytes) / 1e6);
  return text;
}

}  // namespace p2r
