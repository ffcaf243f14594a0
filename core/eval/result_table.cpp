#include "core/eval/result_table.h"

#include <cstdio>
#include <sstream>

#include "core/common/error.h"

namespace p2r {

namespace {

std::string format_cell(const std::optional<MeanStd>& cell, int digits, bool with_std, const char* pm) {
  if (!cell) return "-";
  char buf[64];
  if (with_std && cell->count > 1)
    std::snprintf(buf, sizeof buf, "%.*f %s %.*f", digits, cell->mean, pm, digits, cell->std);
  else
    std::snprintf(buf, sizeof buf, "%.*f", digits, cell->mean);
  return buf;
}

std::string latex_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': case '%': case '$': case '#': case '_': case '{': case '}': out += '\\'; out += ch; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '\\': out += "\\textbackslash{}"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string markdown_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|') out += '\\';
    out += ch;
  }
  return out;
}

// Whether row r is the first of its group (tables with groups only).
bool starts_group(const ResultTable& t, size_t r) {
  return r < t.row_groups.size() && (r == 0 || t.row_groups[r] != t.row_groups[r - 1]);
}

}  // namespace

ResultTable::ResultTable(std::string t, std::vector<std::string> rows, std::vector<std::string> columns)
    : title(std::move(t)), row_names(std::move(rows)), column_names(std::move(columns)) {
  cells.assign(row_names.size(), std::vector<std::optional<MeanStd>>(column_names.size()));
}

int ResultTable::best_row(int c) const {
  int best = -1;
  for (int r = 0; r < int(row_names.size()); ++r) {
    if (!cells[r][c]) continue;
    if (best < 0 || (higher_is_better ? cells[r][c]->mean > cells[best][c]->mean : cells[r][c]->mean < cells[best][c]->mean))
      best = r;
  }
  return best;
}

std::string table_to_csv(const ResultTable& t) {
  std::ostringstream os;
  os << "row,column,mean,std,count\n";
  for (size_t r = 0; r < t.row_names.size(); ++r)
    for (size_t c = 0; c < t.column_names.size(); ++c)
      if (t.cells[r][c]) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "%.6f,%.6f,%d", t.cells[r][c]->mean, t.cells[r][c]->std, t.cells[r][c]->count);
        os << '"' << t.row_names[r] << "\",\"" << t.column_names[c] << "\"," << buf << "\n";
      }
  return os.str();
}

std::string table_to_markdown(const ResultTable& t) {
  std::ostringstream os;
  if (!t.title.empty()) os << "**" << markdown_escape(t.title) << "**\n\n";
  os << "| " << markdown_escape(t.corner) << " |";
  for (const auto& c : t.column_names) os << " " << markdown_escape(c) << " |";
  os << "\n|---|";
  for (size_t c = 0; c < t.column_names.size(); ++c) os << "---|";
  os << "\n";
  for (size_t r = 0; r < t.row_names.size(); ++r) {
    if (starts_group(t, r)) {
      os << "| *" << markdown_escape(t.row_groups[r]) << "* |";
      for (size_t c = 0; c < t.column_names.size(); ++c) os << " |";
      os << "\n";
    }
    os << "| " << markdown_escape(t.row_names[r]) << " |";
    for (size_t c = 0; c < t.column_names.size(); ++c) {
      std::string cell = format_cell(t.cells[r][c], t.digits, true, "±");
      bool best = t.best_row(int(c)) == int(r);
      os << " " << (best ? "**" + cell + "**" : cell) << " |";
    }
    os << "\n";
  }
  return os.str();
}

std::string table_to_latex(const ResultTable& t) {
  std::ostringstream os;
  os << "\\begin{table}[t]\n\\centering\n";
  if (!t.title.empty()) os << "\\caption{" << latex_escape(t.title) << "}\n";
  os << "\\begin{tabular}{l" << std::string(t.column_names.size(), 'c') << "}\n\\toprule\n" << latex_escape(t.corner);
  for (const auto& c : t.column_names) os << " & " << latex_escape(c);
  os << " \\\\\n\\midrule\n";
  for (size_t r = 0; r < t.row_names.size(); ++r) {
    if (starts_group(t, r))
      os << (r > 0 ? "\\midrule\n" : "") << "\\multicolumn{" << t.column_names.size() + 1 << "}{l}{\\textit{"
         << latex_escape(t.row_groups[r]) << "}} \\\\\n";
    os << latex_escape(t.row_names[r]);
    for (size_t c = 0; c < t.column_names.size(); ++c) {
      std::string cell = format_cell(t.cells[r][c], t.digits, true, "$\\pm$");
      bool best = t.best_row(int(c)) == int(r);
      os << " & " << (best ? "\\textbf{" + cell + "}" : cell);
    }
    os << " \\\\\n";
  }
  os << "\\bottomrule\n\\end{tabular}\n\\end{table}\n";
  return os.str();
}

}  // namespace p2r
