#include "eval/routing_split.h"

#include "router/hashed_features.h"

namespace tiergate::eval {

const char * to_string(data_split split) {
    switch (split) {
        case data_split::train: return "train";
        case data_split::validation: return "validation";
        case data_split::test: return "test";
        case data_split::all: return "all";
    }
    return "all";
}

result<data_split> parse_split(std::string_view text) {
    if (text == "train") {
        return data_split::train;
    }
    if (text == "validation") {
        return data_split::validation;
    }
    if (text == "test") {
        return data_split::test;
    }
    if (text == "all") {
        return data_split::all;
    }
    return error::invalid("unknown split '" + std::string(text) + "': use train, validation, test or all", "split");
}

data_split split_of(std::string_view prompt, uint64_t seed) {
    const uint64_t bucket = router::hash_bytes(prompt, 0x7e57 + seed * 0x9e3779b97f4a7c15ULL) % 100;
    if (bucket < 60) {
        return data_split::train;
    }
    if (bucket < 80) {
        return data_split::validation;
    }
    return data_split::test;
}

routing_dataset select_split(const routing_dataset & dataset, data_split split, uint64_t seed) {
    routing_dataset out;
    out.models = dataset.models;
    out.files = dataset.files;
    out.dropped_contaminated = dataset.dropped_contaminated;
    for (const routing_sample & s : dataset.samples) {
        if (split == data_split::all || split_of(s.prompt, seed) == split) {
            out.samples.push_back(s);
        }
    }
    return out;
}

}  // namespace tiergate::eval
