#include "core/model/segmentation_net.h"

#include <filesystem>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/io/volume.h"
#include "core/model/checkpoint.h"
#include "core/model/run_folder.h"

namespace p2r {

SegmentationNetImpl::SegmentationNetImpl(const ModelConfig& config) {
  m_backbone = register_module("backbone", UNet(config));
  m_head = register_module("head", torch::nn::Conv2d(torch::nn::Conv2dOptions(config.n_ft, kNumClasses, 1)));
}

torch::Tensor SegmentationNetImpl::forward(const torch::Tensor& x) { return m_head(m_backbone(x)); }

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

std::string segmentation_signature(const ModelConfig& config) {
  ModelConfig c = config;
  c.proj_dim = 0;  // the projection head is not part of a segmentation model
  c.proj_hidden_layers = 0;
  return "seg" + std::to_string(kNumClasses) + "-" + model_signature(c);
}

void save_segmentation_model(const std::string& path, SegmentationNet& net, const ModelConfig& config) {
  torch::serialize::OutputArchive archive, net_archive;
  net->save(net_archive);
  archive.write("net", net_archive);
  archive.write("signature", c10::IValue(segmentation_signature(config)));
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
  const std::string expected = segmentation_signature(config);
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
