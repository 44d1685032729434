#include "guard/luhn.h"

namespace tiergate::guard {

bool luhn_valid(std::string_view text) {
    int sum = 0;
    int count = 0;
    for (size_t i = text.size(); i-- > 0;) {
        const char c = text[i];
        if (c < '0' || c > '9') {
            continue;
        }
        int d = c - '0';
        if (count % 2 == 1) {
            d *= 2;
            if (d > 9) {
                d -= 9;
            }
        }
        sum += d;
        ++count;
    }
    return count >= 2 && sum % 10 == 0;
}

}  // namespace tiergate::guard
