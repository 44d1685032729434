// The router file loader on a hostile file: a model or an error, never a
// crash or an allocation the file's size does not justify.
#include "fuzz_input.h"
#include "router/router_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    fuzz::scratch_file file(data, size);
    auto model = router::load_router(file.path());
    if (!model.ok() && model.err().message.empty()) {
        fuzz::violated("a refused router file has no message");
    }
    return 0;
}
