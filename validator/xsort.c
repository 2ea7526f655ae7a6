/* xsort.c — external sort of fixed-size records (see xsort.h). */
#define _GNU_SOURCE 1          /* fallocate */
#include "xsort.h"
#include "hd/uvarint.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WRITE_BUF (64u * 1024u)
#define REC_MAX_BYTES (XS_WORDS_MAX * HD_UVARINT_MAX)

/* ---- sorting one array ----------------------------------------------------------------------------------- */

static int cmp_rest(const uint64_t *a, const uint64_t *b, unsigned words)
{
    for (unsigned i = 1; i < words; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

static int cmp_rec(const uint64_t *a, const uint64_t *b, unsigned words)
{
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return cmp_rest(a, b, words);
}

static void swap_rec(uint64_t *a, uint64_t *b, unsigned words)
{
    for (unsigned i = 0; i < words; i++) {
        uint64_t t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

/* Heapsort of n records by words 1..: only for runs of equal word 0, which a hostile input can make as long as
 * the batch; heapsort keeps that O(n log n) with no allocation. Short runs use insertion sort. */
static void sift(uint64_t *v, size_t root, size_t n, unsigned w)
{
    for (size_t child; (child = 2 * root + 1) < n; root = child) {
        if (child + 1 < n && cmp_rest(&v[child * w], &v[(child + 1) * w], w) < 0)
            child++;
        if (cmp_rest(&v[root * w], &v[child * w], w) >= 0)
            return;
        swap_rec(&v[root * w], &v[child * w], w);
    }
}

static void sort_ties(uint64_t *v, size_t n, unsigned w)
{
    if (n <= 16) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && cmp_rest(&v[(j - 1) * w], &v[j * w], w) > 0; j--)
                swap_rec(&v[(j - 1) * w], &v[j * w], w);
        return;
    }
    for (size_t i = n / 2; i-- > 0;)
        sift(v, i, n, w);
    for (size_t i = n; i-- > 1;) {
        swap_rec(&v[0], &v[i * w], w);
        sift(v, 0, i, w);
    }
}

/* LSD radix sort by word 0 over the bits that vary (11 bits a pass), stable, ping-ponging with scratch. */
#define RADIX_BITS 11u
#define RADIX (1u << RADIX_BITS)

static void radix_word0(uint64_t *v, size_t n, unsigned w, uint64_t *scratch)
{
    uint64_t lo = UINT64_MAX, hi = 0, span;
    uint64_t *src = v, *dst = scratch;
    unsigned bits = 0;
    size_t count[RADIX];

    for (size_t i = 0; i < n; i++) {
        uint64_t k = v[i * w];
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    for (span = hi - lo; span != 0; span >>= 1)
        bits++;
    for (unsigned shift = 0; shift < bits; shift += RADIX_BITS) {
        size_t sum = 0;
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[((src[i * w] - lo) >> shift) & (RADIX - 1)]++;
        for (unsigned d = 0; d < RADIX; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            memcpy(&dst[count[((src[i * w] - lo) >> shift) & (RADIX - 1)]++ * w], &src[i * w], w * sizeof *v);
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * w * sizeof *v);
}

void xsort_sort_array(uint64_t *v, size_t n, unsigned w, uint64_t *scratch)
{
    size_t i = 0;
    if (n < 2)
        return;
    radix_word0(v, n, w, scratch);
    if (w == 1)
        return;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && v[j * w] == v[i * w])
            j++;
        if (j - i > 1)
            sort_ties(&v[i * w], j - i, w);
        i = j;
    }
}

/* ---- runs on disk ----------------------------------------------------------------------------------------- */

typedef struct { uint64_t off, len; } run_t;

typedef struct {             /* reads one run (or the in-memory batch) back */
    const uint64_t *mem;     /* the batch: records at mem, mem_left of them */
    size_t   mem_left;
    uint64_t off, end;       /* the run: file bytes [off, end) not yet in buf */
    uint8_t *buf;
    size_t   pos, len;
    uint64_t rec[XS_WORDS_MAX];
    uint64_t prev0;
} cursor;

struct xsort {
    unsigned  words;
    size_t    batch, n;      /* capacity and fill of v */
    uint64_t *v, *scratch;
    bool      own_scratch;
    int       fd;            /* temporary file, -1 until the first spill */
    uint64_t  file_end;
    run_t     runs[XS_FANIN];
    unsigned  nruns;
    uint8_t  *wbuf;          /* writer */
    size_t    wlen;
    uint64_t  count, spilled;
    char      err[128];
    /* reading */
    cursor   *cur;           /* nruns + 1 cursors */
    unsigned *heap, nheap;
    bool      reading;
};

static int fail(xsort *s, const char *what, int e)
{
    if (s->err[0] == 0)
        snprintf(s->err, sizeof s->err, "%s: %s", what, e != 0 ? strerror(e) : "out of memory");
    return -1;
}

static int open_temp(xsort *s)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];

    if (dir == NULL || dir[0] == 0)
        dir = "/tmp";
    if ((size_t)snprintf(path, sizeof path, "%s/hdvalidate-XXXXXX", dir) >= sizeof path)
        return fail(s, "temporary file name too long", ENAMETOOLONG);
    s->fd = mkstemp(path);
    if (s->fd < 0)
        return fail(s, "cannot create a temporary file for pending cross-references", errno);
    unlink(path);            /* gone when the process ends, whatever happens */
    return 0;
}

