// The admin API's readers of outside input. First byte:
//   0: a request target's query string, read as every read endpoint reads it
//      (parameters, period and buckets, ledger filters and cursor, series group);
//   otherwise: a JSON body, read as the key and budget changes read it.
// An accepted value keeps its bounds; a refusal always says why.
#include <nlohmann/json.hpp>

#include "admin/budget_overrides.h"
#include "admin/keys_view.h"
#include "admin/ledger_view.h"
#include "admin/period.h"
#include "admin/series_view.h"
#include "api/query_string.h"
#include "fuzz_input.h"

namespace {

template <class T>
void refusal_says_why(const tiergate::result<T> & r) {
    if (!r && r.err().message.empty()) {
        tiergate::fuzz::violated("a refusal without a message");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    if (size == 0) {
        return 0;
    }
    const std::string text(fuzz::as_text(data + 1, size - 1));
    if (data[0] == 0) {
        auto query = api::query_params("/admin/v1/ledger?" + text);
        refusal_says_why(query);
        if (!query) {
            return 0;
        }
        refusal_says_why(admin::only_params(*query, {"range", "from", "to", "bucket", "limit", "cursor"}));
        auto p = admin::read_period(*query, 1'796'637'630'000);
        refusal_says_why(p);
        if (p && (p->from_ms >= p->to_ms || p->to_ms - p->from_ms > admin::max_period_ms ||
                  p->bucket_count() < 1 || p->bucket_count() > admin::max_buckets)) {
            fuzz::violated("an accepted period out of bounds");
        }
        if (p) {
            auto page = admin::read_ledger_query(*query, *p);
            refusal_says_why(page);
            if (page && (page->limit < 2 || page->limit > admin::max_ledger_page + 1)) {
                fuzz::violated("an accepted page size out of bounds");
            }
        }
        if (auto g = query->find("group_by"); g != query->end()) {
            (void)admin::parse_series_group(g->second);
        }
        return 0;
    }
    const auto body = nlohmann::json::parse(text, nullptr, false);
    if (body.is_discarded()) {
        return 0;
    }
    auto limits = admin::limits_from_json(body);
    refusal_says_why(limits);
    if (limits) {
        const auto back = admin::limits_from_json(admin::limits_to_json(*limits));
        if (!back) {
            fuzz::violated("accepted limits do not read back");
        }
    }
    refusal_says_why(admin::create_request_from_json(body));
    refusal_says_why(admin::change_request_from_json(body));
    return 0;
}
