#include "eval/cascade_eval.h"

#include "eval/scorer_train.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace tiergate::eval {

namespace {

std::string short_name(const std::string & model) {
    const size_t slash = model.rfind('/');
    return slash == std::string::npos ? model : model.substr(slash + 1);
}

// Chains of stages of increasing cost: model indices sorted by cost, each
// stage after the previous one's most expensive model.
void enumerate_chains(const std::vector<size_t> & by_cost, const cascade_options & options,
                      std::vector<std::vector<std::vector<size_t>>> & out) {
    const size_t k = by_cost.size();
    std::vector<std::vector<size_t>> chain;
    // extend(from): add single-model stages starting at position `from` of by_cost.
    auto extend = [&](auto && self, size_t from) -> void {
        if (!chain.empty()) {
            out.push_back(chain);
        }
        if (chain.size() >= options.max_stages) {
            return;
        }
        for (size_t p = from; p < k; ++p) {
            chain.push_back({by_cost[p]});
            self(self, p + 1);
            chain.pop_back();
        }
    };
    extend(extend, 0);
    if (options.parallel_start < 2 || options.max_stages < 1) {
        return;
    }
    for (size_t a = 0; a < k; ++a) {
        for (size_t b = a + 1; b < k; ++b) {
            chain.assign(1, {by_cost[a], by_cost[b]});
            extend(extend, b + 1);
            if (options.parallel_start < 3) {
                continue;
            }
            for (size_t c = b + 1; c < k; ++c) {
                chain.assign(1, {by_cost[a], by_cost[b], by_cost[c]});
                extend(extend, c + 1);
            }
        }
    }
}

std::vector<double> quantiles(std::vector<float> values, size_t count) {
    std::vector<double> out;
    if (values.empty() || count == 0) {
        return out;
    }
    std::sort(values.begin(), values.end());
    for (size_t q = 1; q <= count; ++q) {
        const size_t at = std::min(values.size() - 1, q * values.size() / (count + 1));
        out.push_back(values[at]);
    }
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// Cheapest first; a point is kept when it beats every cheaper one.
std::vector<cascade_point> pareto(std::vector<cascade_point> points) {
    std::sort(points.begin(), points.end(), [](const cascade_point & a, const cascade_point & b) {
        return a.point.cost < b.point.cost || (a.point.cost == b.point.cost && a.point.quality > b.point.quality);
    });
    std::vector<cascade_point> out;
    double best = -1.0;
    for (auto & p : points) {
        if (p.point.quality > best + 1e-12) {
            best = p.point.quality;
            out.push_back(std::move(p));
        }
    }
    return out;
}

}  // namespace

std::string describe_config(const cascade_config & config, std::span<const std::string> models) {
    std::string out;
    for (size_t s = 0; s < config.stages.size(); ++s) {
        if (s > 0) {
            out += " > ";
        }
        if (s == 0 && config.routed) {
            char r[48];
            std::snprintf(r, sizeof(r), "router(%.4g)%s", config.route, config.stages[0].empty() ? "" : "+");
            out += r;
        }
        for (size_t j = 0; j < config.stages[s].size(); ++j) {
            out += (j > 0 ? "+" : "") + short_name(models[config.stages[s][j]]);
        }
        if (s < config.thresholds.size()) {
            char t[32];
            std::snprintf(t, sizeof(t), "@%.3f", config.thresholds[s]);
            out += t;
        }
    }
    return out;
}

result<cascade_replay> cascade_replay::prepare(const router::answer_scorer & scorer, const routing_dataset & data,
                                              const router::learned_router * router) {
    cascade_replay r;
    r.scorer_ = &scorer;
    r.router_ = router;
    const auto & sm = scorer.model();
    // The scorer's models the data has answers of (an empty answer of such a model is an answer).
    const std::vector<size_t> answered = answered_models(data);
    std::vector<size_t> column;
    for (size_t m = 0; m < sm.models.size(); ++m) {
        const size_t c = data.model_index(sm.models[m]);
        if (c != std::string_view::npos && std::find(answered.begin(), answered.end(), c) != answered.end()) {
            column.push_back(c);
            r.models_.push_back(sm.models[m]);
            r.mean_costs_.push_back(sm.costs[m]);
        }
    }
    if (r.models_.size() < 2) {
        return error::invalid("the data holds answers of fewer than two of the scorer's models", "data", "model_not_in_data");
    }
    r.k_ = r.models_.size();
    for (size_t m = 1; m < r.k_; ++m) {
        if (r.mean_costs_[m] > r.mean_costs_[r.strong_]) {
            r.strong_ = m;
        }
    }
    for (const routing_sample & s : data.samples) {
        bool complete = true;
        for (size_t c : column) {
            complete = complete && !std::isnan(s.quality[c]);
        }
        if (!complete) {
            ++r.skipped_;
            continue;
        }
        r.prompts_.push_back(s.prompt);
        ++r.n_;
    }
    if (r.n_ == 0) {
        return error::invalid("no prompt in the data has a quality and an answer for every scorer model", "data",
                              "empty_data");
    }
    r.options_.reserve(r.n_);
    r.answers_.reserve(r.n_ * r.k_);
    size_t i = 0;
    for (const routing_sample & s : data.samples) {
        if (i >= r.n_ || s.prompt.data() != r.prompts_[i].data()) {
            continue;
        }
        r.options_.push_back(router::prompt_options::read(s.prompt));
        for (size_t m = 0; m < r.k_; ++m) {
            const size_t c = column[m];
            router::scored_answer a;
            a.model = r.models_[m];
            a.text = s.answers[c];
            a.final = router::extract_final_answer(r.options_.back(), a.text);
            r.answers_.push_back(std::move(a));
            r.quality_.push_back(s.quality[c]);
            r.cost_.push_back(std::isnan(s.cost[c]) ? static_cast<float>(r.mean_costs_[m]) : s.cost[c]);
        }
        ++i;
    }
    if (router != nullptr) {
        for (const std::string & name : router->model().models) {
            const size_t m = r.index_of(name);
            if (m == std::string_view::npos) {
                return error::invalid("router model '" + name + "' has no stored answers for the scorer", "router",
                                      "model_not_in_data");
            }
            r.router_to_replay_.push_back(m);
        }
        std::vector<float> predicted(router->model_count());
        for (size_t j = 0; j < r.n_; ++j) {
            router->predict(r.prompts_[j], predicted);
            r.predicted_.insert(r.predicted_.end(), predicted.begin(), predicted.end());
        }
    }
    r.own_.resize(r.n_ * r.k_);
    for (size_t j = 0; j < r.n_; ++j) {
        const std::vector<uint32_t> words = scorer.prompt_words(r.prompts_[j]);
        for (size_t m = 0; m < r.k_; ++m) {
            const router::scorer_input in{r.prompts_[j], &r.options_[j], &r.answers_[j * r.k_ + m], {}, &words};
            r.own_[j * r.k_ + m] = scorer.own_logit(in);
        }
    }
    return r;
}

std::vector<size_t> cascade_replay::models_by_cost() const {
    std::vector<size_t> by_cost(k_);
    for (size_t m = 0; m < k_; ++m) {
        by_cost[m] = m;
    }
    std::stable_sort(by_cost.begin(), by_cost.end(), [&](size_t a, size_t b) { return mean_costs_[a] < mean_costs_[b]; });
    return by_cost;
}

size_t cascade_replay::index_of(std::string_view model) const {
    for (size_t m = 0; m < models_.size(); ++m) {
        if (models_[m] == model) {
            return m;
        }
    }
    return std::string_view::npos;
}

void cascade_replay::replay(size_t i, const std::vector<std::vector<size_t>> & stages,
                            std::vector<stage_outcome> & out) const {
    out.clear();
    std::vector<const router::scored_answer *> seen;
    std::vector<const router::scored_answer *> others;
    float cost = 0;
    bool strong = false;
    std::vector<size_t> called;
    uint8_t waits = 0;
    for (const auto & stage : stages) {
        bool all_called = true;
        for (size_t m : stage) {
            if (std::find(called.begin(), called.end(), m) != called.end()) {
                continue;
            }
            all_called = false;
            called.push_back(m);
            cost += cost_[i * k_ + m];
            strong = strong || m == strong_;
        }
        stage_outcome o;
        o.score = -1.0f;
        if (all_called) {  // its answers are in already: the stage keeps the best of them
            o.score = 2.0f;
            o.quality = -1.0f;
            for (size_t m : stage) {
                o.quality = std::max(o.quality, quality_[i * k_ + m]);
            }
            o.cost = cost;
            o.strong = strong;
            o.calls = static_cast<uint8_t>(called.size());
            o.waits = waits;
            out.push_back(o);
            continue;
        }
        ++waits;
        for (size_t m : stage) {
            others = seen;
            for (size_t p : stage) {
                if (p != m) {
                    others.push_back(&answers_[i * k_ + p]);
                }
            }
            double logit = own_[i * k_ + m];
            if (!others.empty()) {
                const router::scorer_input in{prompts_[i], &options_[i], &answers_[i * k_ + m], others};
                logit += scorer_->agreement_logit(in);
            }
            const float p = router::answer_scorer::probability(logit);
            if (p > o.score) {
                o.score = p;
                o.quality = quality_[i * k_ + m];
            }
        }
        o.cost = cost;
        o.strong = strong;
        o.calls = static_cast<uint8_t>(called.size());
        o.waits = waits;
        out.push_back(o);
        for (size_t m : stage) {
            seen.push_back(&answers_[i * k_ + m]);
        }
    }
}

const std::vector<std::vector<size_t>> & cascade_replay::resolve(size_t i, const cascade_config & config,
                                                                 std::vector<std::vector<size_t>> & scratch) const {
    if (config.stages.empty() || !config.routed || router_ == nullptr) {
        return config.stages;
    }
    scratch = config.stages;
    const size_t kr = router_->model_count();
    const size_t pick = router_to_replay_[router_->pick(std::span<const float>(&predicted_[i * kr], kr),
                                                        router_->model().rule, config.route)];
    if (std::find(scratch[0].begin(), scratch[0].end(), pick) == scratch[0].end()) {
        scratch[0].insert(scratch[0].begin(), pick);
    }
    return scratch;
}

cascade_point cascade_replay::summarize(const std::vector<stage_outcome> & table, size_t stages,
                                        cascade_config config) const {
    double quality = 0;
    double cost = 0;
    double calls = 0;
    double sequential = 0;
    size_t strong_calls = 0;
    for (size_t i = 0; i < n_; ++i) {
        const stage_outcome * row = &table[i * stages];
        size_t s = 0;  // the first stage whose answer is accepted; the last always is
        while (s + 1 < stages && (s >= config.thresholds.size() || row[s].score < config.thresholds[s])) {
            ++s;
        }
        quality += row[s].quality;
        cost += row[s].cost;
        strong_calls += row[s].strong ? 1 : 0;
        calls += row[s].calls;
        sequential += row[s].waits;
    }
    const double n = static_cast<double>(n_);
    cascade_point p;
    p.point = curve_point{0, strong_calls / n, quality / n, cost / n};
    p.calls = calls / n;
    p.sequential = sequential / n;
    p.config = std::move(config);
    return p;
}

void cascade_replay::outcomes(const cascade_config & config, std::vector<stage_outcome> & table) const {
    std::vector<std::vector<size_t>> scratch;
    std::vector<stage_outcome> out;
    table.clear();
    for (size_t i = 0; i < n_; ++i) {
        replay(i, resolve(i, config, scratch), out);
        table.insert(table.end(), out.begin(), out.end());
    }
}

cascade_point cascade_replay::evaluate(const cascade_config & config) const {
    std::vector<stage_outcome> table;
    outcomes(config, table);
    return summarize(table, config.stages.size(), config);
}

namespace {

// Router settings to try: for the tradeoff rule 0 and a geometric range of
// lambda; for the threshold rule a linear range of thresholds.
std::vector<double> route_settings(const router::learned_router & router, size_t count) {
    std::vector<double> out;
    if (count == 0) {
        return out;
    }
    if (router.model().rule == router::pick_rule::threshold) {
        for (size_t j = 0; j < count; ++j) {
            out.push_back(0.05 + 0.9 * static_cast<double>(j) / static_cast<double>(std::max<size_t>(1, count - 1)));
        }
        return out;
    }
    out.push_back(0.0);
    for (size_t j = 1; j < count; ++j) {
        out.push_back(0.01 * std::pow(500.0, static_cast<double>(j - 1) / static_cast<double>(std::max<size_t>(1, count - 2))));
    }
    return out;
}

}  // namespace

std::vector<cascade_point> cascade_replay::frontier(const cascade_options & options, size_t * swept) const {
    const std::vector<size_t> by_cost = models_by_cost();
    std::vector<std::vector<std::vector<size_t>>> chains;
    enumerate_chains(by_cost, options, chains);
    std::vector<cascade_config> specs;
    for (auto & stages : chains) {
        specs.push_back({std::move(stages), {}, false, 0.0});
    }
    if (router_ != nullptr) {
        // The router's pick first, then up to max_stages - 1 stages of one model.
        cascade_options rest = options;
        rest.max_stages = options.max_stages - 1;
        rest.parallel_start = 1;
        std::vector<std::vector<std::vector<size_t>>> tails;
        enumerate_chains(by_cost, rest, tails);
        std::vector<std::vector<size_t>> firsts = {{}};
        if (options.parallel_start >= 2) {
            for (size_t m = 0; m < k_; ++m) {
                firsts.push_back({m});
            }
        }
        for (double route : route_settings(*router_, options.route_grid)) {
            for (const auto & first : firsts) {
                specs.push_back({{first}, {}, true, route});
                for (const auto & tail : tails) {
                    cascade_config c{{first}, {}, true, route};
                    c.stages.insert(c.stages.end(), tail.begin(), tail.end());
                    specs.push_back(std::move(c));
                }
            }
        }
    }

    std::vector<cascade_point> points;
    std::vector<stage_outcome> table;  // n x stages
    size_t count = 0;
    for (const cascade_config & spec : specs) {
        const size_t S = spec.stages.size();
        outcomes(spec, table);
        // Threshold grids of the stages but the last.
        std::vector<std::vector<double>> grids(S - 1);
        for (size_t s = 0; s + 1 < S; ++s) {
            std::vector<float> scores;
            for (size_t i = 0; i < n_; ++i) {
                if (table[i * S + s].score <= 1.0f) {
                    scores.push_back(table[i * S + s].score);
                }
            }
            grids[s] = quantiles(std::move(scores), options.grid);
            if (grids[s].empty()) {
                grids[s].push_back(0.5);
            }
        }
        std::vector<size_t> at(S - 1, 0);
        while (true) {
            cascade_config config{spec.stages, {}, spec.routed, spec.route};
            for (size_t s = 0; s + 1 < S; ++s) {
                config.thresholds.push_back(grids[s][at[s]]);
            }
            points.push_back(summarize(table, S, std::move(config)));
            ++count;
            // Next combination of thresholds.
            size_t s = 0;
            while (s + 1 < S) {
                if (++at[s] < grids[s].size()) {
                    break;
                }
                at[s] = 0;
                ++s;
            }
            if (s + 1 >= S) {
                break;
            }
        }
        if (points.size() > 20000) {
            points = pareto(std::move(points));
        }
    }
    if (swept != nullptr) {
        *swept = count;
    }
    return pareto(std::move(points));
}

routing_report cascade_replay::baseline() const {
    routing_report report;
    report.skipped = skipped_;
    report.rule = "cascade";
    fill_baselines(report, models_, mean_costs_, quality_, cost_, n_);
    return report;
}

namespace {

// Area under the ROC curve of scores against labels (ties count half).
double auc(std::vector<std::pair<double, bool>> scored) {
    std::sort(scored.begin(), scored.end(), [](const auto & a, const auto & b) { return a.first < b.first; });
    double positives = 0;
    double negatives = 0;
    double rank_sum = 0;
    for (size_t i = 0; i < scored.size();) {
        size_t j = i;
        while (j < scored.size() && scored[j].first == scored[i].first) {
            ++j;
        }
        const double mid_rank = (static_cast<double>(i) + static_cast<double>(j) + 1.0) / 2.0;
        for (size_t t = i; t < j; ++t) {
            if (scored[t].second) {
                rank_sum += mid_rank;
                ++positives;
            } else {
                ++negatives;
            }
        }
        i = j;
    }
    if (positives == 0 || negatives == 0) {
        return 0.5;
    }
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives);
}

}  // namespace

