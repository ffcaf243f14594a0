#include "viz/png_write.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <vector>

#ifdef PIX2REP_HAS_ZLIB
#include <zlib.h>
#endif

#include "core/common/atomic_file.h"
#include "core/common/error.h"

namespace p2r::viz {
namespace {

uint32_t crc32(const uint8_t* p, size_t n, uint32_t crc = 0) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (size_t i = 0; i < n; ++i) crc = table[(crc ^ p[i]) & 0xffu] ^ (crc >> 8);
  return ~crc;
}

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(uint8_t(v >> s));
}

void put_chunk(std::vector<uint8_t>& out, const char* type, const std::vector<uint8_t>& data) {
  put_u32(out, uint32_t(data.size()));
  const size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  put_u32(out, crc32(out.data() + start, out.size() - start));
}

}  // namespace

void write_png(const std::string& path, const uint8_t* pixels, int width, int height, int channels) {
  P2R_CHECK(width > 0 && height > 0 && (channels == 1 || channels == 3 || channels == 4),
            path << ": cannot write a " << width << "x" << height << "x" << channels << " PNG");
  // Raw scanlines, each prefixed by filter type 0.
  const size_t row = size_t(width) * channels;
  std::vector<uint8_t> raw;
  raw.reserve((row + 1) * height);
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);
    raw.insert(raw.end(), pixels + y * row, pixels + (y + 1) * row);
  }
#ifdef PIX2REP_HAS_ZLIB
  // Deflated (screenshots and figures are mostly flat: 10-40x smaller than stored).
  uLongf packed = compressBound(uLong(raw.size()));
  std::vector<uint8_t> z(packed);
  P2R_CHECK(compress2(z.data(), &packed, raw.data(), uLong(raw.size()), 6) == Z_OK,
            path << ": PNG compression failed");
  z.resize(packed);
#else
  // Without zlib: a zlib stream of stored deflate blocks (<= 65535 bytes each) + Adler-32.
  std::vector<uint8_t> z = {0x78, 0x01};
  for (size_t pos = 0; pos < raw.size() || raw.empty(); ) {
    const size_t n = std::min<size_t>(65535, raw.size() - pos);
    const bool last = pos + n == raw.size();
    z.push_back(last ? 1 : 0);
    z.push_back(uint8_t(n & 0xff)), z.push_back(uint8_t(n >> 8));
    z.push_back(uint8_t(~n & 0xff)), z.push_back(uint8_t((~n >> 8) & 0xff));
    z.insert(z.end(), raw.begin() + pos, raw.begin() + pos + n);
    pos += n;
    if (last) break;
  }
  uint32_t a = 1, b = 0;
  for (uint8_t v : raw) a = (a + v) % 65521u, b = (b + a) % 65521u;
  put_u32(z, (b << 16) | a);
#endif

  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<uint8_t> ihdr;
  put_u32(ihdr, uint32_t(width));
  put_u32(ihdr, uint32_t(height));
  const uint8_t colour_type = channels == 1 ? 0 : channels == 3 ? 2 : 6;
  ihdr.insert(ihdr.end(), {8, colour_type, 0, 0, 0});
  put_chunk(png, "IHDR", ihdr);
  put_chunk(png, "IDAT", z);
  put_chunk(png, "IEND", {});
  write_file_atomically(path, [&](const std::string& tmp) {
    std::ofstream f(tmp, std::ios::binary);
    f.write(reinterpret_cast<const char*>(png.data()), std::streamsize(png.size()));
    P2R_CHECK(f, tmp << ": write failed");
  });
}

void write_png(const std::string& path, const RgbaImage& image) {
  P2R_CHECK(!image.empty() && image.pixels.size() == size_t(image.width) * image.height * 4,
            "cannot write " << path << ": image is empty or inconsistent (" << image.width << "x"
                            << image.height << ")");
  write_png(path, image.pixels.data(), image.width, image.height, 4);
}

}  // namespace p2r::viz