static int wflush(xsort *s)
{
    size_t done = 0;
    while (done < s->wlen) {
        ssize_t k = pwrite(s->fd, s->wbuf + done, s->wlen - done, (off_t)s->file_end);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return fail(s, "cannot write the temporary file", k < 0 ? errno : ENOSPC);
        done += (size_t)k;
        s->file_end += (uint64_t)k;
        s->spilled += (uint64_t)k;
    }
    s->wlen = 0;
    return 0;
}

static int wrec(xsort *s, const uint64_t *r, uint64_t *prev0)
{
    if (WRITE_BUF - s->wlen < REC_MAX_BYTES && wflush(s) < 0)
        return -1;
    s->wlen += hd_uvarint_put(s->wbuf + s->wlen, r[0] - *prev0);
    for (unsigned i = 1; i < s->words; i++)
        s->wlen += hd_uvarint_put(s->wbuf + s->wlen, r[i]);
    *prev0 = r[0];
    return 0;
}

/* ---- reading runs back ------------------------------------------------------------------------------------ */

static int refill(xsort *s, cursor *c)
{
    size_t keep = c->len - c->pos, want;
    memmove(c->buf, c->buf + c->pos, keep);
    c->pos = 0;
    c->len = keep;
    want = XS_READ_BUF - keep;
    if (want > c->end - c->off)
        want = (size_t)(c->end - c->off);
    while (want > 0) {
        ssize_t k = pread(s->fd, c->buf + c->len, want, (off_t)c->off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return fail(s, "cannot read the temporary file", k < 0 ? errno : EIO);
        c->len += (size_t)k;
        c->off += (uint64_t)k;
        want -= (size_t)k;
    }
    return 0;
}

/* Load the cursor's next record into c->rec: 1, 0 at its end, -1 on failure. */
static int cursor_next(xsort *s, cursor *c)
{
    if (c->buf == NULL) {
        if (c->mem_left == 0)
            return 0;
        memcpy(c->rec, c->mem, s->words * sizeof *c->rec);
        c->mem += s->words;
        c->mem_left--;
        return 1;
    }
    if (c->len - c->pos < REC_MAX_BYTES && c->off < c->end && refill(s, c) < 0)
        return -1;
    if (c->pos == c->len)
        return 0;
    for (unsigned i = 0; i < s->words; i++) {
        size_t used;
        uint64_t x;
        if (hd_uvarint_get(c->buf + c->pos, c->len - c->pos, &x, &used) != HD_UV_OK)
            return fail(s, "the temporary file is corrupt", EIO);
        c->pos += used;
        c->rec[i] = i == 0 ? c->prev0 + x : x;
    }
    c->prev0 = c->rec[0];
    return 1;
}

static bool less(const xsort *s, unsigned a, unsigned b)
{
    return cmp_rec(s->cur[a].rec, s->cur[b].rec, s->words) < 0;
}

static void heap_down(xsort *s, unsigned i)
{
    for (unsigned child; (child = 2 * i + 1) < s->nheap; i = child) {
        if (child + 1 < s->nheap && less(s, s->heap[child + 1], s->heap[child]))
            child++;
        if (!less(s, s->heap[child], s->heap[i]))
            return;
        unsigned t = s->heap[i];
        s->heap[i] = s->heap[child];
        s->heap[child] = t;
    }
}

/* Set up a merge of the runs (and the sorted batch, if mem != NULL). */
static int merge_begin(xsort *s, const uint64_t *mem, size_t nmem)
{
    unsigned n = s->nruns + 1;
    s->cur = calloc(n, sizeof *s->cur);
    s->heap = calloc(n, sizeof *s->heap);
    if (s->cur == NULL || s->heap == NULL)
        return fail(s, "cannot merge", 0);
    for (unsigned i = 0; i < s->nruns; i++) {
        s->cur[i].off = s->runs[i].off;
        s->cur[i].end = s->runs[i].off + s->runs[i].len;
        if ((s->cur[i].buf = malloc(XS_READ_BUF)) == NULL)
            return fail(s, "cannot merge", 0);
    }
    s->cur[s->nruns].mem = mem;
    s->cur[s->nruns].mem_left = nmem;
    s->nheap = 0;
    for (unsigned i = 0; i < n; i++) {
        int r = cursor_next(s, &s->cur[i]);
        if (r < 0)
            return -1;
        if (r > 0)
            s->heap[s->nheap++] = i;
    }
    for (unsigned i = s->nheap / 2; i-- > 0;)
        heap_down(s, i);
    return 0;
}

static int merge_next(xsort *s, uint64_t *rec)
{
    unsigned top;
    int r;
    if (s->nheap == 0)
        return 0;
    top = s->heap[0];
    memcpy(rec, s->cur[top].rec, s->words * sizeof *rec);
    if ((r = cursor_next(s, &s->cur[top])) < 0)
        return -1;
    if (r == 0)
        s->heap[0] = s->heap[--s->nheap];
    heap_down(s, 0);
    return 1;
}

static void merge_end(xsort *s)
{
    if (s->cur != NULL)
        for (unsigned i = 0; i <= s->nruns; i++)
            free(s->cur[i].buf);
    free(s->cur);
    free(s->heap);
    s->cur = NULL;
    s->heap = NULL;
    s->nheap = 0;
}

/* ---- spilling --------------------------------------------------------------------------------------------- */

/* XS_FANIN runs: merge them into one run at the end of the file and give their space back. */
static int compact(xsort *s)
{
    uint64_t start = s->file_end, old = s->runs[0].off, prev0 = 0, rec[XS_WORDS_MAX];
    int r;

    if (merge_begin(s, NULL, 0) < 0)
        return -1;
    while ((r = merge_next(s, rec)) > 0)
        if (wrec(s, rec, &prev0) < 0)
            break;
    merge_end(s);
    if (r < 0 || s->err[0] != 0 || wflush(s) < 0)
        return -1;
#ifdef FALLOC_FL_PUNCH_HOLE
    (void)fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)old, (off_t)(start - old));