cascade_replay::ranking cascade_replay::scorer_ranking() const {
    ranking r;
    std::vector<std::pair<double, bool>> all;
    std::vector<std::pair<double, bool>> paired;
    const std::vector<size_t> by_cost = models_by_cost();
    for (size_t m = 0; m < k_; ++m) {
        std::vector<std::pair<double, bool>> one;
        for (size_t i = 0; i < n_; ++i) {
            one.emplace_back(own_[i * k_ + m], quality_[i * k_ + m] >= 0.5f);
        }
        all.insert(all.end(), one.begin(), one.end());
        r.per_model.push_back(auc(std::move(one)));
    }
    for (size_t p = 1; p < k_; ++p) {
        const size_t m = by_cost[p];
        const size_t o = by_cost[p - 1];
        for (size_t i = 0; i < n_; ++i) {
            const router::scored_answer * other = &answers_[i * k_ + o];
            const router::scorer_input in{prompts_[i], &options_[i], &answers_[i * k_ + m], {&other, 1}};
            paired.emplace_back(own_[i * k_ + m] + scorer_->agreement_logit(in), quality_[i * k_ + m] >= 0.5f);
        }
    }
    r.all = auc(std::move(all));
    r.with_one_other = auc(std::move(paired));
    return r;
}

cascade_replay::timing cascade_replay::decision_time() const {
    using clock = std::chrono::steady_clock;
    const std::vector<size_t> by_cost = models_by_cost();
    std::vector<double> us;
    std::vector<double> prompt_us;
    us.reserve(n_ * k_);
    float sink = 0;
    for (size_t i = 0; i < n_; ++i) {
        // once per request: the prompt's options and words
        const auto t_prompt = clock::now();
        const router::prompt_options options = router::prompt_options::read(prompts_[i]);
        const std::vector<uint32_t> words = scorer_->prompt_words(prompts_[i]);
        prompt_us.push_back(std::chrono::duration<double, std::micro>(clock::now() - t_prompt).count());
        sink += static_cast<float>(options.options.size() + words.size()) * 0.0f;
        for (size_t p = 0; p < k_; ++p) {
            const size_t m = by_cost[p];
            const router::scored_answer * other = p > 0 ? &answers_[i * k_ + by_cost[p - 1]] : nullptr;
            const auto t0 = clock::now();
            // a decision as the gateway takes it: the final answer read, then the score
            router::scored_answer a = answers_[i * k_ + m];
            a.final = router::extract_final_answer(options_[i], a.text);
            const router::scorer_input in{prompts_[i], &options_[i], &a,
                                          other != nullptr ? std::span<const router::scored_answer * const>(&other, 1)
                                                           : std::span<const router::scored_answer * const>(),
                                          &words};
            sink += scorer_->score(in);
            us.push_back(std::chrono::duration<double, std::micro>(clock::now() - t0).count());
        }
    }
    timing t;
    t.decisions = us.size();
    if (us.empty() || sink < -1.0f) {
        return t;
    }
    std::sort(us.begin(), us.end());
    t.p50_us = us[us.size() / 2];
    t.p99_us = us[std::min(us.size() - 1, us.size() * 99 / 100)];
    t.max_us = us.back();
    std::sort(prompt_us.begin(), prompt_us.end());
    t.prompt_p50_us = prompt_us[prompt_us.size() / 2];
    t.prompt_p99_us = prompt_us[std::min(prompt_us.size() - 1, prompt_us.size() * 99 / 100)];
    return t;
}

