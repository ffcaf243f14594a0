#include "core/analysis/embedding_store.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "core/analysis/half_float.h"
#include "core/common/atomic_file.h"
#include "core/common/content_hash.h"
#include "core/common/error.h"

namespace fs = std::filesystem;

namespace p2r {
namespace {

constexpr char kMagic[8] = {'P', '2', 'R', 'E', 'M', 'B', 'E', 'D'};
constexpr uint64_t kHeaderBytes = 4096;

// Fixed-layout file header; the rest of the first 4096 bytes is zero.
struct FileHeader {
  char magic[8];
  uint32_t version, header_bytes;
  uint64_t checkpoint_hash, data_hash;
  int32_t slices, dim, height, width;
  uint64_t record_bytes, payload_checksum;
  uint64_t header_hash;  // hash of all fields above
};

uint64_t header_hash(const FileHeader& h) { return hash_bytes(&h, offsetof(FileHeader, header_hash), 7); }

// One slice on disk / in memory: norms [H*W] float, then unit vectors [D, H*W] half, padded to 64 B.
uint64_t record_bytes(int d, int h, int w) {
  const uint64_t p = uint64_t(h) * w;
  const uint64_t raw = p * 4 + uint64_t(d) * p * 2;
  return (raw + 63) / 64 * 64;
}

// Normalises raw [D, P] into the record layout (norms then unit halves).
void encode_slice(const float* dhw, int d, int64_t p, uint8_t* record) {
  auto* norms = reinterpret_cast<float*>(record);
  auto* unit = reinterpret_cast<uint16_t*>(record + p * 4);
  std::vector<double> sq(size_t(p), 0.0);
  for (int c = 0; c < d; ++c)
    for (int64_t i = 0; i < p; ++i) sq[i] += double(dhw[c * p + i]) * dhw[c * p + i];
  std::vector<float> inv(static_cast<size_t>(p));
  for (int64_t i = 0; i < p; ++i) {
    norms[i] = float(std::sqrt(sq[i]));
    inv[i] = norms[i] > 0 ? float(1.0 / std::sqrt(sq[i])) : 0.f;
  }
  for (int c = 0; c < d; ++c)
    for (int64_t i = 0; i < p; ++i) unit[c * p + i] = float_to_half(dhw[c * p + i] * inv[i]);
}

}  // namespace

bool EmbeddingKey::operator==(const EmbeddingKey& o) const {
  return checkpoint_hash == o.checkpoint_hash && data_hash == o.data_hash && slices == o.slices && dim == o.dim &&
         height == o.height && width == o.width;
}

std::string EmbeddingKey::describe() const {
  std::ostringstream os;
  os << "checkpoint " << hash_hex(checkpoint_hash) << ", data " << hash_hex(data_hash) << ", " << slices
     << " slices x " << dim << " features x " << height << " x " << width;
  return os.str();
}

struct EmbeddingStore::Impl {
  EmbeddingKey key;
  std::string path;
  uint64_t record = 0;
  const uint8_t* records = nullptr;
  std::vector<uint8_t> memory;  // in-memory storage
  void* map = nullptr;          // or a read-only mapping of the whole file
  size_t map_bytes = 0;
  ~Impl() {
    if (map) munmap(map, map_bytes);
  }
};

EmbeddingStore::EmbeddingStore() : m_impl(std::make_shared<Impl>()) {}
EmbeddingStore::EmbeddingStore(std::shared_ptr<const Impl> impl) : m_impl(std::move(impl)) {}

int EmbeddingStore::slice_count() const { return m_impl->key.slices; }
int EmbeddingStore::dim() const { return m_impl->key.dim; }
int EmbeddingStore::height() const { return m_impl->key.height; }
int EmbeddingStore::width() const { return m_impl->key.width; }
const EmbeddingKey& EmbeddingStore::key() const { return m_impl->key; }
const std::string& EmbeddingStore::path() const { return m_impl->path; }

const float* EmbeddingStore::norms(int s) const {
  return reinterpret_cast<const float*>(m_impl->records + uint64_t(s) * m_impl->record);
}
const uint16_t* EmbeddingStore::unit_half(int s) const {
  return reinterpret_cast<const uint16_t*>(m_impl->records + uint64_t(s) * m_impl->record + pixels_per_slice() * 4);
}

void EmbeddingStore::check_slice(int s) const {
  P2R_CHECK(s >= 0 && s < slice_count(),
            "slice " << s << " is out of range: the embeddings hold slices 0.." << slice_count() - 1);
}

void EmbeddingStore::check_pixel(const PixelRef& p) const {
  check_slice(p.slice);
  P2R_CHECK(p.x >= 0 && p.x < width() && p.y >= 0 && p.y < height(),
            "pixel (" << p.x << ", " << p.y << ") is outside the " << width() << " x " << height()
                      << " image (x in 0.." << width() - 1 << ", y in 0.." << height() - 1 << ")");
}

void EmbeddingStore::pixel(const PixelRef& p, float* out, bool unit) const {
  check_pixel(p);
  const int64_t np = pixels_per_slice(), i = int64_t(p.y) * width() + p.x;
  const uint16_t* u = unit_half(p.slice);
  const float scale = unit ? 1.f : norms(p.slice)[i];
  for (int c = 0; c < dim(); ++c) out[c] = half_to_float(u[c * np + i]) * scale;
}

void EmbeddingStore::slice_floats(int s, float* out) const {
  check_slice(s);
  const int64_t np = pixels_per_slice();
  const uint16_t* u = unit_half(s);
  const float* n = norms(s);
  for (int c = 0; c < dim(); ++c)
    for (int64_t i = 0; i < np; ++i) out[c * np + i] = half_to_float(u[c * np + i]) * n[i];
}

EmbeddingStore EmbeddingStore::from_floats(const float* data, int n, int d, int h, int w, const EmbeddingKey& key) {
  EmbeddingKey k = key;
  k.slices = n, k.dim = d, k.height = h, k.width = w;
  EmbeddingStoreWriter writer("", k);
  const int64_t per = int64_t(d) * h * w;
  for (int s = 0; s < n; ++s) writer.add_slice(data + s * per);
  return writer.finish();
}

EmbeddingStore EmbeddingStore::open(const std::string& path, const EmbeddingKey* expected, bool verify_checksum) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  P2R_CHECK(fd >= 0, path << ": embedding cache does not exist or cannot be opened");
  struct stat st {};
  fstat(fd, &st);
  const uint64_t size = uint64_t(st.st_size);
  FileHeader h{};
  const bool header_read = size >= kHeaderBytes && ::pread(fd, &h, sizeof h, 0) == ssize_t(sizeof h);
  if (!header_read) ::close(fd);
  P2R_CHECK(header_read, path << ": not an embedding cache (file of " << size << " bytes, too short for a header)");
  const bool ok_magic = std::memcmp(h.magic, kMagic, 8) == 0;
  const bool ok_version = ok_magic && h.version == uint32_t(kEmbeddingCacheVersion);
  const bool ok_header = ok_version && h.header_hash == header_hash(h) && h.header_bytes == kHeaderBytes &&
                         h.slices > 0 && h.dim > 0 && h.height > 0 && h.width > 0 &&
                         h.record_bytes == record_bytes(h.dim, h.height, h.width);
  const uint64_t want = kHeaderBytes + uint64_t(h.slices) * h.record_bytes;
  if (!ok_header || size != want) ::close(fd);
  P2R_CHECK(ok_magic, path << ": not an embedding cache (bad magic)");
  P2R_CHECK(ok_version, path << ": embedding cache format version " << h.version << ", this build reads version "
                             << kEmbeddingCacheVersion << " (rebuild it)");
  P2R_CHECK(ok_header, path << ": embedding cache header is corrupt");
  P2R_CHECK(size == want, path << ": embedding cache is truncated or damaged (" << size << " bytes, expected "
                               << want << " for " << h.slices << " slices)");
  auto impl = std::make_shared<Impl>();
  impl->key = {h.checkpoint_hash, h.data_hash, h.slices, h.dim, h.height, h.width};
  if (expected && !(impl->key == *expected)) {
    ::close(fd);
    const bool other_ckpt = impl->key.checkpoint_hash != expected->checkpoint_hash;
    P2R_FAIL(path << ": embedding cache is stale: it was made " << (other_ckpt ? "by another checkpoint" : "for other data")
                  << " (cache: " << impl->key.describe() << "; wanted: " << expected->describe() << ")");
  }
  impl->path = path;
  impl->record = h.record_bytes;
  impl->map_bytes = size;
  impl->map = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  P2R_CHECK(impl->map != MAP_FAILED, path << ": cannot memory-map the embedding cache");
  impl->records = static_cast<const uint8_t*>(impl->map) + kHeaderBytes;
  if (verify_checksum) {
    uint64_t sum = 0;
    for (int s = 0; s < h.slices; ++s) sum = hash_bytes(impl->records + uint64_t(s) * h.record_bytes, h.record_bytes, sum);
    P2R_CHECK(sum == h.payload_checksum, path << ": embedding cache content is damaged (checksum mismatch)");
  }
  return EmbeddingStore(std::move(impl));
}

