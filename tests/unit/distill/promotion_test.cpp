#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unistd.h>

#include "distill/promotion_log.h"
#include "distill/promotion_watcher.h"
#include "store_backends.h"

namespace tiergate::distill {
namespace {

namespace fs = std::filesystem;

// Every test on each store: a SQLite file, and PostgreSQL when TIERGATE_TEST_PG_URL names a server.
class promotion_test : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        where_ = std::make_unique<rag::test_stores::store_location>(GetParam());
        if (where_->location().empty()) {
            GTEST_SKIP() << where_->skip_reason();
        }
    }

    std::unique_ptr<promotion_log> log() {
        auto l = open_promotion_log(where_->location());
        EXPECT_TRUE(l) << l.err().message;
        return l ? std::move(*l) : nullptr;
    }

    static promotion entry(const std::string & model, const std::string & path, const std::string & previous) {
        promotion p;
        p.model = model;
        p.path = path;
        p.previous = previous;
        p.action = "promote";
        return p;
    }

    std::unique_ptr<rag::test_stores::store_location> where_;
};

TEST_P(promotion_test, versions_count_per_model) {
    auto l = log();
    auto first = l->record(entry("slm", "/s1.gguf", "/base.gguf"));
    ASSERT_TRUE(first) << first.err().message;
    EXPECT_EQ(first->version, 1);
    EXPECT_EQ(l->record(entry("other", "/o1.gguf", "/o.gguf"))->version, 1);
    EXPECT_EQ(l->record(entry("slm", "/s2.gguf", "/s1.gguf"))->version, 2);
    auto last = l->latest("slm");
    ASSERT_TRUE(last && *last);
    EXPECT_EQ((*last)->path, "/s2.gguf");
    EXPECT_FALSE(*l->latest("nobody"));
    EXPECT_EQ(l->since(1)->size(), 2u);
}

TEST_P(promotion_test, the_watcher_applies_the_latest_at_start_then_follows) {
    auto writer = log();
    ASSERT_TRUE(writer->record(entry("slm", "/s1.gguf", "/base.gguf")));
    ASSERT_TRUE(writer->record(entry("slm", "/s2.gguf", "/s1.gguf")));
    ASSERT_TRUE(writer->record(entry("elsewhere", "/e.gguf", "/x.gguf")));
    std::mutex mu;
    std::vector<std::string> applied;
    {
        promotion_watcher w(log(), {"slm"}, [&](const promotion & p) -> result<bool> {
            std::lock_guard lock(mu);
            applied.push_back(p.path);
            if (p.path == "/broken.gguf") {
                return error::invalid("not a model", p.path);
            }
            return true;
        }, std::chrono::milliseconds(10));
        w.start();
        {
            std::lock_guard lock(mu);
            EXPECT_EQ(applied, (std::vector<std::string>{"/s2.gguf"})) << "only the latest, only its own models";
        }
        ASSERT_TRUE(writer->record(entry("slm", "/broken.gguf", "/s2.gguf")));
        ASSERT_TRUE(writer->record(entry("slm", "/s3.gguf", "/s2.gguf")));
        for (int i = 0; i < 500 && w.applied() < 2; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        EXPECT_EQ(w.applied(), 2u) << "the broken entry failed; the next one applied";
    }
    EXPECT_EQ(applied, (std::vector<std::string>{"/s2.gguf", "/broken.gguf", "/s3.gguf"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, promotion_test, ::testing::Values("sqlite", "postgresql"),
                         [](const auto & info) { return info.param; });

}  // namespace
}  // namespace tiergate::distill
