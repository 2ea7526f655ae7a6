/* test_no_goroutines.c — G5 (FORMAT.md §5.5): the goroutine that calls WriteHeapDump is always dumped, so a
 * complete dump without any goroutine record fires G108 and only it, in every layout and pointer size; with
 * the dumping goroutine it is clean. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tworld.h"

static const hd_header_id headers[] = {HD_H13, HD_H14, HD_H15, HD_H16, HD_H17};

static void expect_only(tdump *t, hd_rule r)
{
    tcheck c;
    tcheck_run(&c, t->m.p, t->m.len);
    assert_true(tcheck_same_via_pipe(&c, t->m.p, t->m.len));
    if (!tcheck_only(&c, r) || c.n != 1) {
        tcheck_dump(&c);
        fail_msg("want exactly one %s", hd_rule_get(r)->id);
    }
    tdump_free(t);
}

static void expect_clean(tdump *t)
{
    tcheck c;
    tcheck_run(&c, t->m.p, t->m.len);
    assert_true(tcheck_same_via_pipe(&c, t->m.p, t->m.len));
    if (!tcheck_clean(&c)) {
        tcheck_dump(&c);
        fail_msg("want no diagnostic");
    }
    tdump_free(t);
}

/* The mini world's object (holding a G and an M) and its thread, then data, bss, memstats, EOF: everything
 * but the goroutine (tdump_finish writes none after a thread record). */
static void without_goroutines(void **state)
{
    (void)state;
    for (size_t h = 0; h < sizeof headers / sizeof headers[0]; h++)
        for (unsigned ps = 4; ps <= 8; ps += 4) {
            tdump t;
            tdump_begin(&t, headers[h], ps);
            tw_w_object(&t);
            tw_w_thread(&t);
            tdump_finish(&t);
            expect_only(&t, HD_R_NO_GOROUTINES);

            /* params, data, bss, memstats, EOF only */
            tdump_begin(&t, headers[h], ps);
            tw_w_data_bss(&t);
            tw_w_memstats(&t);
            tdump_eof(&t);
            expect_only(&t, HD_R_NO_GOROUTINES);
        }
}

static void with_the_dumping_goroutine(void **state)
{
    (void)state;
    for (size_t h = 0; h < sizeof headers / sizeof headers[0]; h++)
        for (unsigned ps = 4; ps <= 8; ps += 4) {
            tdump t;
            tdump_begin(&t, headers[h], ps);
            tw_w_object(&t);
            tw_w_goroutine(&t);
            tw_w_thread(&t);
            tdump_finish(&t);
            expect_clean(&t);
        }
}

/* A dump cut at a record boundary before its goroutines (the writer ignores write errors): S112 says it is
 * truncated, and nothing is said of goroutines the missing part may have held. */
static void cut_before_the_goroutines(void **state)
{
    (void)state;
    for (size_t h = 0; h < sizeof headers / sizeof headers[0]; h++) {
        tdump t;
        tdump_begin(&t, headers[h], 8);
        tw_w_object(&t);
        hd_out_flush(&t.o);
        expect_only(&t, HD_R_NO_EOF);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(without_goroutines),
        cmocka_unit_test(cut_before_the_goroutines),
        cmocka_unit_test(with_the_dumping_goroutine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
