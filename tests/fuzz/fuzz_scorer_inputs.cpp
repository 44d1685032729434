// The answer scorer's readers of outside input. First byte:
//   0: the scorer file loader on a hostile file: a model or an error with a message;
//   otherwise: a prompt and answers (split at NUL bytes) read as the cascade
//   reads them: options, final answers, cues and a score that is a probability.
#include <cmath>
#include <vector>

#include "fuzz_input.h"
#include "router/answer_scorer.h"
#include "router/final_answer.h"
#include "router/scorer_file.h"

namespace {

tiergate::router::answer_scorer & scorer() {
    static tiergate::router::answer_scorer s([] {
        tiergate::router::scorer_model m;
        m.features.hash_bits = 10;
        m.weights.assign(size_t{1} << 10, 0.0f);
        for (size_t i = 0; i < m.weights.size(); ++i) {
            m.weights[i] = static_cast<float>(static_cast<int>(i % 7) - 3) * 0.5f;  // non-zero: sums are exercised
        }
        return m;
    }());
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    if (size == 0) {
        return 0;
    }
    if (data[0] == 0) {
        fuzz::scratch_file file(data + 1, size - 1);
        auto model = router::load_scorer(file.path());
        if (!model.ok() && model.err().message.empty()) {
            fuzz::violated("a refused scorer file has no message");
        }
        if (model.ok() && !model->check().empty()) {
            fuzz::violated("a loaded scorer file is inconsistent");
        }
        return 0;
    }
    const std::string_view text = fuzz::as_text(data + 1, size - 1);
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '\0') {
            parts.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    const std::string_view prompt = parts[0];
    const router::prompt_options options = router::prompt_options::read(prompt);
    std::vector<router::scored_answer> answers;
    for (size_t p = 1; p < parts.size() && p < 6; ++p) {
        router::scored_answer a;
        a.model = p % 2 == 0 ? "even" : "odd";
        a.text = parts[p];
        a.final = router::extract_final_answer(options, a.text);
        if (a.final.kind == router::answer_kind::option &&
            (a.final.value.size() != 1 || !options.has(a.final.value[0]))) {
            fuzz::violated("an option the prompt does not offer");
        }
        const router::answer_cues cues = router::read_cues(options, a.text);
        if (!(cues.prompt_overlap >= 0.0 && cues.prompt_overlap <= 1.0) || cues.hedges > 8) {
            fuzz::violated("cues out of range");
        }
        answers.push_back(std::move(a));
    }
    std::vector<const router::scored_answer *> others;
    for (size_t i = 0; i < answers.size(); ++i) {
        others.clear();
        for (size_t j = 0; j < answers.size(); ++j) {
            if (j != i) {
                others.push_back(&answers[j]);
            }
        }
        const float p = scorer().score({prompt, &options, &answers[i], others});
        if (!(p >= 0.0f && p <= 1.0f)) {
            fuzz::violated("a score that is not a probability");
        }
    }
    return 0;
}
