#include "core/model/segmentation_net.h"

#include <filesystem>
#include <utility>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/model/checkpoint.h"
#include "core/model/run_folder.h"

namespace p2r {

SegmentationNetImpl::SegmentationNetImpl(const ModelConfig& config, int classes)
    : SegmentationNetImpl(config, classes, UNet(config)) {}

SegmentationNetImpl::SegmentationNetImpl(const ModelConfig& config, int classes, UNet backbone) {
  m_backbone = register_module("backbone", std::move(backbone));
  if (config.head_hidden > 0)
    m_hidden = register_module("hidden", torch::nn::Conv2d(torch::nn::Conv2dOptions(config.n_ft, config.head_hidden, 1)));
  const int head_in = config.head_hidden > 0 ? config.head_hidden : config.n_ft;
  m_head = register_module("head", torch::nn::Conv2d(torch::nn::Conv2dOptions(head_in, classes, 1)));
}

torch::Tensor SegmentationNetImpl::forward(const torch::Tensor& x) { return head(m_backbone(x)); }

torch::Tensor SegmentationNetImpl::head(const torch::Tensor& features) {
  return m_hidden ? m_head(torch::relu(m_hidden(features))) : m_head(features);
}

torch::Tensor SegmentationNetImpl::head_pixels(const torch::Tensor& features) {
  // A 1x1 conv on one pixel is a linear map: weight [out, in, 1, 1] viewed as [out, in].
  auto linear = [](const torch::nn::Conv2d& conv, const torch::Tensor& x) {
    return torch::addmm(conv->bias, x, conv->weight.view({conv->weight.size(0), -1}).t());
  };
  return m_hidden ? linear(m_head, torch::relu(linear(m_hidden, features))) : linear(m_head, features);
}

int SegmentationNetImpl::classes() const { return int(m_head->options.out_channels()); }

void load_pretrained_backbone(const std::string& run_dir, UNet& backbone) {
  ModelConfig config = pretrained_model_config(run_dir);
  Pix2RepNet net(config);
  load_checkpoint(checkpoint_path(run_dir), net, nullptr, model_signature(config));
  torch::NoGradGuard no_grad;
  auto src_params = net->m_backbone->named_parameters();
  auto src_buffers = net->m_backbone->named_buffers();
  for (auto& p : backbone->named_parameters()) {
    const torch::Tensor* src = src_params.find(p.key());
    P2R_CHECK(src && src->sizes() == p.value().sizes(), run_dir << ": backbone parameter '" << p.key()
                                                                << "' missing or of another shape");
    p.value().copy_(*src);
  }
  for (auto& b : backbone->named_buffers()) {
    const torch::Tensor* src = src_buffers.find(b.key());
    P2R_CHECK(src && src->sizes() == b.value().sizes(), run_dir << ": backbone buffer '" << b.key() << "' missing");
    b.value().copy_(*src);
  }
}

std::string segmentation_signature(const ModelConfig& config, int classes) {
  ModelConfig c = config;
  c.proj_dim = 0;  // the projection head is not part of a segmentation model
  c.proj_hidden_layers = 0;
  const std::string head = config.head_hidden > 0 ? "-mlp" + std::to_string(config.head_hidden) : "";
  return "seg" + std::to_string(classes) + "-" + model_signature(c) + head;
}

void save_segmentation_model(const std::string& path, SegmentationNet& net, const ModelConfig& config) {
  torch::serialize::OutputArchive archive, net_archive;
  net->save(net_archive);
  archive.write("net", net_archive);
  archive.write("signature", c10::IValue(segmentation_signature(config, net->classes())));
  write_file_atomically(path, [&](const std::string& tmp) { archive.save_to(tmp); });
}

void load_segmentation_model(const std::string& path, SegmentationNet& net, const ModelConfig& config) {
  P2R_CHECK(std::filesystem::exists(path), path << ": segmentation model does not exist");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
  } catch (const std::exception&) {
    P2R_FAIL(path << ": not a readable model file (corrupt or truncated)");
  }
  c10::IValue sig;
  try {
    archive.read("signature", sig);
  } catch (const std::exception&) {
    P2R_FAIL(path << ": not a segmentation model (no signature; a pretraining checkpoint?)");
  }
  const std::string expected = segmentation_signature(config, net->classes());
  P2R_CHECK(sig.toStringRef() == expected, path << ": model '" << sig.toStringRef() << "' does not match its "
                                                << "configuration '" << expected << "'");
  try {
    torch::serialize::InputArchive net_archive;
    archive.read("net", net_archive);
    net->load(net_archive);
  } catch (const std::exception& e) {
    std::string what = e.what();
    P2R_FAIL(path << ": incompatible weights: " << what.substr(0, what.find('\n')));
  }
}

}  // namespace p2r
