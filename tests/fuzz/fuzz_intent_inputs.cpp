// The readers of intent inputs on hostile bytes: the intent file loader, the
// intent data reader (CLINC150 layout) and the domain map reader. The first
// byte picks the reader; each gives a value or an error with a message,
// never a crash or an allocation the input's size does not justify.
#include "eval/intent_data.h"
#include "eval/intent_domains.h"
#include "fuzz_input.h"
#include "router/intent_classifier.h"
#include "router/intent_file.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    if (size == 0) {
        return 0;
    }
    const std::string_view rest = fuzz::as_text(data + 1, size - 1);
    switch (data[0] % 3) {
        case 0: {
            fuzz::scratch_file file(data + 1, size - 1);
            auto model = router::load_intents(file.path());
            if (!model.ok() && model.err().message.empty()) {
                fuzz::violated("a refused intent file has no message");
            }
            if (model.ok()) {
                // a model the loader accepts must classify without trouble
                const router::intent_classifier classifier(std::move(*model));
                const router::intent_decision d = classifier.classify("book a flight to paris");
                if (!(d.confidence >= 0.0 && d.confidence <= 1.0)) {
                    fuzz::violated("confidence out of 0..1");
                }
            }
            break;
        }
        case 1: {
            auto parsed = eval::parse_intent_data(rest);
            if (!parsed.ok() && parsed.err().message.empty()) {
                fuzz::violated("refused intent data has no message");
            }
            break;
        }
        default: {
            auto parsed = eval::parse_intent_domains(rest);
            if (!parsed.ok() && parsed.err().message.empty()) {
                fuzz::violated("a refused domain map has no message");
            }
            break;
        }
    }
    return 0;
}
