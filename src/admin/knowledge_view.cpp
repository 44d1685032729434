#include "admin/knowledge_view.h"

#include <map>
#include <set>
#include <string_view>

namespace tiergate::admin {

nlohmann::json knowledge_view(const std::vector<rag::collection_info> & collections,
                              const std::vector<ledger::usage_record> & records, const period & p) {
    struct use {
        int64_t requests = 0;
        int64_t chunks = 0;
    };
    std::map<std::string, use, std::less<>> by_collection;
    int64_t with_retrieval = 0;
    for (const auto & r : records) {
        if (r.retrieved.empty()) {
            continue;
        }
        ++with_retrieval;
        std::set<std::string_view> seen;
        std::string_view rest = r.retrieved;
        while (!rest.empty()) {
            const size_t space = rest.find(' ');
            const std::string_view item = rest.substr(0, space);
            rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
            const size_t colon = item.find(':');
            if (item.empty() || colon == std::string_view::npos) {
                continue;
            }
            const std::string_view collection = item.substr(0, colon);
            auto it = by_collection.find(collection);
            if (it == by_collection.end()) {
                it = by_collection.emplace(std::string(collection), use{}).first;
            }
            ++it->second.chunks;
            if (seen.insert(collection).second) {
                ++it->second.requests;
            }
        }
    }
    nlohmann::json out = nlohmann::json::array();
    for (const auto & c : collections) {
        const auto it = by_collection.find(c.id);
        const use u = it == by_collection.end() ? use{} : it->second;
        out.push_back({{"id", c.id},
                       {"name", c.name},
                       {"team", c.team},
                       {"documents", c.documents},
                       {"chunks", c.chunks},
                       {"bytes", c.bytes},
                       {"embedding_model", c.embedding_model},
                       {"dims", c.dims},
                       {"on_prem_only", c.on_prem_only},
                       {"created_ms", c.created_ms},
                       {"requests", u.requests},
                       {"chunks_retrieved", u.chunks}});
    }
    return {{"from_ms", p.from_ms},
            {"to_ms", p.to_ms},
            {"requests", static_cast<int64_t>(records.size())},
            {"requests_with_retrieval", with_retrieval},
            {"collections", out}};
}

}  // namespace tiergate::admin
