// ModelConfig's one schema: the same keys, defaults and error wording for config.json, segment.json
// and script keys.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/model/model_config.h"
#include "core/train/pretrain_config.h"
#include "core/train/segment_config.h"
#include "tests/core/test_support.h"

using namespace p2r;

using test::error_of;

TEST(ModelConfig, JsonRoundTripAndBackboneKeys) {
  ModelConfig m;
  m.base = 8, m.levels = 3, m.n_ft = 12, m.expand = 1, m.proj_dim = 5, m.proj_hidden_layers = 2, m.proj_bn = 1;
  const nlohmann::json all = model_config_to_json(m, ModelKeys::All);
  EXPECT_EQ(all.size(), 8u);
  ModelConfig back;
  overlay_model_config(all, ModelKeys::All, ModelConfigFile::RunConfig, back);
  EXPECT_EQ(back.base, 8);
  EXPECT_EQ(back.proj_dim, 5);
  EXPECT_EQ(back.proj_hidden_layers, 2);
  EXPECT_EQ(back.expand, 1);
  EXPECT_EQ(back.proj_bn, 1);
  const nlohmann::json backbone = model_config_to_json(m, ModelKeys::Backbone);
  EXPECT_EQ(backbone.size(), 6u);
  EXPECT_EQ(backbone.at("expand"), 1);
  EXPECT_EQ(backbone.at("head_hidden"), 0);  // segment.json's head kind, not a pretraining key
  EXPECT_FALSE(all.contains("head_hidden"));
  EXPECT_FALSE(backbone.contains("proj_dim"));
}

TEST(ModelConfig, ErrorsKeepEachFilesWording) {
  EXPECT_EQ(error_of([] { pretrain_config_from_json(R"({"model": {"bass": 3}})", PretrainConfig{}); }),
            "config: unknown key 'model.bass'");
  EXPECT_EQ(error_of([] { pretrain_config_from_json(R"({"model": {"base": "x"}})", PretrainConfig{}); }),
            "config: 'model.base' has the wrong type (\"x\")");
  EXPECT_EQ(error_of([] { segment_config_from_json(R"({"model": {"proj_dim": 3}})", SegmentConfig{}); }),
            "unknown key 'model.proj_dim' in segmentation config");
  EXPECT_EQ(error_of([] { segment_config_from_json(R"({"model": {"n_ft": "x"}})", SegmentConfig{}); })
                .rfind("wrong value type in segmentation config: ", 0),
            0u);
  EXPECT_EQ(segment_config_from_json(R"({"model": {"n_ft": 24}})", SegmentConfig{}).model.n_ft, 24);
  // Files written before the key existed describe the paper's layout.
  EXPECT_EQ(segment_config_from_json(R"({"model": {"n_ft": 24}})", SegmentConfig{}).model.expand, 0);
  // ... and the linear head.
  EXPECT_EQ(segment_config_from_json(R"({"model": {"n_ft": 24}})", SegmentConfig{}).model.head_hidden, 0);
  EXPECT_EQ(segment_config_from_json(R"({"model": {"head_hidden": 32}})", SegmentConfig{}).model.head_hidden, 32);
  EXPECT_EQ(error_of([] { pretrain_config_from_json(R"({"model": {"head_hidden": 3}})", PretrainConfig{}); }),
            "config: unknown key 'model.head_hidden'");
  EXPECT_EQ(error_of([] { pretrain_config_from_json(R"({"model": {"expand": 2}})", PretrainConfig{}).validate(); }),
            "config: model.expand must be 0 or 1, got 2");
  EXPECT_EQ(error_of([] { pretrain_config_from_json(R"({"model": {"proj_bn": -1}})", PretrainConfig{}).validate(); }),
            "config: model.proj_bn must be 0 or 1, got -1");
}

TEST(ModelConfig, FieldByKey) {
  ModelConfig m;
  ASSERT_NE(model_config_field(m, "proj_hidden_layers"), nullptr);
  *model_config_field(m, "n_ft") = 7;
  EXPECT_EQ(m.n_ft, 7);
  EXPECT_EQ(model_config_field(m, "epochs"), nullptr);
}
