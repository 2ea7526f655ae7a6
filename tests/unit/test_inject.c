/* test_inject.c — every defect of include/hd/defects.def breaks its rule and only that rule, with the rule
 * table's severity, on every layout and pointer size it applies to, and for seeds that leave layout and
 * features to the swarm; memory and stream validation agree. HD_GEN_LONG=1 runs 20 times more seeds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hd/diag.h"
#include "hd/gen.h"
#include "tdump.h"

static unsigned scale(void)
{
    const char *s = getenv("HD_GEN_LONG");
    return s != NULL && *s && strcmp(s, "0") != 0 ? 20 : 1;
}

static const hd_header_id headers_of[HD_LAYOUT_COUNT][2] = {
    {HD_H13, HD_H13}, {HD_H14, HD_H14}, {HD_H15, HD_H16}, {HD_H17, HD_H17}};

static unsigned ninjected;

static void inject(unsigned d, hd_layout l, unsigned ps, uint64_t seed, bool swarm)
{
    const hd_defect_info *info = hd_defect_get(d);
    int rule = (int)info->rule;
    hd_gen_request q;
    hd_gen_stats st;
    hd_entropy e;
    hd_membuf m = {0};
    hd_out *o = malloc(sizeof *o);
    static tcheck c;
    char desc[256];

    assert_non_null(o);
    hd_out_init_mem(o, &m);
    hd_gen_request_init(&q);
    q.defect = (int)d;
    q.max_size = 32 * 1024;
    if (!swarm) {
        q.header = headers_of[l][seed & 1];
        q.ptrsize = ps;
    }
    hd_entropy_seed(&e, seed);
    if (hd_gen(&q, &e, o, &st) != 0)
        fail_msg("%s seed %llu: %s", info->name, (unsigned long long)seed, st.error);
    assert_int_equal(st.rule, rule);
    hd_gen_config_describe(&st.cfg, desc, sizeof desc);
    if (info->go != NULL) {
        hd_options opts;
        hd_options_init(&opts);
        opts.go_version = info->go;
        tcheck_run_opts(&c, m.p, m.len, &opts);
    } else {
        tcheck_run(&c, m.p, m.len);
    }
    if (!tcheck_only(&c, (hd_rule)rule))
        fail_msg("--inject %s (%s) seed %llu, %s: not only %s", info->rule_id, info->name, (unsigned long long)seed,
                 desc, info->rule_id);
    for (unsigned i = 0; i < c.n; i++)
        if (c.d[i].severity != hd_rule_get((hd_rule)rule)->severity)
            fail_msg("--inject %s seed %llu: severity %s, the table says %s", info->rule_id, (unsigned long long)seed,
                     hd_severity_name(c.d[i].severity), hd_severity_name(hd_rule_get((hd_rule)rule)->severity));
    if ((seed & 3) == 1 && info->go == NULL)
        assert_true(tcheck_same_via_pipe(&c, m.p, m.len));
    ninjected++;
    free(m.p);
    free(o);
}

static void test_every_defect(void **state)
{
    (void)state;
    /* one defect per rule of the table (tests/unit/test_rules.c says which rule lacks one) */
    assert_int_equal(hd_defect_count(), HD_RULE_COUNT);
    for (unsigned d = 0; d < hd_defect_count(); d++)
        for (unsigned l = 0; l < HD_LAYOUT_COUNT; l++)
            for (unsigned ps = 4; ps <= 8; ps += 4)
                if (hd_defect_applies(d, (hd_layout)l, ps))
                    for (uint64_t seed = 1; seed <= scale(); seed++)
                        inject(d, (hd_layout)l, ps, seed * 1009 + d * 31 + l * 7 + ps, false);
}

/* Layout and pointer size left to the swarm: it must pick one the defect applies to. */
static void test_swarm_defects(void **state)
{
    (void)state;
    for (unsigned d = 0; d < hd_defect_count(); d++)
        for (uint64_t seed = 1; seed <= 3 * scale(); seed++)
            inject(d, HD_V17, 8, seed * 7919 + d, true);
}

static void test_lookup(void **state)
{
    (void)state;
    for (unsigned d = 0; d < hd_defect_count(); d++) {
        const hd_defect_info *info = hd_defect_get(d);
        int rule = hd_rule_find(info->rule_id);
        assert_int_equal(rule, (int)info->rule);        /* the ID string is the ID of the enum's rule */
        assert_int_equal(hd_defect_find(info->rule_id), (int)d);
        assert_int_equal(hd_defect_find(hd_rule_get((hd_rule)rule)->name), (int)d);
        assert_int_equal(hd_defect_find(info->name), (int)d);
        assert_true(info->layouts != 0 && (info->ptrsizes & ~12u) == 0 && info->ptrsizes != 0);
    }
    assert_int_equal(hd_defect_find("no-such-rule"), -1);
}

static int report(void **state)
{
    (void)state;
    fprintf(stderr, "test_inject: %u defects x %u injected dumps checked\n", hd_defect_count(), ninjected);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_every_defect),
        cmocka_unit_test(test_swarm_defects),
    };
    return cmocka_run_group_tests(tests, NULL, report);
}
