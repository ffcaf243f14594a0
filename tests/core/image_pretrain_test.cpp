// SimCLR and Chaitanya et al. pretraining: the losses against naive loops, the global positives by
// partition, the local regions' pairs, short phantom runs, loading into a segmentation net, resume.
#include <cmath>
#include <filesystem>
#include <numeric>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/model/checkpoint.h"
#include "core/model/segmentation_net.h"
#include "core/train/image_pretrain_step.h"
#include "core/train/losses.h"
#include "core/train/pretrain_recipe.h"
#include "core/train/pretrainer.h"
#include "core/train/slice_partitions.h"
#include "tests/core/pretrain_fixtures.h"

namespace p2r {
namespace fs = std::filesystem;
namespace {

// NT-Xent over the 2N rows [a; b] with scalar loops in double: row i's positive is its other view.
double naive_nt_xent(const torch::Tensor& a, const torch::Tensor& b, double tau) {
  const torch::Tensor z = torch::cat({a, b}).to(torch::kDouble);
  const int64_t r = z.size(0), n = r / 2;
  auto cosine = [&](int64_t i, int64_t j) {
    double dot = 0, ni = 0, nj = 0;
    for (int64_t d = 0; d < z.size(1); ++d) {
      const double x = z[i][d].item<double>(), y = z[j][d].item<double>();
      dot += x * y, ni += x * x, nj += y * y;
    }
    return dot / std::sqrt(ni * nj);
  };
  double total = 0;
  for (int64_t i = 0; i < r; ++i) {
    const int64_t pos = i < n ? i + n : i - n;
    double denom = 0;
    for (int64_t j = 0; j < r; ++j)
      if (j != i) denom += std::exp(cosine(i, j) / tau);
    total -= std::log(std::exp(cosine(i, pos) / tau) / denom);
  }
  return total / double(r);
}

// Chaitanya et al.'s global loss with scalar loops: for every ordered pair (i, j) of one group,
// -log(e^s_ij / (e^s_ij + sum over other groups k of e^s_ik)), mean over the pairs.
double naive_group_loss(const torch::Tensor& z, const std::vector<int64_t>& groups, double tau) {
  const torch::Tensor zn = torch::nn::functional::normalize(z.to(torch::kDouble),
                                                            torch::nn::functional::NormalizeFuncOptions().dim(1));
  const int64_t r = z.size(0);
  auto s = [&](int64_t i, int64_t j) { return (zn[i] * zn[j]).sum().item<double>() / tau; };
  double total = 0;
  int pairs = 0;
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < r; ++j) {
      if (i == j || groups[size_t(i)] != groups[size_t(j)]) continue;
      double negatives = 0;
      for (int64_t k = 0; k < r; ++k)
        if (groups[size_t(k)] != groups[size_t(i)]) negatives += std::exp(s(i, k));
      total -= std::log(std::exp(s(i, j)) / (std::exp(s(i, j)) + negatives));
      ++pairs;
    }
  return total / pairs;
}

TEST(ImagePretrain, NtXentMatchesANaiveDoubleLoop) {
  torch::manual_seed(11);
  const torch::Tensor a = torch::randn({6, 5}), b = torch::randn({6, 5});
  const double naive = naive_nt_xent(a, b, 0.1);
  EXPECT_NEAR(info_nce_loss(a, b, 0.1).item<double>(), naive, 1e-5);  // what simclr_loss computes
  // The grouped loss with the two views of each sample as the only group is the same NT-Xent.
  const torch::Tensor pairs = torch::arange(6, torch::kLong).repeat({2});
  EXPECT_NEAR(group_contrastive_loss(torch::cat({a, b}), pairs, 0.1).item<double>(), naive, 1e-5);
}

TEST(ImagePretrain, GroupLossMatchesANaiveLoop) {
  torch::manual_seed(12);
  const torch::Tensor z = torch::randn({10, 4});
  const std::vector<int64_t> groups{0, 1, 2, 3, 0, 1, 2, 3, 0, 2};
  EXPECT_NEAR(group_contrastive_loss(z, torch::tensor(groups, torch::kLong), 0.1).item<double>(),
              naive_group_loss(z, groups, 0.1), 1e-5);
}

// Three volumes of 8, 5 and 3 slices; with 4 partitions the third has an empty partition.
SliceSet known_volumes() {
  SliceSet s;
  s.size = 4;
  int first = 0;
  for (int count : {8, 5, 3}) {
    VolumeRecord v;
    v.subject = "v" + std::to_string(s.volumes.size());
    v.first_slice = first;
    v.slice_count = count;
    for (int z = 0; z < count; ++z) s.slices.push_back({int(s.volumes.size()), z});
    s.volumes.push_back(v);
    first += count;
  }
  s.images.assign(size_t(first) * 16, 0.f);
  s.labels.assign(size_t(first) * 16, 0);
  return s;
}

TEST(ImagePretrain, GlobalBatchesTakeOneSlicePerPartitionAndPairThemAcrossVolumes) {
  const SliceSet s = known_volumes();
  std::vector<int> partitions;
  for (int i = 0; i < s.slice_count(); ++i) partitions.push_back(slice_partition(s, i, 4));
  EXPECT_EQ(partitions, (std::vector<int>{0, 0, 1, 1, 2, 2, 3, 3, /**/ 0, 0, 1, 2, 3, /**/ 0, 1, 2}));

  std::vector<int64_t> rows(size_t(s.slice_count()));
  std::iota(rows.begin(), rows.end(), 0);
  const std::vector<PartitionedVolume> volumes = partition_volumes(s, rows, 4);
  ASSERT_EQ(volumes.size(), 2u);  // the 3-slice volume has no slice in partition 3
  const PartitionBatch batch = partition_batch(volumes, {1, 0}, 0, 2, 7);
  ASSERT_EQ(batch.rows.size(), 8u);
  EXPECT_EQ(batch.partitions, (std::vector<int64_t>{0, 1, 2, 3, 0, 1, 2, 3}));
  for (size_t r = 0; r < 8; ++r) {
    const int slice = int(rows[size_t(batch.rows[r])]);
    EXPECT_EQ(slice_partition(s, slice, 4), batch.partitions[r]) << r;
    EXPECT_EQ(s.slices[size_t(slice)].volume, r < 4 ? 1 : 0) << r;  // volume order {1, 0}
  }
  EXPECT_THROW(partition_batch(volumes, {1, 0}, 0, 3, 7), Error);  // 3 volumes asked, 2 complete

  // Rows [view 1 of the 8 slices; view 2]: positives are the other view and the same partition of
  // the other volume, in either view; everything else (and the row itself) is not.
  const torch::Tensor p = torch::tensor(batch.partitions, torch::kLong);
  const torch::Tensor mask = group_positive_mask(torch::cat({p, p}));
  for (int64_t i = 0; i < 16; ++i)
    for (int64_t j = 0; j < 16; ++j)
      EXPECT_EQ(mask[i][j].item<bool>(), i != j && (i % 8) % 4 == (j % 8) % 4) << i << "," << j;
  EXPECT_TRUE(mask[0][8].item<bool>());   // two views of one slice
  EXPECT_TRUE(mask[0][4].item<bool>());   // partition 0 of both volumes
  EXPECT_TRUE(mask[0][12].item<bool>());  // ... across views
  EXPECT_FALSE(mask[0][1].item<bool>());  // another partition of the same volume: a negative
}

TEST(ImagePretrain, LocalRegionsPairTheSamePositionsOfBothViews) {
  // Channel 0 holds each pixel's row, channel 1 its column: a region's embedding is its centre.
  const int64_t h = 10, w = 12;
  const torch::Tensor ys = torch::arange(h, torch::kFloat).view({h, 1}).expand({h, w});
  const torch::Tensor xs = torch::arange(w, torch::kFloat).view({1, w}).expand({h, w});
  const torch::Tensor coords = torch::stack({ys, xs}).unsqueeze(0);  // [1, 2, H, W]
  // Two "views" with other intensities but the same geometry, as the local stage makes them.
  const torch::Tensor view1 = coords, view2 = coords * 1.0 + torch::zeros_like(coords);
  const torch::Tensor r1 = local_region_embeddings(view1, 3), r2 = local_region_embeddings(view2, 3);
  ASSERT_EQ(r1.sizes(), (torch::IntArrayRef{1, 9, 2}));
  const std::vector<int64_t> top{0, 3, 7}, left{0, 4, 9};  // floor(i * (side - 3) / 2)
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      EXPECT_FLOAT_EQ(r1[0][i * 3 + j][0].item<float>(), float(top[size_t(i)] + 1));
      EXPECT_FLOAT_EQ(r1[0][i * 3 + j][1].item<float>(), float(left[size_t(j)] + 1));
    }
  EXPECT_TRUE(torch::equal(r1, r2));  // row k of both views is the same place: the positive pair
  // The loss of a pairing by position is lower than of the same regions paired with others.
  torch::manual_seed(3);
  const torch::Tensor a = torch::randn({9, 6}), noise = 0.1 * torch::randn({9, 6});
  EXPECT_LT(info_nce_loss(a, a + noise, 0.1).item<float>(),
            info_nce_loss(a, (a + noise).roll(1, 0), 0.1).item<float>());
  EXPECT_THROW(local_region_embeddings(torch::zeros({1, 2, 4, 4}), 3), Error);  // 3 regions need 5 pixels
}

