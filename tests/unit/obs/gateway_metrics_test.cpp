#include "obs/gateway_metrics.h"

#include <gtest/gtest.h>

using namespace tiergate::obs;

TEST(gateway_metrics, registers_every_family_once) {
    metrics_registry r;
    gateway_metrics m(r);
    m.requests.with({"slm", "llama-3b", "default", "200"}).inc();
    m.ledger_queue_depth.with({}).set(3);
    const std::string text = r.expose();
    for (const char * name :
         {"tiergate_requests_total", "tiergate_tokens_total", "tiergate_cost_usd_total",
          "tiergate_counterfactual_cost_usd_total", "tiergate_savings_usd_total", "tiergate_request_duration_seconds",
          "tiergate_time_to_first_token_seconds", "tiergate_escalations_total", "tiergate_fallbacks_total",
          "tiergate_pii_detections_total", "tiergate_budget_rejections_total", "tiergate_ledger_queue_depth"}) {
        EXPECT_NE(text.find(std::string("# TYPE ") + name + " "), std::string::npos) << name;
    }
    EXPECT_NE(text.find("tiergate_ledger_queue_depth 3\n"), std::string::npos);
    EXPECT_THROW(gateway_metrics again(r), std::invalid_argument);
}
