#pragma once
// The methods of the few-shot benchmark, in the rows and groups of the paper's Table 1: how each
// is trained (segmentation mode, Mean Teacher or not) and which pretrained backbone it starts
// from. The one list the benchmark, its tables, the figures and the studio read. No Torch.
#include <string>
#include <utility>
#include <vector>

#include "core/train/pretrain_recipe.h"
#include "core/train/segment_config.h"

namespace p2r {

/// A kind of pretrained backbone a benchmark method starts from.
struct BackboneKind {
  std::string name;                      ///< e.g. "pix2rep-no-rot-rev"; also the folder pretrain-NAME
  std::string method;                    ///< pretraining method (parse_method), e.g. "pix2rep"
  std::vector<RecipeOverride> overrides; ///< applied after the benchmark's own recipe overrides
  std::string title;                     ///< what it is, for messages
};

/// One row of the benchmark.
struct BenchmarkMethod {
  std::string name;      ///< --methods name, e.g. "pix2rep-mean-teacher"
  std::string label;     ///< the paper's row label, e.g. "Pix2Rep + Mean Teacher"
  std::string group;     ///< "Fully supervised", "Semi-supervised", "Self-supervised" or "Combined"
  SegmentMode mode;      ///< supervised, probe or finetune
  bool mean_teacher;     ///< adds the Mean Teacher consistency loss on the unlabelled pool
  std::string backbone;  ///< BackboneKind name; "" for methods that start from random weights
  /// > 0: the backbone's learning rate instead of the mode's default (SimCLR, Chaitanya: their
  /// decoder starts random, so they fine-tune at the supervised baseline's 1e-3, not Pix2Rep's 5e-5)
  double lr_backbone = 0;
};

/// Every method in the paper's row order (Table 1, plus this tool's Pix2Rep-v2 rows).
const std::vector<BenchmarkMethod>& benchmark_methods();
/// The method of that name; throws p2r::Error listing the valid names otherwise.
const BenchmarkMethod& benchmark_method(const std::string& name);
/// Comma-separated names of every method, in row order (help texts and messages).
std::string benchmark_method_list();
/// Position of a method in the row order; methods not in the list come after, in name order.
int benchmark_method_rank(const std::string& name);

/// Every backbone kind the methods use.
const std::vector<BackboneKind>& backbone_kinds();
/// The kind of that name; throws p2r::Error listing the kinds otherwise.
const BackboneKind& backbone_kind(const std::string& name);
/// Throws p2r::Error naming both kinds when the pretrained run in run_dir (its config.json) is not
/// of kind (another method, or a Pix2Rep run with rotation or reversal given as pix2rep-no-rot-rev).
void check_backbone_kind(const std::string& run_dir, const BackboneKind& kind);

}  // namespace p2r