EmbeddingStoreWriter::EmbeddingStoreWriter(const std::string& path, const EmbeddingKey& key)
    : m_path(path), m_key(key) {
  P2R_CHECK(key.slices > 0 && key.dim > 0 && key.height > 0 && key.width > 0,
            "embedding store: sizes must be positive, got " << key.slices << " x " << key.dim << " x " << key.height
                                                            << " x " << key.width);
  const uint64_t rec = record_bytes(key.dim, key.height, key.width);
  m_record.assign(rec, 0);
  if (path.empty()) {
    m_memory.assign(rec * key.slices, 0);
    return;
  }
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) ensure_directory(parent.string());
  m_tmp = path + ".partial-" + std::to_string(::getpid());
  FILE* f = std::fopen(m_tmp.c_str(), "wb");
  P2R_CHECK(f, path << ": cannot write the embedding cache here (" << m_tmp << ")");
  m_file = f;
  std::vector<uint8_t> zeros(kHeaderBytes, 0);
  P2R_CHECK(std::fwrite(zeros.data(), 1, zeros.size(), f) == zeros.size(), m_tmp << ": write failed");
}

EmbeddingStoreWriter::~EmbeddingStoreWriter() {
  if (m_file) {
    std::fclose(static_cast<FILE*>(m_file));
    std::remove(m_tmp.c_str());
  }
}

