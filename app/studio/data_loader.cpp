#include "app/studio/data_loader.h"

#include <cstdio>
#include <filesystem>

#include "core/common/error.h"
#include "core/data/phantom.h"
#include "core/data/slice_cache.h"
#include "core/io/dataset_layout.h"
#ifdef PIX2REP_HAS_ITK
#include "core/data/dataset_preparer.h"
#include "core/data/phantom_writer.h"
#include "core/data/prepared_folder_cache.h"
#endif

namespace p2r::studio {

namespace {

// True when paths are one or more NIfTI files (each a subject), not a prepared file or a folder.
bool are_nifti_files(const std::vector<std::string>& paths) {
  return !paths.empty() && (paths.size() > 1 || is_nifti_file_name(paths[0]));
}

}  // namespace

std::string sources_description(const std::vector<std::string>& paths) {
  if (paths.empty()) return "built-in demo";
  if (paths.size() == 1) return paths[0];
  return paths[0] + " and " + std::to_string(paths.size() - 1) + (paths.size() == 2 ? " more file" : " more files");
}

SliceSet load_slices(const std::vector<std::string>& paths, ProgressSink& progress) {
  namespace fs = std::filesystem;
  if (are_nifti_files(paths)) {
    for (const std::string& file : paths)
      P2R_CHECK(is_nifti_file_name(file), "cannot open " << file << " with other files: open one folder or "
                                                               "prepared file alone, or NIfTI files (.nii, .nii.gz)");
#ifdef PIX2REP_HAS_ITK
    progress.begin("reading " + sources_description(paths), 0);
    return prepare_dataset(dataset_of_files(paths), PrepareConfig(), progress);
#else
    P2R_FAIL("cannot open " << paths[0] << ": this build has no NIfTI support (ITK); open a prepared .p2rs file instead");
#endif
  }
  const std::string path = paths.empty() ? std::string() : paths[0];
  if (path.empty()) {
#ifdef PIX2REP_HAS_ITK
    return load_demo_slice_set(progress);
#else
    progress.begin("generating phantom demo", 0);
    return make_phantom_slice_set(8, 2024);
#endif
  }
  std::error_code ec;
  P2R_CHECK(fs::exists(path, ec), "cannot open " << path << ": no such file or folder");
  if (fs::is_directory(path, ec)) {
#ifdef PIX2REP_HAS_ITK
    // Prepared once, then read from the user's cache until a file of the folder changes.
    const auto notice = [](const std::string& message) { std::fprintf(stderr, "pix2rep-studio: %s\n", message.c_str()); };
    return prepare_folder_cached(path, PrepareConfig(), progress, notice).slices;
#else
    P2R_FAIL("cannot open folder " << path << ": this build has no NIfTI support (ITK); open a "
             "prepared .p2rs file instead");
#endif
  }
  progress.begin("reading " + path, 0);
  return load_slice_set(path);
}

std::string prepared_file_of(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (are_nifti_files(paths)) return "";
  const std::string path = paths.empty() ? std::string() : paths[0];
  if (path.empty()) {
#ifdef PIX2REP_HAS_ITK
    const std::string cache = demo_prepared_file(null_progress());
    return fs::is_regular_file(cache, ec) ? cache : "";
#else
    return "";
#endif
  }
  return fs::is_regular_file(path, ec) ? fs::absolute(path).lexically_normal().string() : "";
}

DataLoader::~DataLoader() {
  if (m_worker.joinable()) {
    m_progress->cancel();
    m_worker.join();
  }
}

bool DataLoader::start(const std::vector<std::string>& paths) {
  if (busy()) return false;
  m_source = sources_description(paths);
  m_progress = std::make_unique<JobProgress>();
  m_result = std::make_shared<LoadResult>();
  m_done = std::make_shared<std::atomic<bool>>(false);
  m_result->source = m_source;
  m_result->paths = paths;
  JobProgress* progress = m_progress.get();
  m_worker = std::thread([paths, progress, result = m_result, done = m_done] {
    const auto start = std::chrono::steady_clock::now();
    try {
      auto data = std::make_shared<SliceSet>(load_slices(paths, *progress));
      P2R_CHECK(data->slice_count() > 0, "no slices in " << result->source);
      result->data = std::move(data);
      result->prepared_file = prepared_file_of(paths);
    } catch (const Cancelled&) {
      result->error = "opening " + result->source + " was cancelled";
    } catch (const Error& e) {
      result->error = e.message();
    } catch (const std::exception& e) {
      result->error = "cannot open " + result->source + ": " + e.what();
    }
    result->seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    done->store(true);
  });
  return true;
}

std::optional<LoadResult> DataLoader::poll() {
  if (!m_worker.joinable() || !m_done->load()) return std::nullopt;
  m_worker.join();
  return std::move(*m_result);
}

}  // namespace p2r::studio
