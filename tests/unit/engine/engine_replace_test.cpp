// Replacing a model's weights while it serves: new calls get the new host, a
// generation already decoding finishes on the old one, which is then freed.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

using namespace tiergate;
using namespace tiergate::engine;

namespace {

using models = tiergate::engine::engine;

std::string model_path(const char * file) { return std::string(TIERGATE_SHARED_DIR) + "/models/" + file; }

struct done_sink : generation_sink {
    std::promise<generation_result> promise;
    std::atomic<int> tokens{0};
    bool on_token(const token_event &) override {
        ++tokens;
        return true;
    }
    void on_done(const generation_result & r) override { promise.set_value(r); }
};

std::unique_ptr<models> load_slm() {
    model_options o;
    o.name = "slm";
    o.path = model_path("stories260K.gguf");
    o.parallel = 2;
    o.threads = 1;
    auto e = models::load({o});
    EXPECT_TRUE(e) << e.err().message;
    return std::move(*e);
}

TEST(engine_replace, a_generation_in_flight_finishes_on_the_old_weights_and_new_calls_get_the_new) {
    auto eng = load_slm();
    auto old_host = eng->find("slm");
    ASSERT_TRUE(old_host);
    auto sink = std::make_shared<done_sink>();
    auto fut = sink->promise.get_future();
    generation_request req;
    req.prompt_tokens = old_host->tokenize("Once upon a time", true, false);
    req.sampling.temperature = 0.0f;
    req.max_tokens = 300;
    req.sink = sink;
    ASSERT_TRUE(old_host->submit(std::move(req)));
    while (sink->tokens.load() < 3) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::weak_ptr<model_host> watch = old_host;
    old_host.reset();

    EXPECT_EQ(eng->find("slm")->version(), "base");
    ASSERT_TRUE(eng->replace("slm", model_path("llama-2-tiny-random.gguf"), "v1"));
    EXPECT_EQ(eng->find("slm")->version(), "v1");
    EXPECT_EQ(eng->path_of("slm"), model_path("llama-2-tiny-random.gguf"));
    EXPECT_NE(eng->find("slm").get(), watch.lock().get()) << "calls starting now get the new host";
    EXPECT_EQ(eng->retiring(), 1u);

    ASSERT_EQ(fut.wait_for(std::chrono::seconds(60)), std::future_status::ready);
    const auto r = fut.get();
    EXPECT_EQ(r.reason, finish_reason::length) << "the generation ran to its end on the old weights";
    EXPECT_EQ(r.completion_tokens, 300);
    for (int i = 0; i < 500 && eng->retiring() > 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(eng->retiring(), 0u);
    EXPECT_TRUE(watch.expired()) << "the old host is freed once idle";
}

TEST(engine_replace, a_file_that_does_not_load_changes_nothing) {
    auto eng = load_slm();
    auto before = eng->find("slm");
    auto r = eng->replace("slm", "/nonexistent/student.gguf", "v1");
    ASSERT_FALSE(r);
    EXPECT_NE(r.err().message.find("/nonexistent/student.gguf"), std::string::npos) << r.err().message;
    EXPECT_EQ(eng->find("slm"), before);
    EXPECT_EQ(eng->retiring(), 0u);
    EXPECT_FALSE(eng->replace("nobody", model_path("stories260K.gguf"), "v1"));
}

}  // namespace
