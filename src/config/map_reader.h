#pragma once
// Strict reading of one YAML mapping: every field is asked for by name and
// type; a wrong type, a missing required field, a duplicate or an unknown
// field is recorded as a config_error with file, line and field path.
// Modules that own an extension section (router, guard, budgets) read their
// subtree with the same reader so their errors look the same.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config_error.h"

namespace tiergate::config {

template <class T>
struct located {
    T value{};
    source_pos pos;
};

source_pos pos_of(const YAML::Node & node);
// How a value reads in an error: "ten" (quoted), a list, a mapping, null.
std::string describe_value(const YAML::Node & node);

// Scalar conversions shared by map fields and list items; each reports its
// own error and returns nullopt on failure.
std::optional<std::string> read_string(const YAML::Node & node, const std::string & path, config_errors & errors);
std::optional<double> read_number(const YAML::Node & node, const std::string & path, config_errors & errors);
std::optional<int64_t> read_integer(const YAML::Node & node, const std::string & path, config_errors & errors);
std::optional<bool> read_bool(const YAML::Node & node, const std::string & path, config_errors & errors);

enum class presence { optional, required };

class map_reader {
  public:
    // `node` must be a mapping; otherwise one error is recorded and every read
    // returns nullopt.
    map_reader(const YAML::Node & node, std::string path, config_errors & errors);

    bool valid() const { return valid_; }
    source_pos pos() const { return pos_; }
    const std::string & path() const { return path_; }
    std::string field_path(const std::string & key) const;
    config_errors & errors() { return errors_; }

    // An explicit null counts as absent.
    std::optional<located<std::string>> string(const std::string & key, presence p = presence::optional);
    std::optional<located<double>> number(const std::string & key, presence p = presence::optional);
    std::optional<located<int64_t>> integer(const std::string & key, presence p = presence::optional);
    std::optional<located<bool>> boolean(const std::string & key, presence p = presence::optional);
    std::optional<located<std::vector<located<std::string>>>> string_list(const std::string & key,
                                                                          presence p = presence::optional);
    // The same within [lo, hi]; a value outside is an error ("must be between
    // lo and hi, got v") and reads as absent.
    std::optional<located<int64_t>> integer_in(const std::string & key, int64_t lo, int64_t hi,
                                               presence p = presence::optional);
    std::optional<located<double>> number_in(const std::string & key, double lo, double hi,
                                             presence p = presence::optional);
    // The raw node of a field (a mapping, a list, anything); its shape is the caller's to check.
    std::optional<YAML::Node> node(const std::string & key, presence p = presence::optional);

    // Records each field present in the mapping that no read asked for.
    void finish();

  private:
    std::optional<YAML::Node> lookup(const std::string & key, presence p);

    YAML::Node node_;
    std::string path_;
    config_errors & errors_;
    source_pos pos_;
    bool valid_ = false;
    std::set<std::string> known_;
};

}  // namespace tiergate::config
