/* test_xsort.c — the external sort (validator/xsort.[ch]): every record comes back exactly once, in
 * lexicographic order, equal to a reference sort, for 1..8-word records; batches small enough to spill many
 * runs and to compact XS_FANIN of them into one (more than once); with and without the background spiller; all-equal, descending and random keys, keys near
 * 2^64; a dump that fits one batch never touches the disk; xsort_sort_array on its own (radix, insertion and
 * heapsort paths); and the failure path: no temporary file (TMPDIR missing, not a directory, not writable),
 * sticky, with xsort_error saying why. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xsort.h"

static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

typedef enum { RANDOM, ASCENDING, DESCENDING, ALL_EQUAL, EQUAL_WORD0, HUGE_KEYS } keys;
static const char *const keys_name[] = {"random", "ascending", "descending", "all-equal", "equal-word0", "huge"};

static unsigned cmp_words;
static int cmp(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    for (unsigned i = 0; i < cmp_words; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

/* Record i of n (words w) into r. */
static void make(uint64_t *r, size_t i, size_t n, unsigned w, keys k)
{
    for (unsigned j = 0; j < w; j++) {
        uint64_t x = rnd();
        switch (k) {
        case RANDOM: r[j] = j == 0 ? x % (4 * (uint64_t)n + 1) : x % 5; break;   /* many ties on word 0 */
        case ASCENDING: r[j] = j == 0 ? (uint64_t)i : x; break;
        case DESCENDING: r[j] = j == 0 ? UINT64_C(0xc000000000) - 8 * (uint64_t)i : (uint64_t)(n - i); break;
        case ALL_EQUAL: r[j] = 42; break;
        case EQUAL_WORD0: r[j] = j == 0 ? 7 : x; break;
        default: r[j] = UINT64_MAX - x % 1000; break;                           /* 10-byte uvarints */
        }
    }
}

/* Sort n records of w words through a sorter with the given batch; compare with qsort. Returns the bytes
 * spilled. */
static bool threaded;      /* run() uses the background spiller */

static uint64_t run(size_t n, unsigned w, size_t batch, keys k, bool lend)
{
    uint64_t *ref = malloc((n ? n : 1) * w * sizeof *ref), *scratch = NULL, rec[XS_WORDS_MAX], spilled;
    xsort *s;
    size_t got = 0;
    int r;

    assert_non_null(ref);
    if (lend) {
        scratch = malloc(batch * w * sizeof *scratch);
        assert_non_null(scratch);
    }
    s = xsort_new(w, batch, scratch, threaded);
    assert_non_null(s);
    rng_state = n * 131 + w * 17 + batch + (uint64_t)k;
    for (size_t i = 0; i < n; i++) {
        make(&ref[i * w], i, n, w, k);
        if (xsort_add(s, &ref[i * w]) != 0)
            fail_msg("%zu %s records of %u words, batch %zu: xsort_add failed: %s", n, keys_name[k], w, batch,
                     xsort_error(s) ? xsort_error(s) : "?");
    }
    assert_int_equal(xsort_count(s), n);
    assert_int_equal(xsort_finish(s), 0);
    assert_int_equal(xsort_finish(s), 0);                       /* a second finish changes nothing */
    cmp_words = w;
    qsort(ref, n, w * sizeof *ref, cmp);
    while ((r = xsort_next(s, rec)) == 1) {
        if (got >= n)
            fail_msg("%zu %s records of %u words, batch %zu: more records back than went in", n, keys_name[k], w, batch);
        if (memcmp(rec, &ref[got * w], w * sizeof *rec) != 0)
            fail_msg("%zu %s records of %u words, batch %zu: record #%zu differs from the reference sort "
                     "(word 0: 0x%llx, want 0x%llx)", n, keys_name[k], w, batch, got, (unsigned long long)rec[0],
                     (unsigned long long)ref[got * w]);
        got++;
    }
    assert_int_equal(r, 0);
    assert_int_equal(got, n);
    assert_int_equal(xsort_next(s, rec), 0);                    /* stays at the end */
    assert_int_equal(xsort_add(s, rec), -1);                    /* no adding while reading */
    assert_null(xsort_error(s));
    spilled = xsort_spilled(s);
    xsort_free(s);
    free(scratch);
    free(ref);
    return spilled;
}

