#pragma once
// The label-efficiency plot (Pix2Rep paper, Fig. 3): Dice against the number of labelled subjects,
// one curve per method, mean +- std over runs as error bars, logarithmic x axis.
#include <string>
#include <vector>

#include "viz/figure/figure.h"
#include "viz/figure/figure_axes.h"
#include "viz/figure/figure_legend.h"
#include "viz/figure/figure_plots.h"
#include "viz/figure/figure_rect.h"

namespace p2r::viz {

/// One method: Dice mean and std at each number of labelled subjects (ascending).
struct DiceCurve {
  std::string method;
  std::vector<int> n_labelled;
  std::vector<double> mean, std;
};

/// Everything the plot shows.
struct DiceFigureData {
  std::vector<DiceCurve> curves;
  std::string y_label = "Mean Dice (LV, RV, MYO)";
  std::string x_label = "labelled subjects |Xtr|";
  ColumnWidth column = ColumnWidth::Single;
};

/// Where the plot's parts lie on the page (mm).
struct DiceLayout {
  double width_mm = 0, height_mm = 0;
  Axes axes;                        ///< the plot area and its data ranges
  AxisTicks x_ticks;                ///< one per number of labelled subjects
  std::vector<LineSeries> series;   ///< one per curve, in order
  std::vector<LegendEntry> legend;  ///< one per curve, in order
  FigureRect legend_box;            ///< clear of every series (free_corner), else right of or below the axes
};

/// Lays the plot out (Okabe-Ito colours and distinct markers per method; pix2rep-v2 methods
/// dashed); the legend goes to a corner of the plot area that no curve, marker or error bar meets,
/// else to the right of the plot area (below it when the legend is wider than a third of the page).
/// Throws p2r::Error when there is no point, sizes disagree or a count is < 1.
DiceLayout layout_dice_figure(const DiceFigureData& data);

/// Draws layout_dice_figure(data). Throws as it does.
Figure make_dice_figure(const DiceFigureData& data);

}  // namespace p2r::viz
