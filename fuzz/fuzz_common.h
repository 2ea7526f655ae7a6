/* fuzz_common.h — what every fuzz target shares: the libFuzzer entry points, the exact-size input copy,
 * a diagnostic recorder and the "abort with a reason" helper.
 *
 * Every target is one file with LLVMFuzzerTestOneInput. The same file links with libFuzzer
 * (clang -fsanitize=fuzzer), with AFL++ (afl-clang-fast -fsanitize=fuzzer: AFL's libFuzzer driver), with
 * honggfuzz via $LIB_FUZZING_ENGINE, and with fuzz/standalone_main.c into a plain executable that replays
 * files (the ctest regression replay, built by gcc or clang without any fuzzing runtime). */
#ifndef HD_FUZZ_COMMON_H
#define HD_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hd/diag.h"
#include "hd/validate.h"

/* The libFuzzer interface (prototypes for -Wmissing-prototypes). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

/* AFL++ runs the harness on its shared-memory test case buffer, which is larger than the input: an over-read
 * past `size` would land in mapped memory and ASan would not see it. Every target therefore works on an
 * exact-size heap copy (cheap next to validation). malloc(0) may return NULL: use 1 byte then. */
static inline uint8_t *fz_copy(const uint8_t *data, size_t size)
{
    uint8_t *p = malloc(size ? size : 1);
    if (p == NULL)
        abort();
    if (size)
        memcpy(p, data, size);
    return p;
}

/* Stop the process with a message on stderr: libFuzzer / AFL record the input as a crash. */
__attribute__((noreturn, format(printf, 1, 2)))
static inline void fz_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("FUZZ INVARIANT VIOLATED: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}

#define FZ_CHECK(cond, ...) do { if (!(cond)) fz_fail(__VA_ARGS__); } while (0)

/* HD_FUZZ_SKIP (environment, comma-separated names) switches single checks off, so that a long campaign can go
 * on past a known, already reported finding; each target lists the names it knows. fz_skip(name) is true
 * when the name is in the list. */
static inline bool fz_skip(const char *name)
{
    const char *list = getenv("HD_FUZZ_SKIP");
    size_t n = strlen(name);
    for (const char *s = list; s != NULL && *s != 0;) {
        const char *comma = strchr(s, ',');
        size_t len = comma != NULL ? (size_t)(comma - s) : strlen(s);
        if (len == n && strncmp(s, name, n) == 0)
            return true;
        s = comma != NULL ? comma + 1 : NULL;
    }
    return false;
}

/* Records diagnostics in a growable array (bounded: the validator stops after max_errors errors, but
 * warnings are not bounded by it, so keep at most FZ_DIAG_MAX and count the rest). */
#define FZ_DIAG_MAX 4096

typedef struct {
    hd_diag *d;
    size_t   n, cap;
    uint64_t total;     /* all diagnostics, including those past FZ_DIAG_MAX */
} fz_diags;

static inline void fz_diags_emit(void *ctx, const hd_diag *d)
{
    fz_diags *s = ctx;
    s->total++;
    if (s->n == FZ_DIAG_MAX)
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        hd_diag *q = realloc(s->d, cap * sizeof *q);
        if (q == NULL)
            abort();
        s->d = q;
        s->cap = cap;
    }
    s->d[s->n++] = *d;
}

static inline hd_diag_sink fz_diags_sink(fz_diags *s)
{
    hd_diag_sink k = {fz_diags_emit, s};
    return k;
}

static inline void fz_diags_free(fz_diags *s)
{
    free(s->d);
    memset(s, 0, sizeof *s);
}

/* Options derived from the input length only (never from its bytes, so that a mutation of the bytes does
 * not silently change how they are judged): the default, no error limit, a small limit, and each of the
 * producer/release overrides the CLI accepts. */
static inline void fz_options(hd_options *o, size_t size)
{
    static const char *const go[] = {NULL, "1.3", "1.4", "1.6", "1.19", "1.22", NULL, NULL};
    static const char *const producer[] = {NULL, NULL, NULL, "gc", NULL, "gc", "gccgo", NULL};
    static const uint64_t max_errors[] = {100, 0, 1, 100, 100, 3, 100, 0};
    unsigned k = (unsigned)(size % 8);
    hd_options_init(o);
    o->go_version = go[k];
    o->producer = producer[k];
    o->max_errors = max_errors[k];
}

#endif