static void test_record_widths(void **state)
{
    (void)state;
    for (int t = 0; t < 2; t++) {
        threaded = t == 1;
        for (unsigned w = 1; w <= XS_WORDS_MAX; w++)
            for (int k = RANDOM; k <= HUGE_KEYS; k++)
                run(3000, w, 37, (keys)k, w % 2 == 0);
    }
    threaded = false;
}

/* Batches of 2..8 records: XS_FANIN runs pile up after 2..8 * XS_FANIN records, then as many more, …: several
 * compactions,
 * each merging a compacted run with new ones; the last batch partial, full or empty. */
static void test_many_runs_and_compaction(void **state)
{
    (void)state;
    for (size_t batch = 2; batch <= 8; batch += 3)
        for (size_t n = XS_FANIN * batch - 1; n <= XS_FANIN * batch + 1; n++) {
            assert_true(run(n, 2, batch, RANDOM, false) > 0);
        }
    /* about 5 compactions */
    assert_true(run(5 * XS_FANIN * 4 + 3, 3, 4, DESCENDING, true) > 0);
    assert_true(run(5 * XS_FANIN * 4 + 3, 2, 4, ALL_EQUAL, false) > 0);
    assert_true(run(5 * XS_FANIN * 4 + 3, 8, 4, HUGE_KEYS, false) > 0);
    assert_true(run(XS_FANIN * XS_FANIN * 2 + 7, 2, 2, RANDOM, true) > 0);   /* compacted runs compacted again */
}

/* Compaction, by the bytes written: all-equal 2-word records {42, 42} take R bytes each on disk (word 0
 * delta-coded: 42 for a run's first record, then 0; word 1 stored rotated by two bits: 168, two bytes). With F =
 * XS_FANIN: the record that fills the (F-1)th run spills F-1 runs; the one that fills the Fth makes F runs,
 * merged at once into one run of the same bytes again; F-1 runs more make F again, compacted with the first
 * compacted run, whose records are written a third time. The background spiller writes the same bytes. */
static void test_compaction_happens(void **state)
{
    const uint64_t R = 3, F = XS_FANIN;
    (void)state;
    for (int t = 0; t < 2; t++) {
        threaded = t == 1;
        for (size_t batch = 2; batch <= 32; batch *= 4) {
            assert_int_equal(run((F - 1) * batch + 1, 2, batch, ALL_EQUAL, false), R * (F - 1) * batch);
            assert_int_equal(run(F * batch + 1, 2, batch, ALL_EQUAL, false), R * (2 * F * batch));
            assert_int_equal(run((2 * F - 1) * batch + 1, 2, batch, ALL_EQUAL, false),
                             R * ((2 * F - 1) * batch + F * batch + (2 * F - 1) * batch));
        }
    }
    threaded = false;
}

/* What fits one batch is sorted in memory: no temporary file. */
static void test_no_spill(void **state)
{
    (void)state;
    assert_int_equal(run(0, 2, 16, RANDOM, false), 0);
    assert_int_equal(run(1, 2, 16, RANDOM, false), 0);
    assert_int_equal(run(16, 4, 16, DESCENDING, false), 0);
    assert_true(run(17, 4, 16, DESCENDING, false) > 0);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    assert_null(xsort_new(0, 16, NULL, false));
    assert_null(xsort_new(XS_WORDS_MAX + 1, 16, NULL, false));
    assert_null(xsort_new(2, 1, NULL, true));
}

/* xsort_sort_array alone: radix on word 0, insertion sort for short runs of equal word 0, heapsort for long
 * ones (a hostile input). */
