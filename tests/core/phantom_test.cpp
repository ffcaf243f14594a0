#include <gtest/gtest.h>

#include <cmath>

#include "core/data/phantom.h"

namespace p2r {
namespace {

TEST(Phantom, DeterministicBySeed) {
  PhantomSubject a = generate_phantom_subject(5, 2), b = generate_phantom_subject(5, 2);
  PhantomSubject c = generate_phantom_subject(6, 2);
  EXPECT_EQ(a.frames[0].image.voxels, b.frames[0].image.voxels);
  EXPECT_EQ(a.frames[1].labels.voxels, b.frames[1].labels.voxels);
  EXPECT_NE(a.frames[0].image.voxels, c.frames[0].image.voxels);
}

TEST(Phantom, HasAllStructuresAndEsIsSmallerThanEd) {
  for (int index = 1; index <= 5; ++index) {
    PhantomSubject s = generate_phantom_subject(1, index);
    ASSERT_EQ(s.frames.size(), 2u);
    EXPECT_EQ(s.frames[0].phase, Phase::ED);
    EXPECT_EQ(s.frames[1].phase, Phase::ES);
    int64_t count[2][4] = {};
    for (int f = 0; f < 2; ++f)
      for (uint8_t l : s.frames[f].labels.voxels) count[f][l]++;
    for (int c = 1; c < 4; ++c) EXPECT_GT(count[0][c], 500) << s.group << " class " << c;
    EXPECT_LT(count[1][3], count[0][3]) << s.group << ": LV cavity must shrink at ES";
  }
}

TEST(Phantom, BloodIsBrighterThanMyocardium) {
  PhantomSubject s = generate_phantom_subject(3, 4);
  double sum[4] = {}, n[4] = {};
  for (size_t i = 0; i < s.frames[0].labels.voxels.size(); ++i) {
    sum[s.frames[0].labels.voxels[i]] += s.frames[0].image.voxels[i];
    n[s.frames[0].labels.voxels[i]]++;
  }
  EXPECT_GT(sum[3] / n[3], 1.5 * sum[2] / n[2]);
  EXPECT_GT(sum[1] / n[1], 1.5 * sum[2] / n[2]);
}

TEST(Phantom, SliceSetIsConsistent) {
  SliceSet set = make_phantom_slice_set(5, 1);
  set.validate();
  EXPECT_EQ(set.volumes.size(), 10u);
  EXPECT_EQ(set.subject_ids().size(), 5u);
  EXPECT_EQ(set.size, 128);
  for (int i = 0; i < set.slice_count(); ++i) EXPECT_TRUE(set.has_label(i));
}

}  // namespace
}  // namespace p2r
