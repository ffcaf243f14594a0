#pragma once
// The kinds of `pix2rep figure KIND`: their options (all text, so that a sidecar can record and
// replay them exactly) and the function that computes each kind's figure or tables.
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "viz/figure/figure.h"

namespace p2r::figures {

/// Option name (without "--") -> value, as given on the command line or recorded in a sidecar.
using FigureArgs = std::map<std::string, std::string>;

/// One option of a kind; default_value "" with required=false means "not given".
struct FigureOption {
  std::string name, help, default_value;
  bool required = false;
};

/// What a kind computed: a figure (or, for tables, file extension -> text) and its provenance
/// (paths with content hashes, subjects, query coordinates). Provenance must be deterministic.
struct FigureProduct {
  std::optional<viz::Figure> figure;
  std::vector<std::pair<std::string, std::string>> texts;
  nlohmann::ordered_json provenance;
};

/// A figure kind: name, help, options and the computation (throws p2r::Error on bad input;
/// writes nothing).
struct FigureKind {
  std::string name, help;
  std::vector<FigureOption> options;
  std::function<FigureProduct(const FigureArgs&)> make;
};

/// Kinds computed from embeddings and backbones: similarity, equivariance (always), embedding (with FAISS).
std::vector<FigureKind> analysis_figure_kinds();
/// The equivariance kind (figure_equivariance_kind.cpp).
FigureKind equivariance_figure_kind();
/// Kinds computed from results: segmentation, dice, table.
std::vector<FigureKind> result_figure_kinds();

/// Value of an option of args; throws p2r::Error naming it when missing.
const std::string& figure_arg(const FigureArgs& args, const std::string& name);
/// Integer / real value of an option; throws p2r::Error naming the option for non-numbers.
int figure_int(const FigureArgs& args, const std::string& name);
double figure_real(const FigureArgs& args, const std::string& name);
/// {"path": absolute path, "hash": hash_hex(hash_file(path))}; throws p2r::Error when unreadable.
nlohmann::ordered_json file_record(const std::string& path);

}  // namespace p2r::figures