const SliceSet& phantom() { return pretrain_phantom(); }

// Batches of two volumes of 4 partitions, 6 epochs on every training slice, g1 16 wide, tau 0.1.
PretrainConfig tiny_config(const std::string& name, PretrainMethod method) {
  PretrainConfig c = tiny_pretrain_config("image_" + name, method);
  c.image_proj_dim = 16;
  c.tau = 0.1;
  c.batch = 8;
  c.epochs = 6;
  c.max_slices = 0;
  return c;
}

// After loading run_dir into a segmentation net, exactly the backbone parameters whose names start
// with one of trained differ from the initialisation of a run with config's seed.
void expect_trained_only(const PretrainConfig& c, const std::vector<std::string>& trained) {
  SegmentationNet seg(c.model, kNumClasses);
  load_pretrained_backbone(c.out_dir, seg->m_backbone);
  torch::manual_seed(c.seed);
  Pix2RepNet initial(c.model);
  const auto init = initial->m_backbone->named_parameters();
  for (const auto& p : seg->m_backbone->named_parameters()) {
    bool is_trained = false;
    for (const std::string& prefix : trained) is_trained = is_trained || p.key().rfind(prefix, 0) == 0;
    EXPECT_EQ(torch::equal(p.value(), init[p.key()]), !is_trained) << p.key();
  }
}

