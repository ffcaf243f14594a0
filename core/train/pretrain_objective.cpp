#include "core/train/pretrain_objective.h"

#include "core/common/error.h"
#include "core/model/model_layout.h"
#include "core/train/image_pretrain_step.h"
#include "core/train/pretrain_step.h"

namespace p2r {

PretrainObjective objective_at(const PretrainConfig& c, int64_t step, int64_t steps_per_epoch) {
  switch (c.method) {
    case PretrainMethod::Pix2Rep:
    case PretrainMethod::Pix2RepV2:
      return PretrainObjective::Dense;
    case PretrainMethod::SimCLR:
      return PretrainObjective::SimCLR;
    case PretrainMethod::Chaitanya:
      return step < int64_t(c.global_stage_epochs()) * steps_per_epoch ? PretrainObjective::GlobalPartitions
                                                                         : PretrainObjective::LocalRegions;
  }
  P2R_FAIL("unknown pretraining method number " << int(c.method));
}

const char* objective_name(PretrainObjective objective) {
  switch (objective) {
    case PretrainObjective::Dense: return "dense";
    case PretrainObjective::SimCLR: return "simclr";
    case PretrainObjective::GlobalPartitions: return "global";
    case PretrainObjective::LocalRegions: return "local";
  }
  return "?";
}

PretrainNets::PretrainNets(const PretrainConfig& config) : net(config.model) {
  if (has_image_heads(config.method)) heads = ImageHeads(config);
}

std::vector<torch::Tensor> PretrainNets::parameters() const {
  std::vector<torch::Tensor> params = net->parameters();
  if (heads)
    for (const torch::Tensor& p : heads->parameters()) params.push_back(p);
  return params;
}

void PretrainNets::train(bool on) {
  net->train(on);
  if (heads) heads->train(on);
}

torch::nn::Module* PretrainNets::heads_module() { return heads ? heads.ptr().get() : nullptr; }

void move_to_device(PretrainNets& nets, const torch::Device& device, const std::string& precision) {
  move_to_device(*nets.net, device, precision);
  if (nets.heads) move_to_device(*nets.heads, device, precision);
}

torch::Tensor objective_loss(PretrainNets& nets, PretrainObjective objective, const torch::Tensor& x,
                             const torch::Tensor& partitions, const PretrainConfig& config, at::Generator& gen,
                             const BatchShard& shard) {
  UNet& backbone = nets.net->m_backbone;
  P2R_CHECK(objective == PretrainObjective::Dense || shard.reducer == nullptr,
            "data-parallel pretraining supports pix2rep and pix2rep-v2 only");
  switch (objective) {
    case PretrainObjective::Dense: return pretrain_loss(nets.net, x, config, gen, shard);
    case PretrainObjective::SimCLR: return simclr_loss(backbone, nets.heads, x, config, gen);
    case PretrainObjective::GlobalPartitions:
      return global_partition_loss(backbone, nets.heads, x, partitions, config, gen);
    case PretrainObjective::LocalRegions: return local_region_loss(backbone, nets.heads, x, config, gen);
  }
  P2R_FAIL("unknown pretraining objective");
}

}  // namespace p2r