static void test_sort_array(void **state)
{
    const size_t counts[] = {0, 1, 2, 16, 17, 1000, 70000};
    (void)state;
    for (unsigned w = 1; w <= XS_WORDS_MAX; w++)
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++)
            for (int k = RANDOM; k <= HUGE_KEYS; k++) {
                size_t n = counts[c];
                uint64_t *v = malloc((n + 1) * w * sizeof *v), *ref = malloc((n + 1) * w * sizeof *ref),
                         *scratch = malloc((n + 1) * w * sizeof *scratch);
                assert_true(v != NULL && ref != NULL && scratch != NULL);
                rng_state = n + w * 1000 + (uint64_t)k;
                for (size_t i = 0; i < n; i++)
                    make(&v[i * w], i, n, w, (keys)k);
                memcpy(ref, v, n * w * sizeof *v);
                cmp_words = w;
                qsort(ref, n, w * sizeof *ref, cmp);
                xsort_sort_array(v, n, w, scratch);
                if (n > 0 && memcmp(v, ref, n * w * sizeof *v) != 0)
                    fail_msg("xsort_sort_array: %zu %s records of %u words differ from the reference sort", n,
                             keys_name[k], w);
                free(v);
                free(ref);
                free(scratch);
            }
}

/* TMPDIR names no usable directory: the add that must spill fails, and every later call; the error says
 * that no temporary file could be created, and why. */
static void expect_no_temp(const char *tmpdir, const char *why)
{
    uint64_t rec[2] = {1, 2};
    const char *old = getenv("TMPDIR");
    char *saved = old != NULL ? strdup(old) : NULL;
    xsort *s;
    int failed_at = -1;

    assert_int_equal(setenv("TMPDIR", tmpdir, 1), 0);
    s = xsort_new(2, 4, NULL, threaded);
    assert_non_null(s);
    for (int i = 0; i < 10 && failed_at < 0; i++) {
        rec[0] = (uint64_t)(10 - i);
        if (xsort_add(s, rec) != 0)
            failed_at = i;
    }
    if (saved != NULL) {
        setenv("TMPDIR", saved, 1);
        free(saved);
    } else {
        unsetenv("TMPDIR");
    }
    /* the fifth record overflows the batch of 4; the background spiller's failure shows at the next handoff */
    assert_int_equal(failed_at, threaded ? 8 : 4);
    assert_non_null(xsort_error(s));
    if (strstr(xsort_error(s), "cannot create a temporary file") == NULL || strstr(xsort_error(s), why) == NULL)
        fail_msg("TMPDIR=%s: xsort_error says \"%s\", want the reason \"%s\"", tmpdir, xsort_error(s), why);
    assert_int_equal(xsort_add(s, rec), -1);                    /* sticky */
    assert_int_equal(xsort_finish(s), -1);
    assert_int_equal(xsort_next(s, rec), -1);
    assert_int_equal(xsort_spilled(s), 0);
    xsort_free(s);
}

static void no_temporary_file(void)
{
    char dir[] = "/tmp/test_xsort_XXXXXX", file[64], ro[80];
    FILE *f;
    expect_no_temp("/nonexistent-test-xsort/dir", "No such file or directory");
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/plain", dir);
    f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    expect_no_temp(file, "Not a directory");                    /* fails for root too */
    snprintf(ro, sizeof ro, "%s/readonly", dir);
    assert_int_equal(mkdir(ro, 0500), 0);
    if (geteuid() != 0)                                         /* root writes anywhere */
        expect_no_temp(ro, "Permission denied");
    rmdir(ro);
    remove(file);
    rmdir(dir);
}

static void test_no_temporary_file(void **state)
{
    (void)state;
    threaded = false;
    no_temporary_file();
    threaded = true;
    no_temporary_file();
    threaded = false;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_arguments),     cmocka_unit_test(test_sort_array),
        cmocka_unit_test(test_no_spill),          cmocka_unit_test(test_record_widths),
        cmocka_unit_test(test_many_runs_and_compaction), cmocka_unit_test(test_compaction_happens),
        cmocka_unit_test(test_no_temporary_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
