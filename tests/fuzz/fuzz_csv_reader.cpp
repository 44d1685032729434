// The routing data's CSV reader on any bytes: a table whose every row has the
// header's field count, or an error naming the line.
#include "eval/csv_reader.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    auto table = eval::parse_csv(fuzz::as_text(data, size));
    if (!table.ok()) {
        if (table.err().message.empty()) {
            fuzz::violated("a refused CSV has no message");
        }
        return 0;
    }
    for (const auto & row : table->rows) {
        if (row.size() != table->header.size()) {
            fuzz::violated("a row's field count differs from the header's");
        }
    }
    return 0;
}
