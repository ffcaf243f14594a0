#include "core/train/data_parallel_group.h"

// Torch's CMake package defines USE_C10D_GLOO (and USE_C10D_NCCL in CUDA builds with NCCL) when
// its build has that backend; the headers are empty without it. PIX2REP_HAS_GLOO: Gloo's own
// headers were found (CMakeLists.txt; a PyTorch wheel ships none).
#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef PIX2REP_HAS_GLOO
#ifndef USE_C10D_GLOO
#error "this LibTorch was built without c10d's Gloo backend (USE_C10D_GLOO)"
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef PIX2REP_HAS_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <chrono>
#include <cstdlib>
#include <functional>
#include <sstream>
#include <thread>
#include <type_traits>

#include "core/common/content_hash.h"
#include "core/common/error.h"
#include "core/common/progress.h"

namespace p2r {
namespace {
using Clock = std::chrono::steady_clock;
// What c10d's backends derive from, with the collectives: ProcessGroup in LibTorch 1.13, Backend in 2.x
// (the only LibTorch without Gloo's headers is a 2.x wheel's).
#ifdef PIX2REP_HAS_GLOO
using Collectives = std::conditional_t<std::is_base_of_v<c10d::ProcessGroup, c10d::ProcessGroupGloo>,
                                       c10d::ProcessGroup, c10d::Backend>;
#else
using Collectives = c10d::Backend;
#endif

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::vector<uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }
std::string text_of(const std::vector<uint8_t>& b) { return {b.begin(), b.end()}; }

std::string rank_list(const std::vector<int>& ranks) {
  std::ostringstream os;
  os << (ranks.size() == 1 ? "rank " : "ranks ");
  for (size_t i = 0; i < ranks.size(); ++i) os << (i ? ", " : "") << ranks[i];
  return os.str();
}

#ifdef PIX2REP_HAS_GLOO
// Gloo's network device: GLOO_SOCKET_IFNAME's interface when set (as PyTorch), the loopback address
// for a job on this machine, else the address this host's name resolves to.
std::shared_ptr<::gloo::transport::Device> gloo_device(const DistributedEnv& env) {
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
    return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
  if (env.master_addr == "127.0.0.1" || env.master_addr == "localhost")
    return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}
#endif

// Waits until every key is set, as store.wait(keys) does (which it is without while_waiting);
// with while_waiting, polls the keys and calls it every 50 ms (it may throw to give up).
void wait_for_keys(c10d::Store& store, const std::vector<std::string>& keys, std::chrono::milliseconds timeout,
                   const std::function<void()>& while_waiting) {
  if (!while_waiting) return store.wait(keys);
  const auto deadline = Clock::now() + timeout;
  while (!store.check(keys)) {
    while_waiting();
    if (Clock::now() > deadline) throw std::runtime_error("timed out waiting for the other ranks to join");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

struct DataParallelGroup::State {
  DistributedEnv env;
  std::chrono::milliseconds timeout{0};
  torch::Device device{torch::kCPU};
  std::string backend;
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<Collectives> group;
  CommunicationStats stats;
  bool broken = false;  // a collective failed: c10d's objects may hold stuck work; leave them at exit

  std::string where() const { return "MASTER_ADDR=" + env.master_addr + " MASTER_PORT=" + std::to_string(env.master_port); }

  // Names the ranks that stopped answering after a failed collective: every rank that sees the failure
  // marks itself in the store; after a grace period the unmarked ranks are the culprits. When rank 0
  // itself is gone, so is the store.
  [[noreturn]] void fail(const std::string& what, const std::string& cause) {
    broken = true;
    std::string culprits;
    try {
      store->setTimeout(std::chrono::seconds(5));
      store->set("failed/" + std::to_string(env.rank), bytes_of("1"));
      std::this_thread::sleep_for(std::chrono::seconds(2));
      std::vector<int> silent;
      for (int r = 0; r < env.world_size; ++r)
        if (!store->check({"failed/" + std::to_string(r)})) silent.push_back(r);
      culprits = silent.empty() ? std::string("every rank saw the failure")
                                : rank_list(silent) + " stopped answering (died, hung or left the job)";
    } catch (const std::exception&) {
      culprits = "rank 0 (the rendezvous host, " + where() + ") is unreachable: it died or hung";
    }
    P2R_FAIL("rank " << env.rank << ": " << what << " failed within --dist-timeout " << timeout.count() / 1000
                     << " s: " << culprits << " [" << backend << ": " << first_line(cause) << "]");
  }

  // Runs one collective to completion, timing it; failures become fail().
  void run(const char* what, const std::function<c10::intrusive_ptr<c10d::Work>()>& start) {
    const auto t0 = Clock::now();
    try {
      start()->wait();
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      fail(what, e.what());
    }
    stats.seconds += std::chrono::duration<double>(Clock::now() - t0).count();
  }

  torch::Tensor on_comm_device(const torch::Tensor& t) const {
    return (backend == "nccl" ? t.to(device) : t.to(torch::kCPU)).contiguous();
  }
};

namespace {

// y = sum over ranks of x; backward: each rank's incoming gradient summed over ranks.
struct AllReduceSum : torch::autograd::Function<AllReduceSum> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, DataParallelGroup* g) {
    ctx->saved_data["group"] = reinterpret_cast<int64_t>(g);
    return g->all_reduce_sum(x);
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    auto* g = reinterpret_cast<DataParallelGroup*>(ctx->saved_data["group"].toInt());
    return {g->all_reduce_sum(grads[0]), torch::Tensor()};
  }
};

// y = every rank's rows in rank order; backward: the gradient of y summed over ranks, this rank's rows.
struct AllGatherRows : torch::autograd::Function<AllGatherRows> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, DataParallelGroup* g) {
    std::vector<int64_t> counts;
    torch::Tensor y = g->all_gather_rows(x, &counts);
    int64_t first = 0;
    for (int r = 0; r < g->rank(); ++r) first += counts[size_t(r)];
    ctx->saved_data["group"] = reinterpret_cast<int64_t>(g);
    ctx->saved_data["first"] = first;
    ctx->saved_data["count"] = x.size(0);
    return y;
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    auto* g = reinterpret_cast<DataParallelGroup*>(ctx->saved_data["group"].toInt());
    const int64_t first = ctx->saved_data["first"].toInt(), count = ctx->saved_data["count"].toInt();
    return {g->all_reduce_sum(grads[0]).slice(0, first, first + count), torch::Tensor()};
  }
};

}  // namespace

