#pragma once
// A config error names the file, the line and the field path:
//   tiergate.yaml:12: models[2].price.input_per_mtok: expected a number, got "ten"

#include <stdexcept>
#include <string>
#include <vector>

namespace tiergate::config {

// 1-based line and column; 0 when unknown (the embedded default, a missing file).
struct source_pos {
    int line = 0;
    int column = 0;
};

struct config_error {
    std::string file;
    source_pos pos;
    std::string path;     // field path, e.g. models[2].price.input_per_mtok; empty for the whole file
    std::string message;

    std::string to_string() const;
};

// Errors collected while reading one file; reading goes on after an error so
// that one run reports them all.
class config_errors {
  public:
    explicit config_errors(std::string file) : file_(std::move(file)) {}
    void add(source_pos pos, std::string path, std::string message);
    bool empty() const { return list_.empty(); }
    const std::vector<config_error> & list() const { return list_; }
    const std::string & file() const { return file_; }
    // One error per line.
    std::string to_string() const;

  private:
    std::string file_;
    std::vector<config_error> list_;
};

// Thrown at startup only: the config cannot be served.
class config_load_error : public std::runtime_error {
  public:
    explicit config_load_error(std::vector<config_error> errors);
    const std::vector<config_error> & errors() const { return errors_; }

  private:
    std::vector<config_error> errors_;
};

}  // namespace tiergate::config
