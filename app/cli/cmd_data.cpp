// Data subcommands: phantom (write the synthetic dataset), prepare (slices to a prepared file), info.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/data/slice_cache.h"
#include "core/io/dataset_layout.h"
#ifdef PIX2REP_HAS_ITK
#include "core/data/dataset_preparer.h"
#include "core/data/phantom_writer.h"
#include "core/io/nifti.h"
#endif

namespace fs = std::filesystem;

namespace p2r::cli {

namespace {

void print_slice_set_info(const std::string& path, const SliceSet& set) {
  std::map<std::string, int> per_group;
  int labelled = 0;
  int64_t counts[kNumClasses] = {0, 0, 0, 0};
  for (const auto& v : set.volumes) {
    per_group[v.group.empty() ? "-" : v.group]++;
    labelled += v.has_label;
  }
  for (uint8_t l : set.labels) counts[l]++;
  std::printf("prepared file %s\n  source: %s\n  crop: %s%s (fov %.0f mm), size %dx%d, percentiles %.1f/%.1f\n",
              path.c_str(), set.source_root.c_str(), crop_mode_name(set.config.crop),
              set.config.crop == CropMode::PaperRoi ? ", around the labels" : "", set.config.fov_mm, set.size,
              set.size, set.config.percentile_low, set.config.percentile_high);
  std::printf("  subjects %zu, volumes %zu (%d labelled), slices %d\n", set.subject_ids().size(), set.volumes.size(),
              labelled, set.slice_count());
  std::printf("  groups:");
  for (const auto& [g, n] : per_group) std::printf(" %s=%d", g.c_str(), n);
  std::printf("\n  label pixels:");
  for (int c = 0; c < kNumClasses; ++c) std::printf(" %s=%lld", class_names()[c], (long long)counts[c]);
  std::printf("\n");
  for (const auto& v : set.volumes)  // volumes whose crop is not the file's mode (motion fallbacks)
    if (!v.crop_source.empty() && v.crop_source != crop_mode_name(set.config.crop))
      std::printf("  %s %s: crop %s\n", v.subject.c_str(), phase_name(v.phase), v.crop_source.c_str());
}

#ifdef PIX2REP_HAS_ITK
void print_dataset_info(const Dataset& ds, bool read_volumes) {
  std::printf("dataset %s (%s layout)\n  subjects %zu, frames %d (%d labelled)\n", ds.root.c_str(),
              ds.layout == Layout::Acdc ? "acdc" : "folder", ds.subjects.size(), ds.frame_count(),
              ds.labelled_frame_count());
  TerminalProgress progress;
  if (!read_volumes) return;
  int64_t slices = 0;
  for (const auto& s : ds.subjects) {
    for (const auto& f : s.frames) {
      Volume v = read_nifti(f.image_path);
      slices += v.geometry.size[2];
      std::printf("  %-12s %-5s frame %02d %-2s %s", s.id.c_str(), s.group.c_str(), f.frame, phase_name(f.phase),
                  v.geometry.describe().c_str());
      if (f.has_label()) {
        LabelVolume l = read_nifti_labels(f.label_path);
        P2R_CHECK(l.geometry.size == v.geometry.size, f.label_path << ": label file has shape " << l.geometry.describe()
                                                                     << " but image has " << v.geometry.describe());
        int64_t counts[kNumClasses] = {0, 0, 0, 0};
        for (uint8_t x : l.voxels) counts[x]++;
        std::printf("  labels RV=%lld MYO=%lld LV=%lld", (long long)counts[1], (long long)counts[2], (long long)counts[3]);
      }
      std::printf("\n");
    }
  }
  std::printf("  slices %lld\n", (long long)slices);
}
#endif

}  // namespace

void add_data_commands(CLI::App& app) {
#ifdef PIX2REP_HAS_ITK
  {
    auto* cmd = app.add_subcommand("phantom", "write the synthetic cardiac phantom as an ACDC-layout dataset");
    auto out = std::make_shared<std::string>();
    auto subjects = std::make_shared<int>(10);
    auto seed = std::make_shared<uint64_t>(1);
    cmd->add_option("--out", *out, "output folder (training/patientNNN/ is written inside)")->required();
    cmd->add_option("--subjects", *subjects, "number of subjects")->check(CLI::Range(1, 10000));
    cmd->add_option("--seed", *seed, "random seed (same seed, same data)");
    auto cine = std::make_shared<bool>(false);
    cmd->add_flag("--cine", *cine,
                  "also write each subject's whole cardiac cycle as a 4D cine file patientNNN_4d.nii.gz (as ACDC has)");
    cmd->callback([=] {
      fs::create_directories(*out);
      TerminalProgress progress;
      write_phantom_dataset(*out, *subjects, *seed, progress, *cine);
      std::printf("wrote %d phantom subjects to %s\n", *subjects, out->c_str());
    });
  }
  {
    auto* cmd = app.add_subcommand("prepare", "normalise, crop and resize every slice into one prepared file");
    struct Args {
      std::string data, out, layout = "auto", split = "all", crop = "center";
      PrepareConfig config;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("--data", a->data, "dataset folder (ACDC layout or a folder of NIfTI files)")->required();
    cmd->add_option("--out", a->out, "prepared file to write (e.g. acdc.p2rs)")->required();
    cmd->add_option("--layout", a->layout, "acdc, folder or auto")->check(CLI::IsMember({"acdc", "folder", "auto"}));
    cmd->add_option("--split", a->split, "ACDC split: training, testing or all")
        ->check(CLI::IsMember({"training", "testing", "all"}));
    cmd->add_option("--crop", a->crop,
                    "center (label-free, default), motion (label-free: around the heart moving between a "
                    "subject's frames) or paper-roi (paper reproduction: crops around the labels)")
        ->check(CLI::IsMember({"center", "motion", "paper-roi"}));
    cmd->add_option("--fov", a->config.fov_mm, "center crop field of view in mm (motion: largest side)");
    cmd->add_option("--motion-margin", a->config.motion_margin_mm, "motion crop margin around the moving region, mm");
    cmd->add_option("--motion-min-side", a->config.motion_min_side_mm, "motion crop smallest side, mm");
    cmd->add_option("--margin", a->config.margin_voxels, "paper-roi margin in voxels");
    cmd->add_option("--size", a->config.size, "output slice size in pixels");
    cmd->add_option("--percentiles", [a](const CLI::results_t& r) {
      P2R_CHECK(r.size() == 2, "--percentiles takes two values");
      a->config.percentile_low = std::stod(r[0]);
      a->config.percentile_high = std::stod(r[1]);
      return true;
    }, "intensity percentiles mapped to 0 and 1 (default 1 99)")->expected(2);
    cmd->callback([a] {
      a->config.crop = parse_crop_mode(a->crop);
      a->config.validate();
      if (a->config.crop == CropMode::PaperRoi)
        std::printf("note: --crop paper-roi crops every volume around its ground-truth labels (+%d voxels): the "
                    "prepared slices depend on the labels (paper reproduction only; --crop center uses none)\n",
                    a->config.margin_voxels);
      auto t0 = std::chrono::steady_clock::now();
      Dataset ds = scan_dataset(a->data, parse_layout(a->layout), parse_split(a->split));
      TerminalProgress progress;
      PrepareReport report;
      SliceSet set = prepare_dataset(ds, a->config, progress, &report);
      save_slice_set(a->out, set);
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::printf("prepared %d slices from %d volumes (%d labelled) of %zu subjects in %.1f s -> %s\n", report.slices,
                  report.volumes, report.labelled_volumes, ds.subjects.size(), seconds, a->out.c_str());
      if (a->config.crop == CropMode::PaperRoi)
        std::printf("paper-roi: the crop was chosen from the ground-truth labels (paper reproduction only)\n");
      for (const auto& s : report.motion_fallbacks) std::printf("  motion crop fell back to the centre crop: %s\n", s.c_str());
      if (report.labelled_volumes > 0) {
        std::printf("%s crop keeps every labelled voxel in %d of %d labelled volumes (%.1f%%); heart pixels %.1f%% "
                    "of the prepared labelled slices\n",
                    crop_mode_name(a->config.crop), report.labelled_volumes_fully_inside, report.labelled_volumes,
                    100.0 * report.labelled_volumes_fully_inside / report.labelled_volumes,
                    100.0 * report.heart_pixels / std::max<int64_t>(1, report.labelled_pixels));
        for (const auto& s : report.cropped_subjects) std::printf("  cut: %s\n", s.c_str());
      }
    });
  }
#endif
  {
    auto* cmd = app.add_subcommand("info", "describe a dataset folder, a NIfTI file or a prepared file");
    auto path = std::make_shared<std::string>();
    auto quick = std::make_shared<bool>(false);
    cmd->add_option("path", *path, "dataset folder, .nii/.nii.gz file or prepared file")->required();
    cmd->add_flag("--quick", *quick, "list subjects and frames without reading voxels");
    cmd->callback([=] {
      P2R_CHECK(fs::exists(*path), *path << ": does not exist");
      if (fs::is_regular_file(*path)) {
        std::string p = *path;
        bool nifti = p.size() > 4 && (p.compare(p.size() - 4, 4, ".nii") == 0 ||
                                      (p.size() > 7 && p.compare(p.size() - 7, 7, ".nii.gz") == 0));
        if (!nifti) {
          print_slice_set_info(p, load_slice_set(p));
          return;
        }
#ifdef PIX2REP_HAS_ITK
        Volume v = read_nifti(p);
        float lo = v.voxels[0], hi = v.voxels[0];
        for (float x : v.voxels) lo = std::min(lo, x), hi = std::max(hi, x);
        std::printf("%s: %s, origin (%g, %g, %g), intensity %g..%g\n", p.c_str(), v.geometry.describe().c_str(),
                    v.geometry.origin[0], v.geometry.origin[1], v.geometry.origin[2], lo, hi);
        return;
#else
        P2R_FAIL(p << ": reading NIfTI needs a build with ITK (PIX2REP_WITH_ITK)");
#endif
      }
#ifdef PIX2REP_HAS_ITK
      print_dataset_info(scan_dataset(*path), !*quick);
#else
      Dataset ds = scan_dataset(*path);
      std::printf("dataset %s: %zu subjects, %d frames (%d labelled)\n", ds.root.c_str(), ds.subjects.size(),
                  ds.frame_count(), ds.labelled_frame_count());
#endif
    });
  }
}

}  // namespace p2r::cli
