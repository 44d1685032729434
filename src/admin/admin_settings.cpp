#include "admin/admin_settings.h"

#include <cmath>

#include "config/map_reader.h"

namespace tiergate::admin {

admin_settings read_admin_settings(const config::config & cfg, config::config_errors & errors) {
    admin_settings out;
    const auto & section = cfg.admin.section;
    if (!section.present()) {
        return out;
    }
    config::map_reader in(section.node, section.path, errors);
    if (!in.valid()) {
        return out;
    }
    if (auto target = in.node("tier_target")) {
        config::map_reader t(*target, in.field_path("tier_target"), errors);
        if (t.valid()) {
            std::array<double, 3> percent{0, 0, 0};
            const char * names[3] = {"slm", "mid", "frontier"};
            bool ok = true;
            for (int i = 0; i < 3; ++i) {
                if (auto v = t.number(names[i], config::presence::required)) {
                    if (v->value < 0 || v->value > 100) {
                        errors.add(v->pos, t.field_path(names[i]), "must be a percentage between 0 and 100");
                        ok = false;
                    }
                    percent[i] = v->value;
                } else {
                    ok = false;
                }
            }
            const double sum = percent[0] + percent[1] + percent[2];
            if (ok && std::abs(sum - 100.0) > 0.01) {
                errors.add(t.pos(), t.path(), "the three shares must add up to 100 (they add up to " +
                                                  std::to_string(sum) + ")");
                ok = false;
            }
            if (ok) {
                for (int i = 0; i < 3; ++i) {
                    out.tier_target[i] = percent[i] / 100.0;
                }
            }
            t.finish();
        }
    }
    in.finish();
    return out;
}

}  // namespace tiergate::admin