cascade_config pick_for_quality(std::span<const cascade_point> frontier, double quality) {
    const cascade_point * best = nullptr;
    for (const cascade_point & p : frontier) {
        if (p.point.quality >= quality) {
            if (best == nullptr || p.point.cost < best->point.cost) {
                best = &p;
            }
        }
    }
    if (best == nullptr) {
        for (const cascade_point & p : frontier) {
            if (best == nullptr || p.point.quality > best->point.quality) {
                best = &p;
            }
        }
    }
    return best != nullptr ? best->config : cascade_config{};
}

result<cascade_report> evaluate_cascade(const router::answer_scorer & scorer, const routing_dataset & data,
                                        const routing_dataset * tune, std::string tuned_on,
                                        const cascade_options & options, const router::learned_router * router) {
    auto replay = cascade_replay::prepare(scorer, data, router);
    if (!replay) {
        return replay.err();
    }
    cascade_report report;
    report.tuned_on = std::move(tuned_on);
    report.routing = replay->baseline();
    report.ranking = replay->scorer_ranking();
    report.timing = replay->decision_time();
    std::vector<cascade_point> chosen;
    if (tune != nullptr) {
        auto tuning = cascade_replay::prepare(scorer, *tune, router);
        if (!tuning) {
            return tuning.err();
        }
        if (tuning->models() != replay->models()) {
            return error::invalid("the tuning and the evaluated data hold different models of the scorer", "data");
        }
        const std::vector<cascade_point> frontier = tuning->frontier(options, &report.swept);
        for (const cascade_point & p : frontier) {
            chosen.push_back(replay->evaluate(p.config));
        }
        // The headline settings, picked on the tuning split.
        const routing_report tuning_base = tuning->baseline();
        const double strong_quality = tuning_base.single_models[tuning_base.strong].quality;
        const double strong_cost = tuning_base.single_models[tuning_base.strong].cost;
        const cascade_config reach = pick_for_quality(frontier, strong_quality);
        const cascade_point * cheap = nullptr;
        for (const cascade_point & p : frontier) {
            if (p.point.cost <= 0.3 * strong_cost && (cheap == nullptr || p.point.quality > cheap->point.quality)) {
                cheap = &p;
            }
        }
        for (const cascade_point & p : frontier) {
            if (p.config.stages == reach.stages && p.config.thresholds == reach.thresholds &&
                p.config.routed == reach.routed && p.config.route == reach.route) {
                report.picks.push_back({"strong_quality", p, replay->evaluate(p.config)});
                break;
            }
        }
        if (cheap != nullptr) {
            report.picks.push_back({"quality_at_30_cost", *cheap, replay->evaluate(cheap->config)});
        }
    } else {
        chosen = replay->frontier(options, &report.swept);
    }
    std::sort(chosen.begin(), chosen.end(),
              [](const cascade_point & a, const cascade_point & b) { return a.point.cost < b.point.cost; });
    for (size_t p = 0; p < chosen.size(); ++p) {
        chosen[p].point.parameter = static_cast<double>(p);
        report.routing.curve.push_back(chosen[p].point);
    }
    report.points = std::move(chosen);

    // The scorer file's own chain, when the data has its models.
    const auto & sm = scorer.model();
    if (!sm.chain.empty()) {
        cascade_config config;
        bool found = true;
        for (const router::cascade_stage & stage : sm.chain) {
            std::vector<size_t> ids;
            for (const std::string & m : stage) {
                const size_t id = replay->index_of(m);
                found = found && id != std::string_view::npos;
                ids.push_back(id);
            }
            config.stages.push_back(std::move(ids));
        }
        config.thresholds = sm.thresholds;
        if (found) {
            report.file = replay->evaluate(config);
            report.routing.operating_point = report.file->point;
        }
    }
    fill_curve_metrics(report.routing);
    return report;
}