// The learning tests' views: a 4-channel encoder cannot learn invariance to intensity reversal
// and large crops from 40 phantom slices in a few steps (its loss stays at chance), so they use
// the other intensity augmentations only; the resume test keeps every augmentation.
PretrainConfig learnable(PretrainConfig c) {
  c.augment.p_reversal = 0;
  c.augment.spatial = false;
  return c;
}

TEST(ImagePretrain, SimclrLowersItsLossAndLeavesTheDecoderAtItsInitialisation) {
  PretrainConfig c = learnable(tiny_config("simclr", PretrainMethod::SimCLR));
  const PretrainResult r = run_pretraining(c, phantom(), null_progress());
  ASSERT_EQ(r.epochs.size(), 6u);
  const double chance = std::log(2.0 * c.batch - 1);  // NT-Xent of embeddings that ignore the image
  EXPECT_LT(r.epochs.back().train_loss, r.epochs.front().train_loss);
  EXPECT_LT(r.epochs.back().train_loss, 0.8 * chance) << "chance " << chance;
  EXPECT_TRUE(std::isfinite(r.epochs.back().val_loss));

  // Fine-tuning loads the encoder as trained and the decoder as it was initialised.
  expect_trained_only(c, {"inc.", "down"});
  fs::remove_all(c.out_dir);
}