DataParallelGroup::DataParallelGroup(const DistributedEnv& env, const DistributedOptions& options,
                                     const torch::Device& device)
    : m(std::make_unique<State>()) {
  validate_distributed_options(options);
  m->env = env;
  m->timeout = std::chrono::seconds(options.timeout_s);
  m->device = device;
  m->backend = options.backend == "auto" ? (device.is_cuda() ? "nccl" : "gloo") : options.backend;
#ifndef PIX2REP_HAS_NCCL
  P2R_CHECK(m->backend != "nccl", "--backend nccl: this build has no NCCL (Debian's LibTorch is CPU-only; build "
                                  "against a CUDA LibTorch with -DPIX2REP_WITH_NCCL=ON, or use --backend gloo)");
#endif
#ifndef PIX2REP_HAS_GLOO
  P2R_CHECK(m->backend != "gloo", "--backend gloo: this build has no Gloo (its LibTorch, a PyTorch wheel's, ships no "
                                  "Gloo headers; use --device cuda with NCCL, or build against Debian's LibTorch)");
#endif
  P2R_CHECK(m->backend != "nccl" || device.is_cuda(), "--backend nccl needs --device cuda");
  const std::string me = "rank " + std::to_string(env.rank);
  // Rendezvous: rank 0 hosts the store; each rank announces its WORLD_SIZE under its rank.
  c10d::TCPStoreOptions so;
  so.port = uint16_t(env.master_port);
  so.isServer = env.rank == 0;
  so.waitWorkers = false;
  so.timeout = m->timeout;
  try {
    m->store = c10::make_intrusive<c10d::TCPStore>(env.master_addr, so);
  } catch (const std::exception& e) {
    if (env.rank == 0)
      P2R_FAIL(me << ": cannot host the rendezvous on MASTER_PORT=" << env.master_port
                  << " (in use by another job or process? pick another MASTER_PORT): " << first_line(e.what()));
    P2R_FAIL(me << ": no rendezvous with rank 0 at " << m->where() << " within " << options.timeout_s
                << " s (rank 0 not started or failed, or a wrong MASTER_ADDR/MASTER_PORT): " << first_line(e.what()));
  }
  std::vector<std::string> keys;
  for (int r = 0; r < env.world_size; ++r) keys.push_back("joined/" + std::to_string(r));
  try {
    m->store->set(keys[size_t(env.rank)], bytes_of(std::to_string(env.world_size)));
    wait_for_keys(*m->store, keys, m->timeout, options.while_joining);
  } catch (const Error&) {
    throw;  // while_joining gave up
  } catch (const Cancelled&) {
    throw;
  } catch (const std::exception& e) {
    std::vector<int> missing;
    try {
      for (int r = 0; r < env.world_size; ++r)
        if (!m->store->check({keys[size_t(r)]})) missing.push_back(r);
    } catch (const std::exception&) {
      P2R_FAIL(me << ": the rendezvous at " << m->where() << " failed (is it a pix2rep rank 0 listening there?): "
                  << first_line(e.what()));
    }
    P2R_FAIL(me << ": " << rank_list(missing) << " of WORLD_SIZE=" << env.world_size << " did not join at "
                << m->where() << " within --dist-timeout " << options.timeout_s << " s");
  }
  for (int r = 0; r < env.world_size; ++r) {
    const std::string theirs = text_of(m->store->get(keys[size_t(r)]));
    P2R_CHECK(theirs == std::to_string(env.world_size), me << ": rank " << r << " has WORLD_SIZE=" << theirs
                                                           << ", this rank WORLD_SIZE=" << env.world_size);
  }
  try {
    auto prefix = c10::make_intrusive<c10d::PrefixStore>(m->backend, m->store);
    if (m->backend == "gloo") {
#ifdef PIX2REP_HAS_GLOO
      auto o = c10d::ProcessGroupGloo::Options::create(m->timeout);
      o->devices.push_back(gloo_device(env));
      m->group = c10::make_intrusive<c10d::ProcessGroupGloo>(prefix, env.rank, env.world_size, o);
#endif
    } else {
#ifdef PIX2REP_HAS_NCCL
      auto o = c10d::ProcessGroupNCCL::Options::create();
      o->timeout = m->timeout;
      m->group = c10::make_intrusive<c10d::ProcessGroupNCCL>(prefix, env.rank, env.world_size, o);
#endif
    }
  } catch (const std::exception& e) {
    m->fail("connecting the " + m->backend + " process group", e.what());
  }
}

