#pragma once
// A table of mean +- std results (methods x settings), written as CSV, Markdown or LaTeX (booktabs)
// with the best value of each column marked, laid out like the Pix2Rep paper's Table 1.
#include <optional>
#include <string>
#include <vector>

#include "core/eval/dice.h"

namespace p2r {

/// rows x columns cells of mean +- std; empty cells print as "-".
struct ResultTable {
  std::string title;                      ///< caption
  std::string corner = "Method";          ///< header of the row-name column
  std::vector<std::string> row_names, column_names;
  /// Group of each row (empty: no groups); where it changes, the group's name heads the rows below.
  std::vector<std::string> row_groups;
  std::vector<std::vector<std::optional<MeanStd>>> cells;  ///< [row][column]
  bool higher_is_better = true;
  int digits = 3;

  /// Creates an empty table of the given shape.
  ResultTable(std::string title, std::vector<std::string> rows, std::vector<std::string> columns);
  /// Row index of the largest (or smallest) mean in column c, -1 when the column is empty.
  int best_row(int c) const;
};

/// CSV: one line per cell (row, column, mean, std, count).
std::string table_to_csv(const ResultTable& table);
/// GitHub Markdown; the best cell of each column in bold.
std::string table_to_markdown(const ResultTable& table);
/// LaTeX table with booktabs rules (needs \usepackage{booktabs}); best cell in \textbf; text escaped.
std::string table_to_latex(const ResultTable& table);

}  // namespace p2r
