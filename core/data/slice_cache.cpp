#include "core/data/slice_cache.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/error.h"

namespace p2r {

namespace {

constexpr char kMagic[8] = {'P', '2', 'R', 'S', 'L', 'I', 'C', 'E'};
constexpr char kEndMagic[8] = {'P', '2', 'R', 'S', 'E', 'N', 'D', '\0'};

// Fast 64-bit checksum over 8-byte words (multiply-rotate mixing); detects truncation and bit rot.
uint64_t checksum(uint64_t h, const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  size_t words = n / 8;
  for (size_t i = 0; i < words; ++i) {
    uint64_t w;
    std::memcpy(&w, p + 8 * i, 8);
    h ^= w * 0x9E3779B97F4A7C15ull;
    h = (h << 31 | h >> 33) * 0xBF58476D1CE4E5B9ull;
  }
  for (size_t i = words * 8; i < n; ++i) h = (h ^ p[i]) * 0x100000001B3ull;
  return h;
}

nlohmann::json to_json(const NiftiSpatialHeader& h) {
  return {{"qform_code", h.qform_code}, {"sform_code", h.sform_code}, {"qfac", h.qfac},
          {"pixdim", h.pixdim},         {"quatern", h.quatern},       {"qoffset", h.qoffset},
          {"srow", h.srow},             {"units", h.spatial_units}};
}

NiftiSpatialHeader nifti_header_from(const nlohmann::json& j) {
  NiftiSpatialHeader h;
  h.qform_code = j.at("qform_code");
  h.sform_code = j.at("sform_code");
  h.qfac = j.at("qfac");
  h.pixdim = j.at("pixdim");
  h.quatern = j.at("quatern");
  h.qoffset = j.at("qoffset");
  h.srow = j.at("srow");
  h.spatial_units = j.at("units");
  return h;
}

nlohmann::json to_json(const SliceSet& set) {
  using nlohmann::json;
  json volumes = json::array();
  for (const auto& v : set.volumes) {
    volumes.push_back({{"subject", v.subject}, {"group", v.group}, {"split", v.split}, {"frame", v.frame},
                       {"phase", phase_name(v.phase)}, {"image_path", v.image_path}, {"label_path", v.label_path},
                       {"size", v.geometry.size}, {"spacing", v.geometry.spacing}, {"origin", v.geometry.origin},
                       {"direction", v.geometry.direction},
                       {"crop", {v.crop.x0, v.crop.y0, v.crop.width, v.crop.height}},
                       {"crop_source", v.crop_source},
                       {"intensity", {v.intensity_low, v.intensity_high}}, {"has_label", v.has_label},
                       {"first_slice", v.first_slice}, {"slice_count", v.slice_count}});
    if (v.geometry.nifti) volumes.back()["nifti"] = to_json(*v.geometry.nifti);
  }
  json zs = json::array();
  for (const auto& s : set.slices) zs.push_back(s.z);
  const auto& c = set.config;
  return {{"format", "pix2rep-slices"},
          {"size", set.size},
          {"source_root", set.source_root},
          {"config",
           {{"crop", crop_mode_name(c.crop)}, {"fov_mm", c.fov_mm}, {"margin_voxels", c.margin_voxels},
            {"motion_margin_mm", c.motion_margin_mm}, {"motion_min_side_mm", c.motion_min_side_mm},
            {"size", c.size}, {"percentile_low", c.percentile_low}, {"percentile_high", c.percentile_high}}},
          {"volumes", volumes},
          {"slice_z", zs}};
}

Phase phase_from(const std::string& s) { return s == "ED" ? Phase::ED : s == "ES" ? Phase::ES : Phase::Unknown; }

void from_json(const nlohmann::json& j, SliceSet& set) {
  set.size = j.at("size");
  set.source_root = j.at("source_root");
  const auto& c = j.at("config");
  set.config.crop = parse_crop_mode(c.at("crop"));
  set.config.fov_mm = c.at("fov_mm");
  set.config.margin_voxels = c.at("margin_voxels");
  set.config.motion_margin_mm = c.value("motion_margin_mm", set.config.motion_margin_mm);  // absent before motion crops
  set.config.motion_min_side_mm = c.value("motion_min_side_mm", set.config.motion_min_side_mm);
  set.config.size = c.at("size");
  set.config.percentile_low = c.at("percentile_low");
  set.config.percentile_high = c.at("percentile_high");
  for (const auto& jv : j.at("volumes")) {
    VolumeRecord v;
    v.subject = jv.at("subject");
    v.group = jv.at("group");
    v.split = jv.at("split");
    v.frame = jv.at("frame");
    v.phase = phase_from(jv.at("phase"));
    v.image_path = jv.at("image_path");
    v.label_path = jv.at("label_path");
    v.geometry.size = jv.at("size");
    v.geometry.spacing = jv.at("spacing");
    v.geometry.origin = jv.at("origin");
    v.geometry.direction = jv.at("direction");
    if (jv.contains("nifti")) v.geometry.nifti = nifti_header_from(jv.at("nifti"));  // absent before issue 13
    auto crop = jv.at("crop");
    v.crop = {crop.at(0), crop.at(1), crop.at(2), crop.at(3)};
    v.crop_source = jv.value("crop_source", std::string(crop_mode_name(set.config.crop)));
    v.intensity_low = jv.at("intensity").at(0);
    v.intensity_high = jv.at("intensity").at(1);
    v.has_label = jv.at("has_label");
    v.first_slice = jv.at("first_slice");
    v.slice_count = jv.at("slice_count");
    for (int s = 0; s < v.slice_count; ++s) set.slices.push_back({int(set.volumes.size()), 0});
    set.volumes.push_back(std::move(v));
  }
  const auto& zs = j.at("slice_z");
  P2R_CHECK(zs.size() == set.slices.size(), "slice list disagrees with the volumes");
  for (size_t i = 0; i < zs.size(); ++i) set.slices[i].z = zs[i];
}

template <class T>
void write_pod(std::ofstream& out, const T& value) {
  out.write(reinterpret_cast<const char*>(&value), sizeof(T));
}

}  // namespace

void save_slice_set(const std::string& path, const SliceSet& set) {
  set.validate();
  const std::string header = to_json(set).dump();
  write_file_atomically(path, [&](const std::string& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    P2R_CHECK(out.good(), "cannot write '" << path << "'");
    out.write(kMagic, 8);
    write_pod(out, uint32_t(kSliceCacheVersion));
    write_pod(out, uint32_t(0));
    write_pod(out, uint64_t(header.size()));
    out.write(header.data(), std::streamsize(header.size()));
    write_pod(out, uint64_t(set.images.size()));
    out.write(reinterpret_cast<const char*>(set.images.data()), std::streamsize(set.images.size() * sizeof(float)));
    write_pod(out, uint64_t(set.labels.size()));
    out.write(reinterpret_cast<const char*>(set.labels.data()), std::streamsize(set.labels.size()));
    uint64_t h = checksum(0, header.data(), header.size());
    h = checksum(h, set.images.data(), set.images.size() * sizeof(float));
    h = checksum(h, set.labels.data(), set.labels.size());
    write_pod(out, h);
    out.write(kEndMagic, 8);
    out.flush();
    P2R_CHECK(out.good(), "cannot write '" << path << "': write failed (disk full?)");
  });
}

SliceSet load_slice_set(const std::string& path) {
  P2R_CHECK(std::filesystem::is_regular_file(path), path << ": prepared file does not exist");
  std::ifstream in(path, std::ios::binary);
  P2R_CHECK(in.good(), path << ": cannot open prepared file");
  const uint64_t file_size = std::filesystem::file_size(path);
  auto read = [&](void* dst, uint64_t n, const char* what) {
    in.read(static_cast<char*>(dst), std::streamsize(n));
    P2R_CHECK(uint64_t(in.gcount()) == n, path << ": truncated prepared file (ends inside the " << what << ")");
  };
  char magic[8] = {};
  in.read(magic, 8);
  P2R_CHECK(in.gcount() == 8 && std::memcmp(magic, kMagic, 8) == 0, path << ": not a pix2rep prepared file (wrong signature)");
  uint32_t version = 0, flags = 0;
  read(&version, 4, "version");
  read(&flags, 4, "flags");
  P2R_CHECK(version == kSliceCacheVersion, path << ": prepared file version " << version << ", this build reads version "
                                                << kSliceCacheVersion << "; run 'pix2rep prepare' again");
  uint64_t header_len = 0;
  read(&header_len, 8, "header");
  P2R_CHECK(header_len < file_size, path << ": truncated prepared file (header length " << header_len << ")");
  std::string header(header_len, '\0');
  read(header.data(), header_len, "header");
  SliceSet set;
  try {
    from_json(nlohmann::json::parse(header), set);
  } catch (const nlohmann::json::exception& e) {
    P2R_FAIL(path << ": corrupt prepared file header: " << e.what());
  }
  const uint64_t plane = uint64_t(set.size) * set.size, n = set.slices.size();
  uint64_t n_images = 0, n_labels = 0;
  read(&n_images, 8, "image block");
  P2R_CHECK(n_images == n * plane, path << ": corrupt prepared file (image block size " << n_images << ")");
  P2R_CHECK(n_images * 4 <= file_size, path << ": truncated prepared file (image block)");
  set.images.resize(n_images);
  read(set.images.data(), n_images * sizeof(float), "image block");
  read(&n_labels, 8, "label block");
  P2R_CHECK(n_labels == n * plane, path << ": corrupt prepared file (label block size " << n_labels << ")");
  set.labels.resize(n_labels);
  read(set.labels.data(), n_labels, "label block");
  uint64_t stored = 0;
  read(&stored, 8, "checksum");
  char end[8];
  read(end, 8, "end marker");
  P2R_CHECK(std::memcmp(end, kEndMagic, 8) == 0, path << ": corrupt prepared file (bad end marker)");
  uint64_t h = checksum(0, header.data(), header.size());
  h = checksum(h, set.images.data(), set.images.size() * sizeof(float));
  h = checksum(h, set.labels.data(), set.labels.size());
  P2R_CHECK(h == stored, path << ": corrupt prepared file (checksum mismatch)");
  set.validate();
  return set;
}

}  // namespace p2r
