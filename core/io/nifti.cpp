#include "core/io/nifti.h"

#include <itkImage.h>
#include <itkImageFileReader.h>
#include <itkImageFileWriter.h>
#include <itkImageIOBase.h>
#include <itkImageIOFactory.h>
#include <itkNiftiImageIO.h>
#include <itkNiftiImageIOFactory.h>

#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <mutex>
#include <optional>

#include "core/common/atomic_file.h"
#include "core/common/error.h"

namespace p2r {

namespace {

using FloatImage = itk::Image<float, 3>;

// ITK's NIfTI reader is not registered when only the component targets are linked (../shared/docs/PLATFORM.md, pitfall 3).
void register_nifti_io() {
  static std::once_flag once;
  std::call_once(once, [] { itk::NiftiImageIOFactory::RegisterOneFactory(); });
}

// gzip magic 1f 8b, or an uncompressed NIfTI-1/2 header (sizeof_hdr 348 or 540 at offset 0).
void check_file_kind(const std::string& path) {
  P2R_CHECK(std::filesystem::exists(path), path << ": file does not exist");
  std::ifstream in(path, std::ios::binary);
  unsigned char head[4] = {0, 0, 0, 0};
  in.read(reinterpret_cast<char*>(head), 4);
  P2R_CHECK(in.gcount() == 4, path << ": file is empty or too short to be NIfTI");
  bool gz = head[0] == 0x1f && head[1] == 0x8b;
  int32_t sizeof_hdr = int32_t(head[0]) | int32_t(head[1]) << 8 | int32_t(head[2]) << 16 | int32_t(head[3]) << 24;
  bool raw = sizeof_hdr == 348 || sizeof_hdr == 540 || (head[3] == 0x01 && head[2] == 0x5c);  // LE or BE 348
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0)
    P2R_CHECK(gz, path << ": not a gzip file although named .gz");
  else
    P2R_CHECK(gz || raw, path << ": not a NIfTI file (no NIfTI header)");
}

// Bits per voxel of a NIfTI-1 datatype code, 0 for codes this reader does not know.
int nifti_bits_per_voxel(int16_t datatype) {
  switch (datatype) {
    case 2: case 256: return 8;                     // uint8, int8
    case 4: case 512: return 16;                    // int16, uint16
    case 8: case 16: case 768: case 2304: return 32;  // int32, float32, uint32, RGBA32
    case 128: return 24;                            // RGB24
    case 32: case 64: case 1024: case 1280: return 64;  // complex64, float64, int64, uint64
    case 1536: case 1792: return 128;               // float128, complex128
    case 2048: return 256;                          // complex256
    default: return 0;
  }
}

// Whole file, gunzipped when it is gzip. Throws p2r::Error naming path for a truncated stream.
std::string read_decompressed(const std::string& path) {
  gzFile gz = gzopen(path.c_str(), "rb");
  P2R_CHECK(gz, path << ": cannot open");
  std::string data;
  char buf[1 << 16];
  int n;
  while ((n = gzread(gz, buf, sizeof buf)) > 0) data.append(buf, size_t(n));
  int err = 0;
  // gzerror's text belongs to the stream: copy it before gzclose frees it.
  const char* text = gzerror(gz, &err);
  std::string reason = err == Z_OK || !text || !*text ? "unexpected end of data" : std::string(text);
  if (reason.rfind(path + ": ", 0) == 0) reason.erase(0, path.size() + 2);  // zlib prefixes the path
  const bool eof = gzeof(gz);
  gzclose(gz);
  P2R_CHECK(n == 0 && eof && err == Z_OK, path << ": truncated or corrupt gzip stream (" << reason << ")");
  return data;
}

// What check_raw_and_repair found: a repaired temporary copy for ITK ("" when none is needed) and
// the spatial fields of the header as stored (little-endian NIfTI-1 only).
struct RawCheck {
  std::string repaired;
  std::optional<NiftiSpatialHeader> header;
};

// Checks the raw stored voxels for NaN/inf (ITK silently turns NaN into 0) and repairs one header
// quirk: some datasets (ACDC among them) store an sform whose columns are unit vectors while the
// voxel size lives only in pixdim, which ITK rejects as non-orthonormal. Returns, besides the
// header's spatial fields, the path of a temporary uncompressed copy with the sform columns scaled
// by pixdim (same directions and origin) when that repair is needed. Throws p2r::Error naming path.
RawCheck check_raw_and_repair(const std::string& path) {
  std::string data = read_decompressed(path);
  P2R_CHECK(data.size() >= 352, path << ": file too short for a NIfTI-1 header (" << data.size() << " bytes)");
  RawCheck result;
  NiftiSpatialHeader header;
  if (!parse_nifti1_spatial_header(data, header)) return result;  // big-endian or NIfTI-2: leave to ITK
  result.header = header;
  int16_t dim[8], datatype;
  float vox_offset;
  std::memcpy(dim, data.data() + 40, sizeof dim);
  std::memcpy(&datatype, data.data() + 70, 2);
  std::memcpy(&vox_offset, data.data() + 108, 4);

  // The voxel data the header announces must be in the file, before ITK allocates for it (a
  // corrupt header may announce terabytes). Sizes in double: 7 dims of 32767 overflow int64.
  double announced = 1;
  for (int d = 1; d <= std::clamp<int>(dim[0], 1, 7); ++d) announced *= std::max<int16_t>(dim[d], 1);
  const double offset = std::max(352.0, double(vox_offset));
  if (const int bits = nifti_bits_per_voxel(datatype); bits > 0) {
    const double bytes = offset + announced * bits / 8;
    P2R_CHECK(double(data.size()) >= bytes, path << ": truncated voxel data (" << data.size()
                                                 << " bytes, the header announces " << std::fixed
                                                 << std::setprecision(0) << bytes << ")");
  }
  const int64_t count = int64_t(announced);
  auto check_finite = [&](auto sample) {
    using T = decltype(sample);
    for (int64_t i = 0; i < count; ++i) {
      T x;
      std::memcpy(&x, data.data() + size_t(offset) + size_t(i) * sizeof(T), sizeof(T));
      if (!std::isfinite(x)) {
        int64_t nx = std::max<int16_t>(dim[1], 1), ny = std::max<int16_t>(dim[2], 1);
        P2R_FAIL(path << ": non-finite voxel value " << x << " at (" << i % nx << ", " << (i / nx) % ny << ", "
                      << i / (nx * ny) << ")");
      }
    }
  };
  if (datatype == 16) check_finite(float());
  if (datatype == 64) check_finite(double());

  if (header.sform_code <= 0) return result;
  bool consistent = true;
  float norms[3];
  const auto& srow = header.srow;
  for (int c = 0; c < 3; ++c) {
    norms[c] = std::sqrt(srow[c] * srow[c] + srow[4 + c] * srow[4 + c] + srow[8 + c] * srow[8 + c]);
    if (norms[c] <= 0 || header.pixdim[c] <= 0) return result;
    consistent &= std::fabs(norms[c] - header.pixdim[c]) <= 1e-4f * header.pixdim[c];
  }
  if (consistent) return result;
  NiftiSpatialHeader repaired = header;
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) repaired.srow[4 * r + c] *= header.pixdim[c] / norms[c];
  store_nifti1_spatial_header(repaired, data);
  static std::atomic<int> counter{0};
  std::string tmp = (std::filesystem::temp_directory_path() /
                     ("pix2rep_nifti_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".nii"))
                        .string();
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  out.write(data.data(), std::streamsize(data.size()));
  P2R_CHECK(out.good(), path << ": cannot write a repaired temporary copy to " << tmp);
  result.repaired = tmp;
  return result;
}

// Replaces the spatial fields of the NIfTI-1 file ITK wrote at file (gzip or plain, as its name
// says) by header. Throws p2r::Error naming target when the file is not a little-endian NIfTI-1.
void store_spatial_header(const std::string& file, const std::string& target, const NiftiSpatialHeader& header) {
  std::string data = read_decompressed(file);
  P2R_CHECK(store_nifti1_spatial_header(header, data),
            target << ": cannot carry the input's NIfTI header geometry (ITK did not write NIfTI-1)");
  const bool gz = file.size() > 3 && file.compare(file.size() - 3, 3, ".gz") == 0;
  gzFile out = gzopen(file.c_str(), gz ? "wb" : "wbT");  // T: plain, uncompressed output
  P2R_CHECK(out, target << ": cannot rewrite " << file);
  const bool written = gzwrite(out, data.data(), unsigned(data.size())) == int(data.size());
  P2R_CHECK(gzclose(out) == Z_OK && written, target << ": cannot write " << file << " (disk full?)");
}

// The spatial grid of a 3D image, or of each time point of a 4D one.
template <class Image>
Geometry geometry_of(const Image* image) {
  Geometry g;
  auto size = image->GetLargestPossibleRegion().GetSize();
  for (int i = 0; i < 3; ++i) {
    g.size[i] = int(size[i]);
    g.spacing[i] = image->GetSpacing()[i];
    g.origin[i] = image->GetOrigin()[i];
    for (int j = 0; j < 3; ++j) g.direction[i * 3 + j] = image->GetDirection()[i][j];
  }
  return g;
}

// An image on grid g; a 4D one (Dim 4) has time_points frames, 1 apart, on g.
template <class Pixel, unsigned Dim = 3>
typename itk::Image<Pixel, Dim>::Pointer make_image(const Geometry& g, size_t time_points = 1) {
  using Image = itk::Image<Pixel, Dim>;
  auto image = Image::New();
  typename Image::RegionType region;
  typename Image::SizeType size;
  typename Image::SpacingType spacing;
  typename Image::PointType origin;
  typename Image::DirectionType direction;
  direction.SetIdentity();
  for (unsigned i = 0; i < Dim; ++i) {
    const bool spatial = i < 3;
    size[i] = spatial ? size_t(g.size[i]) : time_points;
    spacing[i] = spatial ? g.spacing[i] : 1.0;
    origin[i] = spatial ? g.origin[i] : 0.0;
    for (unsigned j = 0; spatial && j < 3; ++j) direction[i][j] = g.direction[i * 3 + j];
  }
  region.SetSize(size);
  image->SetRegions(region);
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->SetDirection(direction);
  image->Allocate();
  return image;
}

// How scanners store MR intensities: rounded to int16.
int16_t int16_voxel(double value) { return int16_t(std::lround(std::clamp(value, -32768.0, 32767.0))); }

// Writes image (gzip by the .gz name) to path atomically, then header's spatial fields when given.
template <class Image>
void write_itk_image(const std::string& path, Image* image, const NiftiSpatialHeader* header) {
  write_file_atomically(path, [&](const std::string& tmp) {
    auto writer = itk::ImageFileWriter<Image>::New();
    writer->SetFileName(tmp);
    writer->SetInput(image);
    writer->SetUseCompression(true);
    try {
      writer->Update();
    } catch (const itk::ExceptionObject& e) {
      P2R_FAIL(path << ": cannot write NIfTI: " << e.GetDescription());
    }
    if (header) store_spatial_header(tmp, path, *header);
  });
}

template <class Pixel, class Source>
void write_image(const std::string& path, const Geometry& g, const std::vector<Source>& voxels) {
  register_nifti_io();
  P2R_CHECK(int64_t(voxels.size()) == g.voxel_count(),
            path << ": " << voxels.size() << " voxels do not match the geometry " << g.describe());
  auto image = make_image<Pixel>(g);
  Pixel* dst = image->GetBufferPointer();
  for (size_t i = 0; i < voxels.size(); ++i) {
    if constexpr (std::is_same_v<Pixel, int16_t>)
      dst[i] = int16_voxel(voxels[i]);
    else
      dst[i] = Pixel(voxels[i]);
  }
  write_itk_image(path, image.GetPointer(), g.nifti ? &*g.nifti : nullptr);
}

}  // namespace

namespace {

// A NIfTI file opened for reading: its header checked (and repaired where ITK would misread it).
struct OpenedNifti {
  RawCheck raw;
  std::string source;    // the file ITK reads: path, or its repaired copy
  unsigned dims = 0;
  size_t time_points = 1;
  OpenedNifti() = default;
  OpenedNifti(const OpenedNifti&) = delete;
  OpenedNifti& operator=(const OpenedNifti&) = delete;
  ~OpenedNifti() {
    if (!raw.repaired.empty()) std::remove(raw.repaired.c_str());
  }
};

void open_nifti(const std::string& path, OpenedNifti& f) {
  register_nifti_io();
  check_file_kind(path);
  f.raw = check_raw_and_repair(path);
  f.source = f.raw.repaired.empty() ? path : f.raw.repaired;
  itk::ImageIOBase::Pointer io =
      itk::ImageIOFactory::CreateImageIO(f.source.c_str(), itk::ImageIOFactory::IOFileModeEnum::ReadMode);
  P2R_CHECK(io, path << ": not a readable NIfTI file");
  try {
    io->SetFileName(f.source);
    io->ReadImageInformation();
  } catch (const itk::ExceptionObject& e) {
    P2R_FAIL(path << ": corrupt NIfTI header: " << e.GetDescription());
  }
  f.dims = io->GetNumberOfDimensions();
  P2R_CHECK(f.dims >= 2 && f.dims <= 4, path << ": " << f.dims << "-dimensional image; expected a 3D volume or 4D cine");
  if (f.dims == 4) f.time_points = io->GetDimensions(3);
  P2R_CHECK(io->GetNumberOfComponents() == 1, path << ": " << io->GetNumberOfComponents()
                                                    << "-component pixels (RGB or complex?); expected a scalar image");
}

template <class Image>
typename Image::Pointer read_voxels(const std::string& path, const std::string& source) {
  auto reader = itk::ImageFileReader<Image>::New();
  reader->SetFileName(source);
  try {
    reader->Update();
  } catch (const itk::ExceptionObject& e) {
    P2R_FAIL(path << ": cannot read voxels (truncated or corrupt file?): " << e.GetDescription());
  }
  return reader->GetOutput();
}

// The 3D volume of an opened file with one time point.
Volume read_volume(const std::string& path, const OpenedNifti& f) {
  auto image = read_voxels<FloatImage>(path, f.source);
  Volume v;
  v.geometry = geometry_of(image.GetPointer());
  v.geometry.nifti = f.raw.header;
  v.voxels.assign(image->GetBufferPointer(), image->GetBufferPointer() + v.geometry.voxel_count());
  return v;
}

}  // namespace

Volume read_nifti(const std::string& path) {
  OpenedNifti f;
  open_nifti(path, f);
  P2R_CHECK(f.time_points == 1, path << ": 4D image with " << f.time_points
                                     << " time points where a 3D volume is expected (prepare splits 4D cine files into frames)");
  return read_volume(path, f);
}

std::vector<Volume> read_nifti_frames(const std::string& path) {
  OpenedNifti f;
  open_nifti(path, f);
  if (f.time_points == 1) {
    std::vector<Volume> one;
    one.push_back(read_volume(path, f));
    return one;
  }
  using CineImage = itk::Image<float, 4>;
  auto image = read_voxels<CineImage>(path, f.source);
  Geometry g = geometry_of(image.GetPointer());
  const auto size = image->GetLargestPossibleRegion().GetSize();
  g.nifti = f.raw.header;
  const int64_t n = g.voxel_count();
  std::vector<Volume> frames(size[3]);
  for (size_t t = 0; t < size[3]; ++t) {
    frames[t].geometry = g;
    const float* src = image->GetBufferPointer() + int64_t(t) * n;
    frames[t].voxels.assign(src, src + n);  // finite: checked with the header
  }
  return frames;
}

LabelVolume read_nifti_labels(const std::string& path) {
  Volume v = read_nifti(path);
  LabelVolume l;
  l.geometry = v.geometry;
  l.voxels.resize(v.voxels.size());
  for (size_t i = 0; i < v.voxels.size(); ++i) {
    float x = v.voxels[i];
    P2R_CHECK(x == std::floor(x) && x >= 0 && x < kNumClasses,
              path << ": label value " << x << " outside the ACDC classes 0..3 (0 background, 1 RV, 2 MYO, 3 LV)");
    l.voxels[i] = uint8_t(x);
  }
  return l;
}

void write_nifti(const std::string& path, const Volume& volume) {
  write_image<float>(path, volume.geometry, volume.voxels);
}

void write_nifti(const std::string& path, const LabelVolume& labels) {
  write_image<uint8_t>(path, labels.geometry, labels.voxels);
}

void write_nifti_int16(const std::string& path, const Volume& volume) {
  write_image<int16_t>(path, volume.geometry, volume.voxels);
}

void write_nifti_cine_int16(const std::string& path, const std::vector<Volume>& frames) {
  register_nifti_io();
  P2R_CHECK(!frames.empty(), path << ": no frames to write");
  const Geometry& g = frames[0].geometry;
  auto image = make_image<int16_t, 4>(g, frames.size());
  int16_t* dst = image->GetBufferPointer();
  for (const Volume& f : frames) {
    P2R_CHECK(f.geometry.size == g.size && int64_t(f.voxels.size()) == g.voxel_count(),
              path << ": frames on different grids (" << f.geometry.describe() << " vs " << g.describe() << ")");
    for (float v : f.voxels) *dst++ = int16_voxel(v);
  }
  write_itk_image(path, image.GetPointer(), nullptr);
}

}  // namespace p2r