TEST(ImagePretrain, ChaitanyaLowersBothStagesLossesAndTrainsTheFirstDecoderBlocks) {
  PretrainConfig c = learnable(tiny_config("chaitanya", PretrainMethod::Chaitanya));
  c.epochs = 8;
  const PretrainResult r = run_pretraining(c, phantom(), null_progress());
  ASSERT_EQ(r.epochs.size(), 8u);  // epochs 1-4 global, 5-8 local
  // Embeddings that ignore the image: each of the 16 rows has 12 negatives (other partitions).
  const double global_chance = std::log(1.0 + 12);
  EXPECT_LT(r.epochs[3].train_loss, r.epochs[0].train_loss);
  EXPECT_LT(r.epochs[3].train_loss, 0.85 * global_chance) << "chance " << global_chance;
  const double local_chance = std::log(2.0 * c.local_grid * c.local_grid - 1);
  EXPECT_LT(r.epochs[7].train_loss, r.epochs[4].train_loss);
  EXPECT_LT(r.epochs[7].train_loss, 0.5 * local_chance) << "chance " << local_chance;
  // The recorded stage split.
  const PretrainConfig recorded = load_pretrain_config(config_path(c.out_dir), PretrainConfig{});
  EXPECT_EQ(recorded.method, PretrainMethod::Chaitanya);
  EXPECT_EQ(recorded.global_epochs, 4);

  // Encoder and the first decoder block (levels 3: min(3, 1) blocks) trained, the rest as initialised.
  expect_trained_only(c, {"inc.", "down", "up1.", "conv1."});
  fs::remove_all(c.out_dir);
}

TEST(ImagePretrain, ChaitanyaInterruptedInBothStagesResumesExactly) {
  PretrainConfig full = tiny_config("full", PretrainMethod::Chaitanya);
  full.epochs = 4;
  const PretrainResult a = run_pretraining(full, phantom(), null_progress());
  PretrainConfig part = tiny_config("part", PretrainMethod::Chaitanya);
  part.epochs = 4;
  CancelAfter in_global(a.total_steps / 4 + 1), in_local(3 * a.total_steps / 4 + 1);
  EXPECT_THROW(run_pretraining(part, phantom(), in_global), Cancelled);
  EXPECT_THROW(resume_pretraining(part.out_dir, phantom(), in_local), Cancelled);
  const PretrainResult b = resume_pretraining(part.out_dir, phantom(), null_progress());
  ASSERT_EQ(a.step_losses.size(), b.step_losses.size());
  for (size_t i = 0; i < a.step_losses.size(); ++i) EXPECT_NEAR(a.step_losses[i], b.step_losses[i], 1e-4) << i;
  EXPECT_NEAR(a.epochs.back().val_loss, b.epochs.back().val_loss, 1e-4);
  fs::remove_all(full.out_dir);
  fs::remove_all(part.out_dir);
}