namespace {

nlohmann::json point_json(const cascade_point & p, std::span<const std::string> models, double strong_cost) {
    return {{"chain", describe_config(p.config, models)},
            {"quality", p.point.quality},
            {"cost", p.point.cost},
            {"cost_share", strong_cost > 0 ? p.point.cost / strong_cost : 0.0},
            {"strong_share", p.point.strong_share},
            {"calls", p.calls},
            {"sequential_calls", p.sequential}};
}

}  // namespace

nlohmann::json cascade_report_to_json(const cascade_report & report, size_t max_points) {
    nlohmann::json out = report_to_json(report.routing, max_points);
    std::vector<std::string> models;
    for (const auto & s : report.routing.single_models) {
        models.push_back(s.model);
    }
    const double strong_cost = report.routing.single_models[report.routing.strong].cost;
    nlohmann::json points = nlohmann::json::array();
    const size_t step = report.points.size() > max_points && max_points > 1
                            ? (report.points.size() + max_points - 2) / (max_points - 1)
                            : 1;
    for (size_t p = 0; p < report.points.size(); p += step) {
        points.push_back(point_json(report.points[p], models, strong_cost));
    }
    out["points"] = points;
    out["tuned_on"] = report.tuned_on;
    out["settings_swept"] = report.swept;
    out["scorer_setting"] = report.file ? point_json(*report.file, models, strong_cost) : nlohmann::json(nullptr);
    nlohmann::json picks = nlohmann::json::object();
    for (const held_out_pick & p : report.picks) {
        picks[p.target] = {{"chosen_on_tuning", point_json(p.chosen_on, models, strong_cost)},
                           {"result", point_json(p.result, models, strong_cost)}};
    }
    out["held_out_picks"] = picks;
    nlohmann::json per_model = nlohmann::json::object();
    for (size_t m = 0; m < models.size() && m < report.ranking.per_model.size(); ++m) {
        per_model[models[m]] = report.ranking.per_model[m];
    }
    out["decision_us"] = {{"decisions", report.timing.decisions},
                          {"p50", report.timing.p50_us},
                          {"p99", report.timing.p99_us},
                          {"max", report.timing.max_us},
                          {"prompt_p50", report.timing.prompt_p50_us},
                          {"prompt_p99", report.timing.prompt_p99_us}};
    out["scorer_auc"] = {{"all", report.ranking.all},
                         {"with_one_other", report.ranking.with_one_other},
                         {"per_model", per_model}};
    return out;
}

