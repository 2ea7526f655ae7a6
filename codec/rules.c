/* rules.c — the rule table, expanded from include/hd/rules.def. */
#include "hd/diag.h"

#include <string.h>

static const hd_rule_info rules[HD_RULE_COUNT] = {
#define HD_RULE(ident, id, sev, kind, name, inv, doc) \
    [HD_R_##ident] = {id, HD_SEV_##sev, name, inv, doc, HD_RK_##kind},
#include "hd/rules.def"
#undef HD_RULE
};

const hd_rule_info *hd_rule_get(hd_rule r) { return &rules[r]; }

const char *hd_severity_name(hd_severity s)
{
    return s == HD_SEV_ERROR ? "error" : s == HD_SEV_WARNING ? "warning" : "info";
}

int hd_rule_find(const char *key)
{
    for (int i = 0; i < HD_RULE_COUNT; i++)
        if (strcmp(rules[i].id, key) == 0 || strcmp(rules[i].name, key) == 0)
            return i;
    return -1;
}
