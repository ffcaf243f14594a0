#pragma once
// The user's cache: one folder shared by the CLI, the studio and figure exports, whose entries are
// files named by content keys (embeddings/, prepared/), used least-recently first evicted under a
// size cap.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace p2r {

/// A kind of cache entry: its subfolder of the cache root and its file extension.
struct CacheKind {
  const char* folder;
  const char* extension;
};
/// Embeddings of a prepared set under a pretraining run (.p2re files).
constexpr CacheKind kEmbeddingEntries{"embeddings", ".p2re"};
/// Dataset folders prepared for the studio and the CLI (.p2rs files).
constexpr CacheKind kPreparedEntries{"prepared", ".p2rs"};

/// The cache root: $P2R_CACHE_DIR, else $XDG_CACHE_HOME/pix2rep, else $HOME/.cache/pix2rep.
std::string user_cache_root();

/// The size cap of the cache's entries in bytes: $P2R_CACHE_MAX_GB (decimal gigabytes, fractions
/// allowed) or 20 GB. Throws p2r::Error naming the variable when it is not a positive number.
uint64_t user_cache_cap();

/// A kind's folder of a cache, ready for writing, or why there is none.
struct CacheFolder {
  std::string path;     ///< root/kind.folder; "" when it cannot be written
  std::string warning;  ///< "cache folder X is not writable; working without a cache" (else "")
};

/// Creates root/kind.folder when missing and checks that files can be written there. The warning
/// of an unusable folder is given once per process and kind (later calls return it empty).
/// Thread-safe.
CacheFolder open_cache_folder(const CacheKind& kind, const std::string& root = user_cache_root());

/// The entry of key (hex digits) in folder: folder/key + kind.extension.
std::string cache_entry_path(const std::string& folder, const CacheKind& kind, const std::string& key);

/// Receives what the user should be told about the cache (one line, no newline).
using CacheNotice = std::function<void(const std::string& message)>;

/// An entry of the user's cache about to be read or written.
struct UserCacheEntry {
  std::string root;  ///< user_cache_root()
  std::string path;  ///< the entry's file; "" when the cache folder cannot be written
  uint64_t cap = 0;  ///< user_cache_cap()
};

/// The entry of key in kind's folder of the user's cache. An unwritable folder gives path "" and
/// (once per process) its warning to notice, which may be empty. Throws p2r::Error for a bad
/// $P2R_CACHE_MAX_GB, before any work.
UserCacheEntry user_cache_entry(const CacheKind& kind, const std::string& key, const CacheNotice& notice);

/// After entry was written: evicts least recently used entries while the cache exceeds its cap
/// (never entry itself) and tells notice how many were removed, if any.
void trim_user_cache(const UserCacheEntry& entry, const CacheNotice& notice);

/// Marks the entry at path as used now (sets its modification time), so eviction takes it last.
/// A missing or read-only entry is left as it is.
void touch_cache_entry(const std::string& path);

/// Total bytes of the entries of every kind under root. Like every listing of the entries, it
/// removes temporary files left by writers that no longer run (killed mid-write).
uint64_t cache_size(const std::string& root);

/// Removes the least recently used entries of every kind under root (oldest modification time
/// first) until their total size is at most max_bytes; keep is never removed (the entry just
/// written or about to be used). Temporary files of writes in progress are not entries. Returns
/// the removed paths in removal order. On Linux a removed entry that a process has mapped stays
/// readable by it until unmapped.
std::vector<std::string> evict_least_recently_used(const std::string& root, uint64_t max_bytes,
                                                   const std::string& keep = "");

/// "4.1 GB", "512 MB" (decimal units).
std::string byte_size_text(uint64_t bytes);

}  // namespace p2r