#else
    (void)old;
#endif
    s->runs[0].off = start;
    s->runs[0].len = s->file_end - start;
    s->nruns = 1;
    return 0;
}

static int spill(xsort *s)
{
    uint64_t start, prev0 = 0;

    if (s->fd < 0 && open_temp(s) < 0)
        return -1;
    if (s->wbuf == NULL && (s->wbuf = malloc(WRITE_BUF)) == NULL)
        return fail(s, "cannot spill", 0);
    xsort_sort_array(s->v, s->n, s->words, s->scratch);
    start = s->file_end;
    for (size_t i = 0; i < s->n; i++)
        if (wrec(s, &s->v[i * s->words], &prev0) < 0)
            return -1;
    if (wflush(s) < 0)
        return -1;
    s->runs[s->nruns].off = start;
    s->runs[s->nruns].len = s->file_end - start;
    s->nruns++;
    s->n = 0;
    return s->nruns == XS_FANIN ? compact(s) : 0;
}

/* ---- API ---------------------------------------------------------------------------------------------------- */

xsort *xsort_new(unsigned words, size_t batch, uint64_t *scratch)
{
    xsort *s;
    if (words == 0 || words > XS_WORDS_MAX || batch < 2)
        return NULL;
    if ((s = calloc(1, sizeof *s)) == NULL)
        return NULL;
    s->words = words;
    s->batch = batch;
    s->fd = -1;
    s->v = malloc(batch * words * sizeof *s->v);
    s->scratch = scratch;
    if (scratch == NULL) {
        s->scratch = malloc(batch * words * sizeof *s->scratch);
        s->own_scratch = true;
    }
    if (s->v == NULL || s->scratch == NULL) {
        xsort_free(s);
        return NULL;
    }
    return s;
}

void xsort_free(xsort *s)
{
    if (s == NULL)
        return;
    merge_end(s);
    if (s->fd >= 0)
        close(s->fd);
    free(s->v);
    if (s->own_scratch)
        free(s->scratch);
    free(s->wbuf);
    free(s);
}

int xsort_add(xsort *s, const uint64_t *rec)
{
    if (s->err[0] != 0 || s->reading)
        return -1;
    if (s->n == s->batch && spill(s) < 0)
        return -1;
    memcpy(&s->v[s->n * s->words], rec, s->words * sizeof *rec);
    s->n++;
    s->count++;
    return 0;
}

int xsort_finish(xsort *s)
{
    if (s->err[0] != 0)
        return -1;
    if (s->reading)
        return 0;
    s->reading = true;
    xsort_sort_array(s->v, s->n, s->words, s->scratch);
    return merge_begin(s, s->v, s->n);
}

int xsort_next(xsort *s, uint64_t *rec)
{
    if (s->err[0] != 0 || !s->reading)
        return -1;
    return merge_next(s, rec);
}

const char *xsort_error(const xsort *s) { return s->err[0] != 0 ? s->err : NULL; }
uint64_t xsort_count(const xsort *s) { return s->count; }
uint64_t xsort_spilled(const xsort *s) { return s->spilled; }