void EmbeddingStoreWriter::add_slice(const float* dhw) {
  P2R_CHECK(m_added < m_key.slices, "embedding store: more slices added than the " << m_key.slices << " announced");
  const int64_t p = int64_t(m_key.height) * m_key.width;
  uint8_t* rec = m_file ? m_record.data() : m_memory.data() + uint64_t(m_added) * m_record.size();
  encode_slice(dhw, m_key.dim, p, rec);
  m_checksum = hash_bytes(rec, m_record.size(), m_checksum);
  if (m_file) {
    P2R_CHECK(std::fwrite(rec, 1, m_record.size(), static_cast<FILE*>(m_file)) == m_record.size(),
              m_path << ": write failed (disk full?)");
  }
  ++m_added;
}

EmbeddingStore EmbeddingStoreWriter::finish() {
  P2R_CHECK(m_added == m_key.slices, "embedding store: " << m_added << " of " << m_key.slices << " slices written");
  if (!m_file) {
    auto impl = std::make_shared<EmbeddingStore::Impl>();
    impl->key = m_key;
    impl->record = m_record.size();
    impl->memory = std::move(m_memory);
    impl->records = impl->memory.data();
    return EmbeddingStore(std::move(impl));
  }
  FileHeader h{};
  std::memcpy(h.magic, kMagic, 8);
  h.version = kEmbeddingCacheVersion;
  h.header_bytes = kHeaderBytes;
  h.checkpoint_hash = m_key.checkpoint_hash, h.data_hash = m_key.data_hash;
  h.slices = m_key.slices, h.dim = m_key.dim, h.height = m_key.height, h.width = m_key.width;
  h.record_bytes = m_record.size();
  h.payload_checksum = m_checksum;
  h.header_hash = header_hash(h);
  FILE* f = static_cast<FILE*>(m_file);
  const bool ok = std::fseek(f, 0, SEEK_SET) == 0 && std::fwrite(&h, sizeof h, 1, f) == 1 && std::fflush(f) == 0 &&
                  ::fsync(fileno(f)) == 0;
  std::fclose(f);
  m_file = nullptr;
  if (!ok) std::remove(m_tmp.c_str());
  P2R_CHECK(ok, m_path << ": writing the embedding cache failed (disk full?)");
  std::error_code ec;
  fs::rename(m_tmp, m_path, ec);
  if (ec) std::remove(m_tmp.c_str());
  P2R_CHECK(!ec, m_path << ": cannot move the finished embedding cache into place: " << ec.message());
  return EmbeddingStore::open(m_path, &m_key);
}

}  // namespace p2r
