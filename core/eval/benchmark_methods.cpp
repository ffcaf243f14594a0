#include "core/eval/benchmark_methods.h"

#include <filesystem>

#include "core/common/error.h"
#include "core/model/run_folder.h"
#include "core/train/pretrain_config.h"

namespace p2r {

namespace {
// The supervised baseline's learning rate (segment_defaults(Supervised)), for backbones whose
// decoder was never trained.
constexpr double kRandomDecoderLr = 1e-3;
}  // namespace

const std::vector<BenchmarkMethod>& benchmark_methods() {
  static const std::vector<BenchmarkMethod> methods{
      {"supervised", "U-Net baseline", "Fully supervised", SegmentMode::Supervised, false, ""},
      {"mean-teacher", "Mean Teacher", "Semi-supervised", SegmentMode::Supervised, true, ""},
      {"simclr-finetune", "SimCLR pretraining (encoder)", "Self-supervised", SegmentMode::Finetune, false, "simclr",
       kRandomDecoderLr},
      {"chaitanya-finetune", "Chaitanya et al. (global + local)", "Self-supervised", SegmentMode::Finetune, false,
       "chaitanya", kRandomDecoderLr},
      {"pix2rep-no-rot-rev-finetune", "Pix2Rep w/o rotation and reversal", "Self-supervised", SegmentMode::Finetune,
       false, "pix2rep-no-rot-rev"},
      {"pix2rep-probe", "Pix2Rep probe", "Self-supervised", SegmentMode::Probe, false, "pix2rep"},
      {"pix2rep-finetune", "Pix2Rep fine-tune", "Self-supervised", SegmentMode::Finetune, false, "pix2rep"},
      {"pix2rep-v2-probe", "Pix2Rep-v2 probe", "Self-supervised", SegmentMode::Probe, false, "pix2rep-v2"},
      {"pix2rep-v2-finetune", "Pix2Rep-v2 fine-tune", "Self-supervised", SegmentMode::Finetune, false, "pix2rep-v2"},
      {"pix2rep-mean-teacher", "Pix2Rep + Mean Teacher", "Combined", SegmentMode::Finetune, true, "pix2rep"},
      {"pix2rep-v2-mean-teacher", "Pix2Rep-v2 + Mean Teacher", "Combined", SegmentMode::Finetune, true,
       "pix2rep-v2"},
  };
  return methods;
}

std::string benchmark_method_list() {
  std::string out;
  for (const BenchmarkMethod& m : benchmark_methods()) out += (out.empty() ? "" : ", ") + m.name;
  return out;
}

const BenchmarkMethod& benchmark_method(const std::string& name) {
  for (const BenchmarkMethod& m : benchmark_methods())
    if (m.name == name) return m;
  P2R_FAIL("unknown method '" << name << "' (expected one of " << benchmark_method_list() << ")");
}

int benchmark_method_rank(const std::string& name) {
  const auto& all = benchmark_methods();
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i].name == name) return int(i);
  return int(all.size());
}

const std::vector<BackboneKind>& backbone_kinds() {
  static const std::vector<BackboneKind> kinds{
      {"pix2rep", "pix2rep", {}, "a Pix2Rep run"},
      {"pix2rep-v2", "pix2rep-v2", {}, "a Pix2Rep-v2 run"},
      {"pix2rep-no-rot-rev", "pix2rep", {{"rotation", "off"}, {"reversal", "off"}},
       "a Pix2Rep run without rotation and intensity reversal"},
      {"simclr", "simclr", {}, "a SimCLR encoder run"},
      {"chaitanya", "chaitanya", {}, "a Chaitanya et al. global + local run"},
  };
  return kinds;
}

const BackboneKind& backbone_kind(const std::string& name) {
  std::string names;
  for (const BackboneKind& k : backbone_kinds()) {
    if (k.name == name) return k;
    names += (names.empty() ? "" : ", ") + k.name;
  }
  P2R_FAIL("unknown backbone kind '" << name << "' (expected one of " << names << ")");
}

void check_backbone_kind(const std::string& run_dir, const BackboneKind& kind) {
  const std::string path = config_path(run_dir);
  P2R_CHECK(std::filesystem::exists(path), run_dir << ": not a pretraining run folder (no config.json); "
                                                   << kind.name << " needs " << kind.title);
  // The method as recorded, and the augmentations that tell the ablation apart.
  const PretrainConfig run = load_pretrain_config(path, PretrainConfig());
  const std::string method = method_name(run.method);
  P2R_CHECK(method == kind.method, path << ": this is a " << method << " run, but " << kind.name << " needs "
                                        << kind.title << " (method " << kind.method << ")");
  PretrainConfig expected = run;
  apply_recipe_overrides(expected, kind.overrides);
  P2R_CHECK(expected.augment.rotation_deg == run.augment.rotation_deg &&
                expected.augment.p_reversal == run.augment.p_reversal,
            path << ": this run pretrained with rotation +-" << run.augment.rotation_deg << " deg and reversal p "
                 << run.augment.p_reversal << ", but " << kind.name << " needs " << kind.title);
}

}  // namespace p2r
