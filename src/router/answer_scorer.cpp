#include "router/answer_scorer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cmath>

namespace tiergate::router {

namespace {

// Feature families; each key is (family, detail, model), the model 0 for the
// shared copy.
enum family : uint64_t {
    f_bias = 1,
    f_length,
    f_terse,
    f_empty,
    f_found,
    f_kind,
    f_refusal,
    f_hedges,
    f_code,
    f_code_balanced,
    f_code_language,
    f_many_options,
    f_overlap,
    f_value,
    f_has_others,
    f_agree_share,
    f_all_agree,
    f_none_agree,
    f_plurality,
    f_partner,
    f_has_logprob,
    f_mean_logprob,
    f_min_logprob,
    f_prompt_word,
    f_answer_word,
    f_agree_by_kind,
    f_similarity,
    f_similarity_by_kind,
};

// A 512-bit set of an answer's words, for a textual agreement between two
// answers that have no comparable final answer (code, prose).
struct word_signature {
    std::array<uint64_t, 8> bits{};
    int count() const {
        int c = 0;
        for (uint64_t b : bits) {
            c += std::popcount(b);
        }
        return c;
    }
};

word_signature signature_of(std::string_view text) {
    word_signature sig;
    const size_t limit = std::min<size_t>(text.size(), 4096);
    size_t i = 0;
    while (i < limit) {
        while (i < limit && !std::isalnum(static_cast<unsigned char>(text[i])) && text[i] != '_') {
            ++i;
        }
        uint64_t h = 0xcbf29ce484222325ULL;
        size_t j = i;
        while (j < limit && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) {
            h = (h ^ static_cast<unsigned char>(text[j])) * 0x100000001b3ULL;
            ++j;
        }
        if (j > i) {
            const uint64_t m = mix_hash(h);
            sig.bits[(m >> 6) & 7] |= uint64_t{1} << (m & 63);
        }
        i = j;
    }
    return sig;
}

double jaccard(const word_signature & a, const word_signature & b) {
    int both = 0;
    int either = 0;
    for (size_t w = 0; w < a.bits.size(); ++w) {
        both += std::popcount(a.bits[w] & b.bits[w]);
        either += std::popcount(a.bits[w] | b.bits[w]);
    }
    return either > 0 ? static_cast<double>(both) / either : 0.0;
}

uint64_t key(uint64_t fam, uint64_t detail, uint64_t model) {
    return mix_hash(fam * 0x9e3779b97f4a7c15ULL + detail) ^ (model * 0xc2b2ae3d27d4eb4fULL);
}

feature_config words_config(uint32_t max_bytes, bool bigrams) {
    feature_config c;
    c.hash_bits = 26;
    c.word_unigrams = true;
    c.word_bigrams = bigrams;
    c.char_min = 0;
    c.char_max = 0;
    c.max_text_bytes = max_bytes;
    c.dense_set = 1;
    return c;
}

uint64_t model_hash(std::string_view model) { return hash_bytes(model, 0x5c0e) | 1; }

// A feature's shared copy and its copy crossed with the model.
void add_both(feature_sink & sink, uint64_t fam, uint64_t detail, uint64_t model, float value) {
    if (value != 0.0f) {
        sink.add(key(fam, detail, 0), value);
        sink.add(key(fam, detail, model), value);
    }
}

}  // namespace

std::string scorer_model::check() const {
    if (features.hash_bits < 8 || features.hash_bits > 26) {
        return "hash_bits must be within 8..26";
    }
    if (weights.size() != (size_t{1} << features.hash_bits)) {
        return "the weights do not match hash_bits";
    }
    if (!std::isfinite(bias)) {
        return "the bias is not finite";
    }
    for (float w : weights) {
        if (!std::isfinite(w)) {
            return "a weight is not finite";
        }
    }
    if (costs.size() != models.size()) {
        return "costs and models differ in length";
    }
    if (!chain.empty() && thresholds.size() + 1 != chain.size()) {
        return "a chain of N stages needs N-1 thresholds";
    }
    for (const cascade_stage & stage : chain) {
        if (stage.empty() || stage.size() > 3) {
            return "a chain stage holds one to three models";
        }
    }
    for (double t : thresholds) {
        if (!(t >= 0.0 && t <= 1.0)) {
            return "a threshold is not a probability within 0..1";
        }
    }
    return {};
}

answer_features::answer_features(scorer_feature_config config)
    : config_(config),
      prompt_words_(words_config(config.max_text_bytes, false)),
      answer_words_(words_config(config.max_text_bytes, true)) {}

void answer_features::visit(const scorer_input & in, feature_sink & sink) const {
    visit_own(in, sink);
    visit_agreement(in, sink);
}

void answer_features::visit_agreement(const scorer_input & in, feature_sink & sink) const {
    if (in.others.empty()) {
        return;
    }
    const scored_answer & a = *in.answer;
    const uint64_t m = model_hash(a.model);
    const auto both = [&](uint64_t fam, uint64_t detail, float value) { add_both(sink, fam, detail, m, value); };
    size_t agree = 0;
    for (const scored_answer * o : in.others) {
        const bool same = a.final.agrees_with(o->final);
        agree += same ? 1 : 0;
        const uint64_t partner = model_hash(o->model);
        both(f_partner, partner * 4 + (same ? 1 : 2) + (o->final.found() ? 0 : 1), 1.0f);
    }
    const float n = static_cast<float>(in.others.size());
    both(f_has_others, 0, 1.0f);
    both(f_agree_share, 0, static_cast<float>(agree) / n);
    both(f_all_agree, 0, agree == in.others.size() ? 1.0f : 0.0f);
    both(f_none_agree, 0, agree == 0 ? 1.0f : 0.0f);
    // Whether this answer is the most common final answer among all of them.
    size_t best_other = 0;
    for (const scored_answer * o : in.others) {
        size_t count = 0;
        for (const scored_answer * p : in.others) {
            count += o->final.agrees_with(p->final) ? 1 : 0;
        }
        best_other = std::max(best_other, count);
    }
    both(f_plurality, 0, a.final.found() && agree + 1 >= best_other ? 1.0f : 0.0f);
    // Agreement means more where agreeing by chance is rare: by the kind of
    // answer and, for options, by how many there are.
    const uint64_t option_count = in.options != nullptr ? std::min<size_t>(in.options->options.size(), 10) : 0;
    const uint64_t kind = static_cast<uint64_t>(a.final.kind) * 16 + option_count;
    both(f_agree_by_kind, kind, static_cast<float>(agree) / n);
    // Textual agreement: the mean word overlap with the others.
    const word_signature mine = signature_of(a.text);
    double similarity = 0;
    for (const scored_answer * o : in.others) {
        similarity += jaccard(mine, signature_of(o->text));
    }
    similarity /= n;
    both(f_similarity, 0, static_cast<float>(similarity));
    both(f_similarity_by_kind, kind, static_cast<float>(similarity));
}

void answer_features::visit_own(const scorer_input & in, feature_sink & sink) const {
    const scored_answer & a = *in.answer;
    const uint64_t m = model_hash(a.model);
    const auto both = [&](uint64_t fam, uint64_t detail, float value) { add_both(sink, fam, detail, m, value); };
    auto crossed = [&](uint64_t fam, uint64_t detail, float value) {
        if (value != 0.0f) {
            sink.add(key(fam, detail, m), value);
        }
    };
    static const prompt_options no_options;
    const prompt_options & options = in.options != nullptr ? *in.options : no_options;

    both(f_bias, 0, 1.0f);
    std::string_view text = a.text;
    size_t trimmed = 0;
    for (char c : text) {
        trimmed += (c == ' ' || c == '\n' || c == '\t' || c == '\r') ? 0 : 1;
    }
    both(f_length, 0, static_cast<float>(std::log1p(static_cast<double>(text.size())) / 8.0));
    both(f_terse, 0, trimmed <= 3 ? 1.0f : 0.0f);
    both(f_empty, 0, trimmed == 0 ? 1.0f : 0.0f);
    both(f_found, 0, a.final.found() ? 1.0f : 0.0f);
    both(f_kind, static_cast<uint64_t>(a.final.kind), 1.0f);
    const answer_cues cues = read_cues(options, text);
    both(f_refusal, 0, cues.refusal ? 1.0f : 0.0f);
    both(f_hedges, 0, static_cast<float>(cues.hedges) / 4.0f);
    both(f_code, 0, cues.code_block ? 1.0f : 0.0f);
    both(f_code_balanced, 0, cues.code_balanced ? 1.0f : 0.0f);
    if (!cues.code_language.empty()) {
        both(f_code_language, hash_bytes(cues.code_language, 7), 1.0f);
    }
    both(f_many_options, 0, cues.options_mentioned > 1 ? 1.0f : 0.0f);
    both(f_overlap, 0, static_cast<float>(cues.prompt_overlap));
    if (a.final.found() && !a.final.value.empty()) {
        crossed(f_value, hash_bytes(a.final.value, 11), 1.0f);
    }

    if (a.mean_logprob) {
        crossed(f_has_logprob, 0, 1.0f);
        crossed(f_mean_logprob, 0, std::isfinite(*a.mean_logprob) ? std::clamp(*a.mean_logprob, -10.0f, 0.0f) / 5.0f : 0.0f);
        if (a.min_logprob && std::isfinite(*a.min_logprob)) {
            crossed(f_min_logprob, 0, std::clamp(*a.min_logprob, -30.0f, 0.0f) / 10.0f);
        }
    }

    // Words: the prompt's crossed with the model, the answer's shared and crossed.
    // One pass over each text collects its buckets, then each gets 1/sqrt(count).
    thread_local std::vector<uint32_t> buckets;
    const std::vector<uint32_t> * words = in.prompt_words;
    if (words == nullptr) {
        prompt_words(in.prompt, buckets);
        words = &buckets;
    }
    if (!words->empty()) {
        const float v = 1.0f / std::sqrt(static_cast<float>(words->size()));
        for (uint32_t b : *words) {
            crossed(f_prompt_word, b, v);
        }
    }
    buckets.clear();
    answer_words_.for_each_hashed(text, [&](uint32_t b) { buckets.push_back(b); });
    if (!buckets.empty()) {
        const float v = 1.0f / std::sqrt(static_cast<float>(buckets.size()));
        for (uint32_t b : buckets) {
            both(f_answer_word, b, v);
        }
    }
}

answer_scorer::answer_scorer(scorer_model model) : model_(std::move(model)), features_(model_.features) {}

void answer_features::prompt_words(std::string_view prompt, std::vector<uint32_t> & out) const {
    out.clear();
    prompt_words_.for_each_hashed(prompt, [&](uint32_t b) { out.push_back(b); });
}

std::vector<uint32_t> answer_scorer::prompt_words(std::string_view prompt) const {
    std::vector<uint32_t> out;
    features_.prompt_words(prompt, out);
    return out;
}

float answer_scorer::probability(double logit) { return static_cast<float>(1.0 / (1.0 + std::exp(-logit))); }

double answer_scorer::own_logit(const scorer_input & input) const {
    feature_sink sink;
    sink.weights = model_.weights.data();
    sink.mask = features_.mask();
    features_.visit_own(input, sink);
    return sink.sum + model_.bias;
}

double answer_scorer::agreement_logit(const scorer_input & input) const {
    feature_sink sink;
    sink.weights = model_.weights.data();
    sink.mask = features_.mask();
    features_.visit_agreement(input, sink);
    return sink.sum;
}

float answer_scorer::score(const scorer_input & input) const {
    return probability(own_logit(input) + agreement_logit(input));
}

}  // namespace tiergate::router