DataParallelGroup::~DataParallelGroup() {
  if (m && m->broken) {  // stuck work may never finish: keep c10d's objects (the CLI exits; the studio keeps them)
    m->group.release();
    m->store.release();
  }
}

int DataParallelGroup::rank() const { return m->env.rank; }
int DataParallelGroup::size() const { return m->env.world_size; }
const DistributedEnv& DataParallelGroup::env() const { return m->env; }
const CommunicationStats& DataParallelGroup::stats() const { return m->stats; }

void DataParallelGroup::check_same_on_every_rank(const std::string& what, const std::string& text) {
  const std::string hash = hash_hex(hash_bytes(text.data(), text.size()));
  const std::string prefix = "same/" + what + "/";
  std::vector<std::string> keys;
  for (int r = 0; r < size(); ++r) keys.push_back(prefix + std::to_string(r));
  std::vector<int> differ;
  try {
    m->store->set(keys[size_t(rank())], bytes_of(hash));
    m->store->wait(keys);
    const std::string reference = text_of(m->store->get(keys[0]));
    for (int r = 1; r < size(); ++r)
      if (text_of(m->store->get(keys[size_t(r)])) != reference) differ.push_back(r);
  } catch (const std::exception& e) {
    m->fail("comparing the " + what, e.what());
  }
  P2R_CHECK(differ.empty(), "rank " << rank() << ": the " << what << " of " << rank_list(differ)
                                    << " differs from rank 0's (every rank must be started with the same "
                                       "arguments and data)");
}

void DataParallelGroup::broadcast_from_rank0(const std::vector<torch::Tensor>& tensors) {
  torch::NoGradGuard no_grad;
  for (const torch::Tensor& t : tensors) {
    std::vector<torch::Tensor> buf{m->on_comm_device(t.detach())};
    m->run("broadcasting rank 0's weights", [&] { return m->group->broadcast(buf); });
    t.copy_(buf[0]);
  }
}