std::string cascade_report_to_text(const cascade_report & report) {
    std::string out = report_to_text(report.routing);
    std::vector<std::string> models;
    for (const auto & s : report.routing.single_models) {
        models.push_back(s.model);
    }
    const double strong_cost = report.routing.single_models[report.routing.strong].cost;
    char line[1024];
    std::snprintf(line, sizeof(line), "%zu settings swept; the curve's settings chosen on %s\n", report.swept,
                  report.tuned_on.c_str());
    out += line;
    std::snprintf(line, sizeof(line), "scorer AUC: %.4f on answers alone, %.4f beside the next cheaper model's\n",
                  report.ranking.all, report.ranking.with_one_other);
    out += line;
    std::snprintf(line, sizeof(line),
                  "decision time per answer: p50 %.1f us, p99 %.1f us over %zu decisions (and once per prompt: "
                  "p50 %.1f us, p99 %.1f us)\n",
                  report.timing.p50_us, report.timing.p99_us, report.timing.decisions, report.timing.prompt_p50_us,
                  report.timing.prompt_p99_us);
    out += line;
    auto print = [&](const char * name, const cascade_point & p) {
        std::snprintf(line, sizeof(line), "%s: %s\n    quality %.4f  cost share %.3f  calls %.2f  sequential %.2f\n",
                      name, describe_config(p.config, models).c_str(), p.point.quality,
                      strong_cost > 0 ? p.point.cost / strong_cost : 0.0, p.calls, p.sequential);
        out += line;
    };
    if (report.file) {
        print("scorer file's setting", *report.file);
    }
    for (const held_out_pick & p : report.picks) {
        print(("picked on " + report.tuned_on + " for " + p.target).c_str(), p.result);
    }
    return out;
}

}  // namespace tiergate::eval
