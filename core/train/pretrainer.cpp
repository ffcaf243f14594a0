#include "core/train/pretrainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "core/common/atomic_file.h"
#include "core/common/compute_device.h"
#include "core/common/content_hash.h"
#include "core/common/error.h"
#include "core/common/file_paths.h"
#include "core/common/precision.h"
#include "core/data/slice_cache.h"
#include "core/data/slice_content_hash.h"
#include "core/model/checkpoint.h"
#include "core/model/model_layout.h"
#include "core/model/run_folder.h"
#include "core/model/synced_batch_norm.h"
#include "core/train/data_parallel_group.h"
#include "core/train/pretrain_objective.h"
#include "core/train/pretrain_step.h"
#include "core/train/slice_partitions.h"

namespace p2r {
namespace fs = std::filesystem;
namespace {

// Training and validation images [N, 1, S, S] on the training device (images only: no labels) and
// the slice indices they came from.
struct SlicesOnDevice {
  torch::Tensor train, val;
  std::vector<int64_t> train_idx, val_idx;
  std::string summary;
};

SlicesOnDevice split_slices(const SliceSet& data, const PretrainConfig& c, const torch::Device& device) {
  P2R_CHECK(data.slice_count() > 0 && data.size > 0, "the prepared data holds no slices");
  std::vector<int64_t> idx;
  for (int i = 0; i < data.slice_count(); ++i)
    if (c.subjects_split.empty() || data.volume_of(i).split == c.subjects_split) idx.push_back(i);
  P2R_CHECK(!idx.empty(), "the prepared data holds no slices of split '" << c.subjects_split
                                                                         << "' (set subjects_split to \"\" for all)");
  std::mt19937_64 rng(c.seed ^ 0x5eedULL);
  std::shuffle(idx.begin(), idx.end(), rng);
  const int64_t n_val = int64_t(std::floor(c.val_fraction * double(idx.size())));
  std::vector<int64_t> val(idx.begin(), idx.begin() + n_val), train(idx.begin() + n_val, idx.end());
  if (c.max_slices > 0 && int64_t(train.size()) > c.max_slices) train.resize(c.max_slices);
  P2R_CHECK(!train.empty(), "no training slices left after the validation split");
  const int64_t s = data.size;
  auto images = torch::from_blob(const_cast<float*>(data.images.data()), {int64_t(data.slice_count()), 1, s, s},
                                 torch::kFloat);
  auto take = [&](const std::vector<int64_t>& v) {
    if (v.empty()) return torch::Tensor();
    return images.index_select(0, torch::tensor(v, torch::kLong)).to(device);
  };
  SlicesOnDevice out{take(train), take(val), train, val, ""};
  std::ostringstream os;
  os << data.slice_count() << " slices of " << s << "x" << s << ", split '" << c.subjects_split << "', "
     << train.size() << " train, " << val.size() << " val";
  out.summary = os.str();
  return out;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  P2R_CHECK(in.good(), "cannot read " << path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const std::string& path, const std::string& text) {
  write_file_atomically(path, [&](const std::string& tmp) {
    std::ofstream out(tmp);
    out << text;
    out.close();
    P2R_CHECK(out.good(), "cannot write " << tmp);
  });
}

void write_log(const std::string& dir, const CheckpointState& st) {
  std::ostringstream os;
  os << "epoch,step,train_loss,val_loss,seconds\n";
  for (size_t r = 0; r + 4 < st.epoch_rows.size(); r += 5)
    os << int(st.epoch_rows[r]) << "," << int64_t(st.epoch_rows[r + 1]) << "," << st.epoch_rows[r + 2] << ","
       << st.epoch_rows[r + 3] << "," << st.epoch_rows[r + 4] << "\n";
  write_text(log_path(dir), os.str());
}

// Partitions (slice_partition) of slices idx, int64 on the CPU; undefined unless Chaitanya.
torch::Tensor slice_partitions(const SliceSet& data, const std::vector<int64_t>& idx, const PretrainConfig& c) {
  if (c.method != PretrainMethod::Chaitanya) return {};
  std::vector<int64_t> p;
  for (int64_t i : idx) p.push_back(slice_partition(data, int(i), c.partitions));
  return torch::tensor(p, torch::kLong);
}

// The mean loss of the validation slices under objective in fixed batches (the global stage groups
// them by their partitions); with a group, batch j on rank j mod W, the sum over ranks.
double validation_loss(PretrainNets& nets, PretrainObjective objective, const torch::Tensor& val,
                       const torch::Tensor& val_partitions, const PretrainConfig& c, DataParallelGroup* group) {
  if (!val.defined()) return std::nan("");
  torch::NoGradGuard no_grad;
  nets.train(false);
  double sum = 0;
  int64_t batches = 0;
  for (int64_t first = 0; first < val.size(0); first += c.batch, ++batches) {
    if (group != nullptr && batches % group->size() != group->rank()) continue;
    auto gen = step_generator(c.seed, (uint64_t(1) << 62) + uint64_t(batches));
    const int64_t last = std::min(val.size(0), first + c.batch);
    auto x = val.slice(0, first, last);
    const torch::Tensor partitions = val_partitions.defined() ? val_partitions.slice(0, first, last) : torch::Tensor();
    sum += objective_loss(nets, objective, x, partitions, c, gen).item<double>();
  }
  nets.train(true);
  if (group != nullptr) sum = group->sum_value(sum);
  return sum / double(batches);
}

// Chaitanya: the local stage's feature maps must hold local_grid^2 distinct 3x3 regions.
void check_local_regions(const PretrainConfig& c, int size) {
  if (c.method != PretrainMethod::Chaitanya) return;
  const int side = size >> (c.model.levels - 1 - c.local_decoder_blocks());
  P2R_CHECK(side >= c.local_grid + 2, "local_grid " << c.local_grid << ": after " << c.local_decoder_blocks()
                                                    << " decoder blocks the feature maps are " << side << "x" << side
                                                    << ", too small for " << c.local_grid << " x " << c.local_grid
                                                    << " regions of 3x3 (lower local_grid or raise local_blocks)");
}

// config.json's text: c with its paths absolute, so that it names them from any folder.
std::string run_config_json(PretrainConfig c) {
  c.data_path = recorded_path(c.data_path);
  c.out_dir = recorded_path(c.out_dir);
  return pretrain_config_to_json(c);
}

// The backbone after epoch as a run folder of its own (snapshot_path), written whole or not at
// all: a temporary folder renamed.
void write_snapshot(const std::string& dir, int epoch, const PretrainConfig& c, Pix2RepNet& net,
                    const CheckpointState& st) {
  const fs::path final_dir = snapshot_path(dir, epoch);
  const fs::path tmp = final_dir.parent_path() / ("." + final_dir.filename().string() + ".tmp");
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  save_checkpoint(checkpoint_path(tmp.string()), net, nullptr, st);
  write_text(config_path(tmp.string()), run_config_json(c));
  if (fs::exists(provenance_path(dir))) fs::copy_file(provenance_path(dir), provenance_path(tmp.string()));
  fs::remove_all(final_dir);
  fs::rename(tmp, final_dir);
}

struct StageGuard {
  ProgressSink& sink;
  ~StageGuard() { sink.end(); }
};

// This process's rank of the job dist describes (distributed_env_of: given, or from the environment),
// or null for one process; c.world_size records it. Refused before joining: what data parallelism
// cannot split.
std::unique_ptr<DataParallelGroup> join_job(PretrainConfig& c, const DistributedOptions& dist, torch::Device& device) {
  const std::optional<DistributedEnv> env = distributed_env_of(dist);
  c.world_size = env ? env->world_size : 1;
  if (!env) return nullptr;
  const std::string me = "rank " + std::to_string(env->rank);
  P2R_CHECK(data_parallel_method(c.method),
            me << ": data-parallel pretraining (WORLD_SIZE=" << env->world_size << ") supports pix2rep and pix2rep-v2, not "
               << method_name(c.method) << " (run it in one process: unset WORLD_SIZE)");
  P2R_CHECK(c.batch % env->world_size == 0, me << ": batch " << c.batch << " (the global batch) is not divisible by WORLD_SIZE="
                                               << env->world_size);
  if (device.is_cuda()) device = torch::Device(torch::kCUDA, c10::DeviceIndex(env->local_rank));  // one GPU per local rank
  return std::make_unique<DataParallelGroup>(*env, dist, device);
}

PretrainResult train(PretrainConfig c, const SliceSet& data, ProgressSink& progress, bool resume,
                     const DistributedOptions& dist) {
  c.validate();
  torch::Device device = resolve_device(c.device);
  c.precision = resolve_precision(c.precision, device.is_cuda());  // recorded in config.json
  const std::unique_ptr<DataParallelGroup> group = join_job(c, dist, device);
  const bool writer = group == nullptr || group->rank() == 0;  // rank 0 alone writes the run folder
  // Ranks on one machine share its cores (LOCAL_WORLD_SIZE) unless threads says otherwise.
  const int local_ranks = group ? group->env().local_world_size : 1;
  configure_threads(c.threads > 0 ? c.threads : threads_per_rank(int(std::thread::hardware_concurrency()), local_ranks));
  const int64_t div = int64_t(1) << (c.model.levels - 1);
  P2R_CHECK(data.size % div == 0, "slices of " << data.size << "x" << data.size << " cannot pass a U-Net of "
                                               << c.model.levels << " levels (size must be divisible by " << div << ")");
  P2R_CHECK(int64_t(c.samples) <= int64_t(c.batch) * data.size * data.size,
            "samples (M) = " << c.samples << " exceeds the " << int64_t(c.batch) * data.size * data.size
                             << " pixels of a batch");
  check_local_regions(c, data.size);
  if (c.method == PretrainMethod::Chaitanya) c.global_epochs = c.global_stage_epochs();  // recorded in config.json
  SlicesOnDevice slices = split_slices(data, c, device);
  // Chaitanya's global stage: volumes with a training slice in every partition, volumes_per_batch at a time.
  const std::vector<PartitionedVolume> volumes =
      c.method == PretrainMethod::Chaitanya ? partition_volumes(data, slices.train_idx, c.partitions)
                                            : std::vector<PartitionedVolume>{};
  const int volumes_per_batch = c.batch / c.partitions;
  P2R_CHECK(c.method != PretrainMethod::Chaitanya || int(volumes.size()) >= volumes_per_batch,
            "chaitanya: a batch of " << c.batch << " holds " << volumes_per_batch << " volumes of " << c.partitions
                                     << " partitions, but only " << volumes.size()
                                     << " training volumes have a slice in every partition (lower batch or partitions)");
  const torch::Tensor val_partitions = slice_partitions(data, slices.val_idx, c);
  const std::string dir = c.out_dir;
  const std::string ckpt = checkpoint_path(dir);
  if (group) {
    P2R_CHECK(slices.train.size(0) >= c.batch, "rank " << group->rank() << ": " << slices.train.size(0)
                                                       << " training slices cannot fill one global batch of " << c.batch);
    // Every rank must train the same run on the same slices (flags, --config, data, WORLD_SIZE).
    group->check_same_on_every_rank("configuration", run_config_json(c) + "\n" + slices.summary);
  }

  torch::manual_seed(c.seed);
  PretrainNets nets(c);
  move_to_device(nets, device, c.precision);
  nets.train(true);
  const std::vector<torch::Tensor> params = nets.parameters();
  torch::optim::Adam optimizer(params, torch::optim::AdamOptions(c.lr));
  CheckpointState st;
  st.signature = model_signature(c.model);

  const std::string provenance_file = provenance_path(dir);
  // A resume that changes config.json (epochs, the data's new place) writes it with its first
  // checkpoint, so that a resume that fails or stops before leaves the run folder as it was.
  bool config_pending = false;
  if (resume) {  // every rank reads the run folder; rank 0 alone writes it
    auto prov = nlohmann::json::parse(read_text(provenance_file), nullptr, false);
    P2R_CHECK(!prov.is_discarded() && prov.contains("data_summary"), provenance_file << " is missing or corrupt");
    P2R_CHECK(prov["data_summary"].get<std::string>() == slices.summary,
              "the data differs from the run's data: checkpoint saw '" << prov["data_summary"].get<std::string>()
                                                                        << "', now '" << slices.summary << "'");
    st = load_checkpoint(ckpt, nets.net, &optimizer, st.signature, nets.heads_module());
    move_to_device(nets, device, c.precision);  // the checkpoint may hold another layout
    config_pending = run_config_json(c) != read_text(config_path(dir));
  } else {
    P2R_CHECK(!fs::exists(ckpt), dir << " already holds a pretraining run; use --resume " << dir
                                     << " or another --out folder");
  }
  if (!resume && writer) {
    ensure_directory(dir);
    write_text(config_path(dir), run_config_json(c));
    nlohmann::json prov;
    prov["code_version"] = PIX2REP_VERSION;
    prov["data_path"] = recorded_path(c.data_path);
    prov["data_source_root"] = data.source_root;
    prov["data_summary"] = slices.summary;
    prov["data_hash"] = hash_hex(slice_content_hash(data));
    prov["subjects"] = data.subject_ids().size();
    prov["labels_used"] = false;
    write_text(provenance_file, prov.dump(2));
  }
  std::vector<torch::Tensor> buffers = nets.net->buffers();  // BatchNorm statistics
  if (nets.heads)
    for (const torch::Tensor& b : nets.heads->buffers()) buffers.push_back(b);
  if (group) {  // every rank starts from rank 0's weights and buffers
    group->broadcast_from_rank0(params);
    group->broadcast_from_rank0(buffers);
  }
  std::optional<SyncedBatchNormScope> synced_batch_norm;
  if (group && c.sync_batch_norm) synced_batch_norm.emplace(*group);

  const int64_t n_train = slices.train.size(0);
  const int64_t spe = std::max<int64_t>(1, n_train / c.batch);  // drop the last partial batch
  const int64_t total = spe * c.epochs;
  P2R_CHECK(st.global_step <= total, "the checkpoint in " << dir << " has " << st.global_step
                                                          << " steps, more than the " << total
                                                          << " planned; pass a larger --epochs");
  int64_t step = st.global_step, saved_step = resume ? step : -1;
  auto save = [&] {
    saved_step = step;
    if (!writer) return;
    save_checkpoint(ckpt, nets.net, &optimizer, st, nets.heads_module());
    if (config_pending) write_text(config_path(dir), run_config_json(c));
    config_pending = false;
    write_log(dir, st);
  };

  progress.begin(std::string("pretrain ") + method_name(c.method) + " (" + device.str() + ", " + c.precision + ")",
                 total);
  StageGuard guard{progress};
  progress.update(step, "");
  std::vector<int64_t> order, volume_order;
  int64_t order_epoch = -1;
  auto epoch_start = std::chrono::steady_clock::now();
  const auto run_start = epoch_start;
  const int64_t first_step = step;
  const CommunicationStats comm_before = group ? group->stats() : CommunicationStats{};
  double last_val = std::nan("");
  while (step < total) {
    if (!group && progress.cancelled()) {  // ranks agree on it through the gradient all-reduce, below
      if (saved_step != step) save();
      throw Cancelled();
    }
    const int64_t epoch = step / spe, k = step % spe;
    if (order_epoch != epoch) {
      order.resize(n_train);
      std::iota(order.begin(), order.end(), 0);
      std::mt19937_64 rng(c.seed * 1000003ULL + uint64_t(epoch) + 1);
      std::shuffle(order.begin(), order.end(), rng);
      volume_order.resize(volumes.size());
      std::iota(volume_order.begin(), volume_order.end(), 0);
      std::shuffle(volume_order.begin(), volume_order.end(), rng);
      order_epoch = epoch;
    }
    const PretrainObjective objective = objective_at(c, step, spe);
    std::vector<int64_t> pick;
    torch::Tensor partitions;
    if (objective == PretrainObjective::GlobalPartitions) {
      // One slice per partition from each of volumes_per_batch volumes (chosen by the step's seed).
      PartitionBatch batch = partition_batch(volumes, volume_order, k * volumes_per_batch, volumes_per_batch,
                                             c.seed * 0x9E3779B97F4A7C15ull + uint64_t(step));
      pick = batch.rows;
      partitions = torch::tensor(batch.partitions, torch::kLong);
    } else {
      const int64_t b = std::min<int64_t>(c.batch, n_train);
      pick.assign(order.begin() + k * b, order.begin() + (k + 1) * b);
    }
    auto x = slices.train.index_select(0, torch::tensor(pick, torch::kLong).to(device));  // [B, 1, S, S]
    auto gen = step_generator(c.seed, uint64_t(step));
    optimizer.zero_grad();
    // Parts a stage does not train (Chaitanya's encoder in its local stage) get no gradient, so Adam
    // leaves them as they are.
    if (objective != PretrainObjective::Dense)
      for (const torch::Tensor& p : params) p.mutable_grad().reset();
    BatchShard shard;  // with a group: this rank's equal part of the global batch
    if (group) shard = {group->rank() * x.size(0) / group->size(), x.size(0) / group->size(), group.get()};
    auto loss = objective_loss(nets, objective, x, partitions, c, gen, shard);
    loss.backward();
    // The loss every rank logs: the global batch's (its mean over ranks for per-rank losses); a
    // rank that is cancelled stops every rank after this step.
    float value = loss.item<float>();
    bool stop = false;
    if (group) {
      const std::vector<double> mean = group->average_gradients(params, {value, progress.cancelled() ? 1.0 : 0.0});
      value = float(mean[0]);
      stop = mean[1] > 0;
    }
    P2R_CHECK(std::isfinite(value), "non-finite loss (" << value << ") at step " << step + 1
                                     << "; training stopped. The last good checkpoint "
                                     << (saved_step >= 0 ? ckpt : std::string("(none yet)"))
                                     << " is intact; try a lower lr");
    optimizer.step();
    ++step;
    st.global_step = step;
    st.step_losses.push_back(value);
    if (step % spe == 0) {
      if (group) group->broadcast_from_rank0(buffers);  // rank 0's BatchNorm statistics, as in its checkpoint
      last_val = validation_loss(nets, objective, slices.val, val_partitions, c, group.get());
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
      double mean = 0;
      for (int64_t i = step - spe; i < step; ++i) mean += st.step_losses[size_t(i)];
      st.epoch_rows.insert(st.epoch_rows.end(), {double(epoch + 1), double(step), mean / double(spe), last_val, seconds});
      save();
      if (writer && c.snapshot_every > 0 && (step / spe) % c.snapshot_every == 0)
        write_snapshot(dir, int(step / spe), c, nets.net, st);
      epoch_start = std::chrono::steady_clock::now();
    } else if (c.checkpoint_every > 0 && step % c.checkpoint_every == 0) {
      save();
    }
    std::ostringstream note;
    note.precision(4);
    note << "epoch " << epoch + 1 << "/" << c.epochs;
    if (c.method == PretrainMethod::Chaitanya) note << " " << objective_name(objective);
    note << " loss " << value;
    if (!std::isnan(last_val)) note << " val " << last_val;
    progress.update(step, note.str());
    if (stop) {
      if (saved_step != step) save();
      throw Cancelled();
    }
  }
  if (saved_step != step) save();
  if (config_pending && writer) write_text(config_path(dir), run_config_json(c));  // nothing left to train

  PretrainResult r;
  r.out_dir = dir;
  r.steps_done = step;
  r.total_steps = total;
  r.train_slices = int(n_train);
  r.val_slices = slices.val.defined() ? int(slices.val.size(0)) : 0;
  r.step_losses = st.step_losses;
  r.world_size = c.world_size;
  r.steps_run = step - first_step;
  if (r.steps_run > 0) {
    const double n = double(r.steps_run);
    r.step_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count() / n;
    if (group) {
      r.communication_seconds = (group->stats().seconds - comm_before.seconds) / n;
      r.gradient_bytes = (group->stats().gradient_bytes - comm_before.gradient_bytes) / r.steps_run;
    }
  }
  for (size_t i = 0; i + 4 < st.epoch_rows.size(); i += 5)
    r.epochs.push_back({int(st.epoch_rows[i]), int64_t(st.epoch_rows[i + 1]), st.epoch_rows[i + 2],
                        st.epoch_rows[i + 3], st.epoch_rows[i + 4]});
  return r;
}

// The run's config.json with the resume's changes (settings); written by train() with the first checkpoint.
PretrainConfig resumed_config(const std::string& out_dir, const ResumeSettings& settings) {
  P2R_CHECK(fs::is_directory(out_dir), "run folder " << out_dir << " does not exist");
  const std::string run = snapshot_run(out_dir);
  P2R_CHECK(run.empty(), out_dir << " is a snapshot of the run " << run
                                 << " (a backbone without optimiser state), which cannot be resumed; resume the run");
  PretrainConfig c;
  try {
    c = pretrain_config_from_json(read_text(config_path(out_dir)), PretrainConfig{});
  } catch (const Error& e) {
    P2R_FAIL(config_path(out_dir) << ": " << e.message());
  }
  c.out_dir = out_dir;
  if (settings.epochs > 0) c.epochs = settings.epochs;
  if (!settings.data_path.empty()) c.data_path = settings.data_path;
  if (settings.threads >= 0) c.threads = settings.threads;
  c.validate();
  return c;
}

}  // namespace

PretrainResult run_pretraining(const PretrainConfig& config, ProgressSink& progress, const DistributedOptions& dist) {
  config.validate();
  P2R_CHECK(!config.out_dir.empty(), "no output folder given");
  SliceSet data = load_slice_set(config.data_path);
  return train(config, data, progress, false, dist);
}

PretrainResult run_pretraining(const PretrainConfig& config, const SliceSet& data, ProgressSink& progress,
                               const DistributedOptions& dist) {
  P2R_CHECK(!config.out_dir.empty(), "no output folder given");
  return train(config, data, progress, false, dist);
}

PretrainResult resume_pretraining(const std::string& out_dir, ProgressSink& progress, const ResumeSettings& settings,
                                  const DistributedOptions& dist) {
  PretrainConfig c = resumed_config(out_dir, settings);
  P2R_CHECK(!settings.data_path.empty() || fs::is_regular_file(c.data_path),
            config_path(out_dir) << ": the run's prepared file " << c.data_path
                                 << " does not exist; give its new place with --data PREPARED");
  SliceSet data = load_slice_set(c.data_path);
  // Runs from before issue 13 recorded no content hash: train() still compares the slice summary.
  const auto prov = nlohmann::json::parse(read_text(provenance_path(out_dir)), nullptr, false);
  if (prov.is_object() && prov.contains("data_hash")) {
    const std::string hash = hash_hex(slice_content_hash(data));
    P2R_CHECK(prov["data_hash"] == hash, c.data_path << ": other slices than the run in " << out_dir
                                                     << " was trained on (content hash " << hash << ", the run's "
                                                     << prov["data_hash"].get<std::string>() << ")");
  }
  return train(c, data, progress, true, dist);
}

PretrainResult resume_pretraining(const std::string& out_dir, const SliceSet& data, ProgressSink& progress,
                                  const ResumeSettings& settings) {
  return train(resumed_config(out_dir, settings), data, progress, true, {});
}

}  // namespace p2r
