#pragma once
// The label-efficiency plot (Pix2Rep paper, Fig. 3): Dice against the number of labelled subjects,
// one curve per method, mean +- std over runs as error bars, logarithmic x axis.
#include <string>
#include <vector>

#include "viz/figure/figure.h"

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

/// Builds the plot (Okabe-Ito colours and distinct markers per method; pix2rep-v2 methods dashed).
/// Throws p2r::Error when there is no point, sizes disagree or a count is < 1.
Figure make_dice_figure(const DiceFigureData& data);

}  // namespace p2r::viz
