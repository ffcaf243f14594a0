#include "core/eval/dice.h"

#include <cmath>

#include "core/common/error.h"

namespace p2r {

double DiceScores::mean_foreground() const { return (dice[1] + dice[2] + dice[3]) / 3.0; }

double DiceScores::mean_all() const { return (dice[0] + dice[1] + dice[2] + dice[3]) / 4.0; }

DiceScores dice_scores(const uint8_t* prediction, const uint8_t* truth, int64_t count) {
  std::array<int64_t, kNumClasses> pred{}, gt{}, both{};
  for (int64_t i = 0; i < count; ++i) {
    const uint8_t p = prediction[i], t = truth[i];
    P2R_CHECK(p < kNumClasses && t < kNumClasses, "label value " << int(p < kNumClasses ? t : p)
                                                                 << " outside the classes 0..3 at voxel " << i);
    pred[p]++;
    gt[t]++;
    both[p] += p == t;
  }
  DiceScores s;
  for (int c = 0; c < kNumClasses; ++c) {
    s.absent[c] = pred[c] == 0 && gt[c] == 0;
    s.dice[c] = s.absent[c] ? 1.0 : 2.0 * double(both[c]) / double(pred[c] + gt[c]);
  }
  return s;
}

DiceScores dice_scores(const std::vector<uint8_t>& prediction, const std::vector<uint8_t>& truth) {
  P2R_CHECK(prediction.size() == truth.size(), "prediction has " << prediction.size() << " voxels but the truth has "
                                                                 << truth.size());
  return dice_scores(prediction.data(), truth.data(), int64_t(truth.size()));
}

MeanStd mean_std(const std::vector<double>& values) {
  P2R_CHECK(!values.empty(), "cannot summarise an empty list of values");
  MeanStd m;
  m.count = int(values.size());
  for (double v : values) m.mean += v;
  m.mean /= m.count;
  if (m.count > 1) {
    double ss = 0;
    for (double v : values) ss += (v - m.mean) * (v - m.mean);
    m.std = std::sqrt(ss / (m.count - 1));
  }
  return m;
}

DiceSummary summarise_dice(const std::vector<DiceScores>& scores) {
  P2R_CHECK(!scores.empty(), "no Dice scores to summarise");
  DiceSummary out;
  for (int c = 0; c < kNumClasses; ++c) {
    std::vector<double> v;
    for (const auto& s : scores) v.push_back(s.dice[c]);
    out.per_class[c] = mean_std(v);
  }
  std::vector<double> fg, all;
  for (const auto& s : scores) {
    fg.push_back(s.mean_foreground());
    all.push_back(s.mean_all());
  }
  out.mean_foreground = mean_std(fg);
  out.mean_all = mean_std(all);
  return out;
}

}  // namespace p2r
