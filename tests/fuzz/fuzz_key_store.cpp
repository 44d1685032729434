// The key store reader on a hostile file: keys or an error, never a crash.
#include "auth/key_store.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    fuzz::scratch_file file(data, size);
    auto store = auth::key_store::open(file.path());
    if (!store.ok()) {
        return 0;
    }
    auto keys = (*store)->load_all();
    (void)keys;
    (void)(*store)->data_version();
    return 0;
}
