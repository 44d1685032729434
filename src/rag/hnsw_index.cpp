#include "rag/hnsw_index.h"
#include "rag/inner_product.h"

#include <hnswlib/hnswlib.h>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <atomic>
#include <mutex>
#include <thread>

namespace tiergate::rag {

inner_product::inner_product(uint32_t dims) : space_(std::make_unique<hnswlib::InnerProductSpace>(dims)) {
    fn_ = space_->get_dist_func();
    param_ = space_->get_dist_func_param();
}

inner_product::~inner_product() = default;

hnsw_index::hnsw_index(uint32_t dims, hnsw_settings settings, size_t capacity)
    : dims_(dims), settings_(settings), space_(std::make_unique<hnswlib::InnerProductSpace>(dims)) {
    graph_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(space_.get(), std::max<size_t>(capacity, 16), settings.m,
                                                                settings.ef_construction, 100);
    graph_->setEf(settings.ef_search);
}

hnsw_index::~hnsw_index() = default;

size_t hnsw_index::size() const {
    std::shared_lock lock(mu_);
    return graph_->cur_element_count - graph_->num_deleted_;
}

void hnsw_index::add(int64_t id, std::span<const float> v) {
    if (v.size() != dims_) {
        return;
    }
    std::unique_lock lock(mu_);
    if (graph_->cur_element_count >= graph_->max_elements_) {
        graph_->resizeIndex(graph_->max_elements_ * 2);
    }
    graph_->addPoint(v.data(), static_cast<hnswlib::labeltype>(id));
}

void hnsw_index::add_many(const std::vector<int64_t> & ids, const std::vector<float> & vectors, size_t threads) {
    if (ids.empty() || vectors.size() != ids.size() * dims_) {
        return;
    }
    std::unique_lock lock(mu_);
    const size_t need = graph_->cur_element_count + ids.size();
    if (need > graph_->max_elements_) {
        graph_->resizeIndex(std::max(need, graph_->max_elements_ * 2));
    }
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t i = next++; i < ids.size(); i = next++) {
            graph_->addPoint(vectors.data() + i * dims_, static_cast<hnswlib::labeltype>(ids[i]));
        }
    };
    std::vector<std::thread> helpers;
    for (size_t t = 1; t < std::max<size_t>(threads, 1); ++t) {
        helpers.emplace_back(work);
    }
    work();
    for (auto & h : helpers) {
        h.join();
    }
}

void hnsw_index::remove(int64_t id) {
    std::unique_lock lock(mu_);
    try {
        graph_->markDelete(static_cast<hnswlib::labeltype>(id));
    } catch (const std::exception &) {
        // not in the index (never embedded, or already removed)
    }
}

void hnsw_index::set_ef(size_t ef) {
    std::unique_lock lock(mu_);
    settings_.ef_search = ef;
    graph_->setEf(ef);
}

std::vector<scored_chunk> hnsw_index::search(std::span<const float> query, size_t k) const {
    std::vector<scored_chunk> out;
    if (query.size() != dims_ || k == 0) {
        return out;
    }
    std::shared_lock lock(mu_);
    const size_t live = graph_->cur_element_count - graph_->num_deleted_;
    if (live == 0) {
        return out;
    }
    auto found = graph_->searchKnn(query.data(), std::min(k, live));
    out.resize(found.size());
    for (size_t j = out.size(); j-- > 0;) {
        out[j] = {static_cast<int64_t>(found.top().second), 1.0 - found.top().first};
        found.pop();
    }
    return out;
}

namespace {

// An flock on `<path>.lock`, released when it goes out of scope.
class file_lock {
  public:
    file_lock(const std::string & path, bool exclusive) {
        fd_ = ::open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ >= 0 && ::flock(fd_, exclusive ? LOCK_EX : LOCK_SH) != 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    ~file_lock() {
        if (fd_ >= 0) {
            ::flock(fd_, LOCK_UN);
            ::close(fd_);
        }
    }
    file_lock(const file_lock &) = delete;
    file_lock & operator=(const file_lock &) = delete;
    bool held() const { return fd_ >= 0; }

  private:
    int fd_ = -1;
};

}  // namespace

result<bool> hnsw_index::save(const std::string & path, const index_stamp & stamp) const {
    std::shared_lock lock(mu_);
    file_lock saving(path, true);
    if (!saving.held()) {
        return error{error_kind::internal, "locking the vector index " + path + ": " + std::strerror(errno), "",
                     "rag_index_failed", {}};
    }
    const std::string tmp = path + ".tmp";
    try {
        graph_->saveIndex(tmp);
    } catch (const std::exception & e) {
        return error{error_kind::internal, "saving the vector index " + path + ": " + e.what(), "", "rag_index_failed", {}};
    }
    {
        std::ofstream meta(path + ".meta.tmp", std::ios::trunc);
        meta << nlohmann::json{{"version", stamp.version}, {"created_ms", stamp.created_ms}, {"dims", dims_}, {"m", settings_.m}}
                    .dump();
        if (!meta) {
            return error{error_kind::internal, "writing " + path + ".meta", "", "rag_index_failed", {}};
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (!ec) {
        std::filesystem::rename(path + ".meta.tmp", path + ".meta", ec);
    }
    if (ec) {
        return error{error_kind::internal, "saving the vector index " + path + ": " + ec.message(), "",
                     "rag_index_failed", {}};
    }
    return true;
}

std::unique_ptr<hnsw_index> hnsw_index::load(const std::string & path, uint32_t dims, hnsw_settings settings,
                                             index_stamp & stamp) {
    file_lock reading(path, false);
    std::ifstream meta_in(path + ".meta");
    if (!meta_in) {
        return nullptr;
    }
    nlohmann::json meta = nlohmann::json::parse(meta_in, nullptr, false);
    if (!meta.is_object() || !meta.contains("version") || !meta["version"].is_number_integer() ||
        meta.value("dims", 0u) != dims || meta.value("m", size_t{0}) != settings.m) {
        return nullptr;
    }
    stamp.version = meta["version"].get<int64_t>();
    stamp.created_ms = meta.value("created_ms", int64_t{0});
    auto index = std::make_unique<hnsw_index>(dims, settings, 16);
    try {
        index->graph_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(index->space_.get(), path, false, 0);
    } catch (const std::exception &) {
        return nullptr;
    }
    if (index->graph_->data_size_ != dims * sizeof(float)) {
        return nullptr;
    }
    // hnswlib's loading constructor adds the file's deletions to a count it
    // never initialized: count them again.
    size_t deleted = 0;
    for (size_t i = 0; i < index->graph_->cur_element_count; ++i) {
        deleted += index->graph_->isMarkedDeleted(static_cast<hnswlib::tableint>(i)) ? 1 : 0;
    }
    index->graph_->num_deleted_ = deleted;
    index->graph_->setEf(settings.ef_search);
    return index;
}

}  // namespace tiergate::rag