// The message of the Error fn throws, or "" when it throws none.
template <class Fn>
std::string error_of(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ImagePretrain, BadSettingsAreRefusedNamingTheField) {
  auto refused = [](PretrainConfig c) { return error_of([&] { run_pretraining(c, phantom(), null_progress()); }); };
  PretrainConfig c = tiny_config("bad", PretrainMethod::Chaitanya);
  c.partitions = 1;
  EXPECT_NE(refused(c).find("partitions must be >= 2"), std::string::npos) << refused(c);
  c = tiny_config("bad", PretrainMethod::Chaitanya);
  c.batch = 6;  // one volume of 4 partitions
  EXPECT_NE(refused(c).find("batch 6 cannot hold 2 volumes"), std::string::npos) << refused(c);
  c = tiny_config("bad", PretrainMethod::Chaitanya);
  c.model.levels = 2;
  EXPECT_NE(refused(c).find("model.levels must be >= 3"), std::string::npos) << refused(c);
  c = tiny_config("bad", PretrainMethod::Chaitanya);
  c.global_epochs = 6;
  EXPECT_NE(refused(c).find("global_epochs must be in 0..epochs-1"), std::string::npos) << refused(c);
  c = tiny_config("bad", PretrainMethod::Chaitanya);
  c.local_grid = 20;
  EXPECT_NE(refused(c).find("local_grid 20"), std::string::npos) << refused(c);
  c = tiny_config("bad", PretrainMethod::SimCLR);
  c.image_proj_dim = 0;
  EXPECT_NE(refused(c).find("image_proj_dim"), std::string::npos) << refused(c);
  EXPECT_FALSE(fs::exists(c.out_dir));
  const std::string unknown = error_of([] { parse_method("byol"); });
  EXPECT_NE(unknown.find("'byol' (expected one of pix2rep, pix2rep-v2, simclr, chaitanya)"), std::string::npos)
      << unknown;
}

TEST(ImagePretrain, PresetsGiveThePapersTemperatureAndRoundTrip) {
  for (const std::string& method : pretrain_method_names()) EXPECT_EQ(method_name(parse_method(method)), method);
  for (PretrainMethod m : {PretrainMethod::SimCLR, PretrainMethod::Chaitanya})
    for (const std::string& preset : pretrain_preset_names()) {
      const PretrainConfig p = pretrain_preset(preset, m);
      EXPECT_NO_THROW(p.validate()) << preset;
      EXPECT_DOUBLE_EQ(p.tau, 0.1);
      EXPECT_EQ(p.image_proj_dim, 128);
      const PretrainConfig q = pretrain_config_from_json(pretrain_config_to_json(p), PretrainConfig{});
      EXPECT_EQ(pretrain_config_to_json(p), pretrain_config_to_json(q));
      EXPECT_EQ(q.method, m);
    }
  const PretrainConfig cpu = pretrain_preset("cpu-small", PretrainMethod::Chaitanya);
  EXPECT_EQ(cpu.partitions, 4);
  EXPECT_EQ(cpu.batch / cpu.partitions, 2);  // two volumes per global batch
  EXPECT_EQ(cpu.local_decoder_blocks(), 3);
  EXPECT_EQ(cpu.global_stage_epochs(), cpu.epochs / 2);
  EXPECT_DOUBLE_EQ(pretrain_preset("cpu", PretrainMethod::Pix2Rep).tau, 0.53);
  PretrainConfig overridden = pretrain_preset("cpu", PretrainMethod::Chaitanya);
  apply_recipe_overrides(overridden, {parse_recipe_override("partitions=2"), parse_recipe_override("global_epochs=5"),
                                      parse_recipe_override("local_blocks=2"), parse_recipe_override("local_grid=4")});
  EXPECT_EQ(overridden.partitions, 2);
  EXPECT_EQ(overridden.global_epochs, 5);
  EXPECT_EQ(overridden.local_decoder_blocks(), 2);
  EXPECT_EQ(overridden.local_grid, 4);
  EXPECT_THROW(apply_recipe_overrides(overridden, {parse_recipe_override("partitions=1")}), Error);
  PretrainConfig v2 = pretrain_preset("paper", PretrainMethod::Pix2RepV2);
  apply_recipe_overrides(v2, {parse_recipe_override("bt_pixels=sampled")});
  EXPECT_TRUE(v2.bt_sampled);
  try {
    apply_recipe_overrides(v2, {parse_recipe_override("bt_pixels=some")});
    ADD_FAILURE() << "bt_pixels=some was accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("bt_pixels=some: expected all or sampled"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace p2r
