/* profile.c — producer profiles: which releases could have written the dump, and the known deviations
 * of each producer (FORMAT.md §2, dumps/README). */
#include "check_internal.h"

void profile_init(hd_checker *c)
{
    /* The header bounds the release: go1.3 .. go1.6 headers were each written by one release family;
     * the go1.7 header by every release from 1.7 on. */
    static const unsigned lo[HD_HEADER_COUNT] = {3, 4, 5, 6, 7};
    static const unsigned hi[HD_HEADER_COUNT] = {3, 4, 5, 6, CK_GO_OPEN};
    c->prof.gccgo = false;
    c->prof.go_min = lo[c->header];
    c->prof.go_max = hi[c->header];
}

hd_severity profile_severity(const hd_checker *c, hd_rule rule)
{
    (void)c;
    return hd_rule_get(rule)->severity;
}
