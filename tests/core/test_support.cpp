#include "tests/core/test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/common/error.h"

namespace fs = std::filesystem;

namespace p2r::test {

namespace {

// Paths handed out by process_scratch_path, removed when the process ends.
struct ProcessScratch {
  std::vector<std::string> paths;
  ~ProcessScratch() {
    std::error_code ignored;
    for (const std::string& p : paths) fs::remove_all(p, ignored);
  }
};

}  // namespace

std::string process_scratch_path(const std::string& prefix, const std::string& name) {
  static ProcessScratch scratch;
  const std::string path = (fs::temp_directory_path() / (prefix + "_" + std::to_string(::getpid()) + "_" + name)).string();
  fs::remove_all(path);
  scratch.paths.push_back(path);
  return path;
}

void ScratchDir::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir = fs::temp_directory_path() /
                 ("pix2rep_test_" + std::to_string(::getpid()) + "_" + info->test_suite_name() + "_" + info->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  m_dir = dir.string();
}

void ScratchDir::TearDown() {
  std::error_code ec;
  fs::remove_all(m_dir, ec);
}

std::string ScratchDir::path(const std::string& name) const { return (fs::path(m_dir) / name).string(); }

ScopedEnv::ScopedEnv(const char* name, const char* value) : m_name(name) {
  if (const char* old = std::getenv(name)) m_old = old, m_had = true;
  if (value) ::setenv(name, value, 1);
  else ::unsetenv(name);
}

ScopedEnv::~ScopedEnv() {
  if (m_had) ::setenv(m_name.c_str(), m_old.c_str(), 1);
  else ::unsetenv(m_name.c_str());
}

std::string acdc_root() {
  if (const char* env = std::getenv("PIX2REP_ACDC_DIR"); env && *env) return fs::is_directory(env) ? env : "";
  fs::path p = fs::path(PIX2REP_SOURCE_DIR) / ".." / "shared" / "data" / "acdc";
  return fs::is_directory(p / "training") ? fs::weakly_canonical(p).string() : "";
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.message();
  }
  return "";
}

bool no_child_processes() { return ::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD; }

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace p2r::test
