#include "guard/scan_report.h"
#include "guard/scanner.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <istream>
#include <iterator>
#include <ostream>

namespace tiergate::guard {

const char * to_string(finding_source source) {
    switch (source) {
        case finding_source::pattern: return "pattern";
        case finding_source::dictionary: return "dictionary";
        case finding_source::context: return "context";
        case finding_source::shape: return "shape";
        case finding_source::custom: return "custom";
    }
    return "pattern";
}

std::string findings_json(const std::vector<finding> & findings) {
    nlohmann::json list = nlohmann::json::array();
    nlohmann::json counts = nlohmann::json::object();
    for (const finding & f : findings) {
        const std::string type(to_string(f.type));
        list.push_back({{"type", type},
                        {"start", f.start},
                        {"end", f.end},
                        {"score", std::round(static_cast<double>(f.score) * 100.0) / 100.0},
                        {"source", to_string(f.source)}});
        counts[type] = counts.value(type, 0) + 1;
    }
    return nlohmann::json{{"findings", list}, {"counts", counts}}.dump();
}

int run_guard_scan(std::istream & in, std::ostream & out, bool json) {
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::vector<finding> findings = scan(text);
    if (json) {
        out << findings_json(findings) << "\n";
        return 0;
    }
    for (const finding & f : findings) {
        out << to_string(f.type) << "\t" << f.start << "\t" << f.end << "\t" << f.score << "\t"
            << to_string(f.source) << "\n";
    }
    out << findings.size() << " finding" << (findings.size() == 1 ? "" : "s") << "\n";
    return 0;
}

}  // namespace tiergate::guard
