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

// The cine holds every frame of the cycle; its ED and ES frames are the ED and ES images, which do
// not change when the cine is asked for; frames between them differ from both.
TEST(Phantom, CineRunsThroughTheCycle) {
  const PhantomSubject plain = generate_phantom_subject(3, 4), s = generate_phantom_subject(3, 4, true);
  EXPECT_TRUE(plain.cine.empty());
  ASSERT_EQ(int(s.cine.size()), s.nb_frames);
  EXPECT_EQ(s.frames[0].image.voxels, plain.frames[0].image.voxels);
  EXPECT_EQ(s.frames[1].image.voxels, plain.frames[1].image.voxels);
  const int es = s.frames[1].frame;
  EXPECT_EQ(s.cine[0].voxels, s.frames[0].image.voxels);
  EXPECT_EQ(s.cine[size_t(es - 1)].voxels, s.frames[1].image.voxels);
  const Volume& mid = s.cine[size_t(es / 2)];
  EXPECT_EQ(mid.geometry.size, s.frames[0].image.geometry.size);
  EXPECT_NE(mid.voxels, s.frames[0].image.voxels);
  EXPECT_NE(mid.voxels, s.frames[1].image.voxels);
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
