#include "config/fallback_cycles.h"

#include <algorithm>

namespace tiergate::config {

namespace {

enum class mark { unvisited, on_path, done };

bool visit(const std::string & name, const std::map<std::string, std::vector<std::string>> & edges,
           std::map<std::string, mark> & marks, std::vector<std::string> & path, std::vector<std::string> & cycle) {
    marks[name] = mark::on_path;
    path.push_back(name);
    auto it = edges.find(name);
    if (it != edges.end()) {
        for (const auto & next : it->second) {
            if (!edges.contains(next)) {
                continue;
            }
            mark state = marks[next];
            if (state == mark::on_path) {
                auto start = std::find(path.begin(), path.end(), next);
                cycle.assign(start, path.end());
                cycle.push_back(next);
                return true;
            }
            if (state == mark::unvisited && visit(next, edges, marks, path, cycle)) {
                return true;
            }
        }
    }
    path.pop_back();
    marks[name] = mark::done;
    return false;
}

}  // namespace

std::vector<std::string> find_fallback_cycle(const std::map<std::string, std::vector<std::string>> & edges) {
    std::map<std::string, mark> marks;
    std::vector<std::string> path;
    std::vector<std::string> cycle;
    for (const auto & [name, _] : edges) {
        if (marks[name] == mark::unvisited && visit(name, edges, marks, path, cycle)) {
            return cycle;
        }
    }
    return {};
}

}  // namespace tiergate::config