std::vector<double> DataParallelGroup::average_gradients(const std::vector<torch::Tensor>& params,
                                                         const std::vector<double>& values) {
  torch::NoGradGuard no_grad;
  constexpr int64_t kBucketElements = int64_t(16) << 20;  // 64 MB of fp32
  std::vector<torch::Tensor> grads;
  for (const torch::Tensor& p : params)
    if (p.grad().defined()) grads.push_back(p.mutable_grad());
  const double world = double(size());
  std::vector<double> averaged = values;
  size_t next = 0;
  bool first_bucket = true;
  while (next < grads.size() || first_bucket) {
    std::vector<torch::Tensor> parts;
    if (first_bucket)  // on the gradients' device and in their dtype, so that one tensor carries both
      parts.push_back(grads.empty() ? torch::tensor(values, torch::kDouble).to(torch::kFloat)
                                    : torch::tensor(values, torch::kDouble).to(grads[0].options()));
    const size_t begin = next;
    int64_t elements = 0;
    while (next < grads.size() && (elements == 0 || elements + grads[next].numel() <= kBucketElements))
      elements += grads[next++].numel();
    for (size_t i = begin; i < next; ++i) parts.push_back(grads[i].reshape({-1}));
    std::vector<torch::Tensor> buf{m->on_comm_device(torch::cat(parts))};
    const int64_t bytes = buf[0].numel() * buf[0].element_size();
    m->run("averaging gradients", [&] { return m->group->allreduce(buf); });
    m->stats.gradient_bytes += bytes;
    torch::Tensor flat = buf[0].div_(world);
    int64_t offset = 0;
    if (first_bucket)
      for (double& v : averaged) v = flat[offset++].item<double>();
    for (size_t i = begin; i < next; ++i) {
      const int64_t n = grads[i].numel();
      grads[i].copy_(flat.slice(0, offset, offset + n).view(grads[i].sizes()));
      offset += n;
    }
    first_bucket = false;
  }
  return averaged;
}

double DataParallelGroup::sum_value(double value) {
  return all_reduce_sum(torch::full({1}, value, torch::kDouble)).item<double>();
}

torch::Tensor DataParallelGroup::all_reduce_sum(const torch::Tensor& t) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> buf{m->on_comm_device(t.detach().clone())};
  m->run("an all-reduce", [&] { return m->group->allreduce(buf); });
  return buf[0].to(t.device());
}

torch::Tensor DataParallelGroup::all_gather_rows(const torch::Tensor& t, std::vector<int64_t>* counts) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> in{m->on_comm_device(torch::full({1}, t.size(0), torch::kLong))};
  std::vector<std::vector<torch::Tensor>> out(1);
  for (int r = 0; r < size(); ++r) out[0].push_back(torch::empty_like(in[0]));
  m->run("gathering row counts", [&] { return m->group->allgather(out, in); });
  counts->clear();
  int64_t most = 0;
  for (const torch::Tensor& c : out[0]) {
    counts->push_back(c.item<int64_t>());
    most = std::max(most, counts->back());
  }
  // Equal shapes on every rank: pad to the largest count, cut after.
  std::vector<int64_t> shape = t.sizes().vec();
  shape[0] = most;
  torch::Tensor padded = torch::zeros(shape, t.options());
  padded.slice(0, 0, t.size(0)).copy_(t.detach());
  std::vector<torch::Tensor> rows_in{m->on_comm_device(padded)};
  std::vector<std::vector<torch::Tensor>> rows_out(1);
  for (int r = 0; r < size(); ++r) rows_out[0].push_back(torch::empty_like(rows_in[0]));
  m->run("gathering rows", [&] { return m->group->allgather(rows_out, rows_in); });
  std::vector<torch::Tensor> parts;
  for (int r = 0; r < size(); ++r) parts.push_back(rows_out[0][size_t(r)].slice(0, 0, (*counts)[size_t(r)]));
  return torch::cat(parts).to(t.device());
}

torch::Tensor DataParallelGroup::sum(const torch::Tensor& local) { return AllReduceSum::apply(local, this); }

torch::Tensor DataParallelGroup::gather_rows(const torch::Tensor& local) { return AllGatherRows::apply(local, this); }

}  // namespace p2r
