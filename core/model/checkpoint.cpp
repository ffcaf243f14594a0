#include "core/model/checkpoint.h"

#include <filesystem>
#include <sstream>

#include "core/common/atomic_file.h"
#include "core/common/error.h"

namespace p2r {

std::string model_signature(const ModelConfig& c) {
  std::ostringstream os;
  os << "unet" << c.in_channels << "-" << c.base << "x" << c.levels << "-ft" << c.n_ft << "-proj" << c.proj_dim
     << "x" << c.proj_hidden_layers << (c.expand ? "-expand" : "")
     << (c.proj_bn ? "-bn" : "");
  return os.str();
}

void save_checkpoint(const std::string& path, Pix2RepNet& net, torch::optim::Optimizer* optimizer,
                     const CheckpointState& state, torch::nn::Module* heads) {
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive net_archive;
  net->save(net_archive);
  archive.write("net", net_archive);
  if (heads) {
    torch::serialize::OutputArchive heads_archive;
    heads->save(heads_archive);
    archive.write("heads", heads_archive);
  }
  if (optimizer) {
    torch::serialize::OutputArchive opt_archive;
    optimizer->save(opt_archive);
    archive.write("optimizer", opt_archive);
  }
  archive.write("global_step", c10::IValue(state.global_step));
  archive.write("signature", c10::IValue(state.signature));
  archive.write("step_losses", torch::tensor(state.step_losses.empty() ? std::vector<float>{} : state.step_losses,
                                             torch::kFloat).clone());
  archive.write("epoch_rows", torch::tensor(state.epoch_rows, torch::kDouble).clone());
  write_file_atomically(path, [&](const std::string& tmp) { archive.save_to(tmp); });
}

CheckpointState load_checkpoint(const std::string& path, Pix2RepNet& net, torch::optim::Optimizer* optimizer,
                                const std::string& expected_signature, torch::nn::Module* heads) {
  P2R_CHECK(std::filesystem::exists(path), "checkpoint " << path << " does not exist");
  CheckpointState state;
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
  } catch (const std::exception& e) {
    P2R_FAIL("checkpoint " << path << " is not a readable checkpoint file (corrupt or truncated)");
  }
  try {
    c10::IValue sig, step;
    archive.read("signature", sig);
    state.signature = sig.toStringRef();
    P2R_CHECK(state.signature == expected_signature,
              "checkpoint " << path << " holds a model '" << state.signature << "' but the configuration asks for '"
                            << expected_signature << "'");
    archive.read("global_step", step);
    state.global_step = step.toInt();
    torch::serialize::InputArchive net_archive;
    archive.read("net", net_archive);
    net->load(net_archive);
    if (heads) {
      torch::serialize::InputArchive heads_archive;
      archive.read("heads", heads_archive);
      heads->load(heads_archive);
    }
    if (optimizer) {
      torch::serialize::InputArchive opt_archive;
      archive.read("optimizer", opt_archive);
      optimizer->load(opt_archive);
    }
    torch::Tensor losses, rows;
    archive.read("step_losses", losses);
    archive.read("epoch_rows", rows);
    losses = losses.contiguous();
    rows = rows.contiguous();
    state.step_losses.assign(losses.data_ptr<float>(), losses.data_ptr<float>() + losses.numel());
    state.epoch_rows.assign(rows.data_ptr<double>(), rows.data_ptr<double>() + rows.numel());
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    std::string what = e.what();
    P2R_FAIL("checkpoint " << path << " is incompatible with its configuration: " << what.substr(0, what.find('\n')));
  }
  return state;
}

}  // namespace p2r
