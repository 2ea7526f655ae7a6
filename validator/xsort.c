/* xsort.c — external sort of fixed-size records (see xsort.h). */
#define _GNU_SOURCE 1          /* fallocate */
#include "xsort.h"
#include "bigmem.h"
#include "hd/uvarint.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WRITE_BUF (64u * 1024u)
#define REC_MAX_BYTES (XS_WORDS_MAX * HD_UVARINT_MAX)

/* Records are a few words: a plain loop beats a library call per record. */
static inline void copy_rec(uint64_t *dst, const uint64_t *src, unsigned words)
{
    for (unsigned i = 0; i < words; i++)
        dst[i] = src[i];
}

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

/* LSD radix sort by word 0 over the bits that vary, stable, ping-ponging with scratch. One counting pass makes
 * the histograms of every digit; then one scatter pass per digit. */
#define RADIX_BITS 11u
#define RADIX (1u << RADIX_BITS)
#define MAX_PASSES 6u               /* 64 bits in digits of at least 11 */

static void scatter(uint64_t *dst, const uint64_t *src, size_t n, unsigned w, uint64_t lo, unsigned shift, size_t mask,
                    size_t *pos)
{
    if (w == 2) {                   /* the ledger and the object index: two words, copied as such */
        for (size_t i = 0; i < n; i++) {
            size_t at = 2 * pos[((src[2 * i] - lo) >> shift) & mask]++;
            dst[at] = src[2 * i];
            dst[at + 1] = src[2 * i + 1];
        }
        return;
    }
    for (size_t i = 0; i < n; i++)
        copy_rec(&dst[pos[((src[i * w] - lo) >> shift) & mask]++ * w], &src[i * w], w);
}

static void radix_word0(uint64_t *v, size_t n, unsigned w, uint64_t *scratch)
{
    uint64_t lo = UINT64_MAX, hi = 0, span;
    uint64_t *src = v, *dst = scratch;
    unsigned bits = 0, passes, digit;
    size_t mask;
    static _Thread_local size_t count[MAX_PASSES][RADIX];

    for (size_t i = 0; i < n; i++) {
        uint64_t k = v[i * w];
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    for (span = hi - lo; span != 0; span >>= 1)
        bits++;
    /* as few passes as RADIX_BITS allows, each digit as narrow as that number of passes allows */
    passes = (bits + RADIX_BITS - 1) / RADIX_BITS;
    digit = passes ? (bits + passes - 1) / passes : 0;
    mask = ((size_t)1 << digit) - 1;
    for (unsigned p = 0; p < passes; p++)
        memset(count[p], 0, (mask + 1) * sizeof count[p][0]);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = v[i * w] - lo;
        for (unsigned p = 0; p < passes; p++)
            count[p][(k >> (p * digit)) & mask]++;
    }
    for (unsigned p = 0; p < passes; p++) {
        size_t sum = 0;
        for (size_t d = 0; d <= mask; d++) {
            size_t c = count[p][d];
            count[p][d] = sum;
            sum += c;
        }
        scatter(dst, src, n, w, lo, p * digit, mask, count[p]);
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
        bool sorted = true;
        while (j < n && v[j * w] == v[i * w]) {
            sorted = sorted && cmp_rest(&v[(j - 1) * w], &v[j * w], w) <= 0;
            j++;
        }
        /* the radix sort is stable and records mostly come in order: a run of ties is usually sorted already */
        if (!sorted)
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
    bool     empty;          /* no record left: rec is not one */
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
    /* the background spiller (threaded): it sorts and writes one batch while the caller fills the other */
    bool      threaded, main_failed;
    uint64_t *v2, *wscratch;     /* the other batch; the spiller's own scratch */
    pthread_t thread;
    bool      thread_up, job_pending, quit;
    uint64_t *job;
    size_t    job_n;
    pthread_mutex_t mu;
    pthread_cond_t  cv;
    /* reading */
    cursor   *cur;           /* nruns + 1 cursors while merging */
    unsigned  ncur;
    unsigned *tree;          /* the loser tree: tree[0] the winner, tree[1..ncur) the losers */
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

/* Words after the first often keep flags in their top bits (the ledger's class): stored rotated by two bits,
 * they stay short uvarints. */
static inline uint64_t rotl2(uint64_t w) { return w << 2 | w >> 62; }
static inline uint64_t rotr2(uint64_t w) { return w >> 2 | w << 62; }

static int wrec(xsort *s, const uint64_t *r, uint64_t *prev0)
{
    if (WRITE_BUF - s->wlen < REC_MAX_BYTES && wflush(s) < 0)
        return -1;
    s->wlen += hd_uvarint_put(s->wbuf + s->wlen, r[0] - *prev0);
    for (unsigned i = 1; i < s->words; i++)
        s->wlen += hd_uvarint_put(s->wbuf + s->wlen, rotl2(r[i]));
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
        copy_rec(c->rec, c->mem, s->words);
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
        c->rec[i] = i == 0 ? c->prev0 + x : rotr2(x);
    }
    c->prev0 = c->rec[0];
    return 1;
}

/* The merge is a loser tree: each internal node keeps the loser of the match played there, tree[0] the winner;
 * replacing the winner's record costs one match per level, log2(k) comparisons, half a binary heap's. A cursor
 * at its end loses every match. */
static bool beats(const xsort *s, unsigned a, unsigned b)
{
    if (s->cur[a].empty || s->cur[b].empty)
        return !s->cur[a].empty;
    return cmp_rec(s->cur[a].rec, s->cur[b].rec, s->words) < 0;
}

static void replay(xsort *s, unsigned leaf)
{
    unsigned w = leaf;
    for (unsigned node = (s->ncur + leaf) / 2; node >= 1; node /= 2)
        if (beats(s, s->tree[node], w)) {
            unsigned t = s->tree[node];
            s->tree[node] = w;
            w = t;
        }
    s->tree[0] = w;
}

/* Set up a merge of the runs (and the sorted batch, if mem != NULL). */
static int merge_begin(xsort *s, const uint64_t *mem, size_t nmem)
{
    unsigned n = s->nruns + 1, *win;
    s->ncur = n;
    s->cur = calloc(n, sizeof *s->cur);
    s->tree = calloc(n, sizeof *s->tree);
    win = calloc(2 * (size_t)n, sizeof *win);
    if (s->cur == NULL || s->tree == NULL || win == NULL) {
        free(win);
        return fail(s, "cannot merge", 0);
    }
    for (unsigned i = 0; i < s->nruns; i++) {
        s->cur[i].off = s->runs[i].off;
        s->cur[i].end = s->runs[i].off + s->runs[i].len;
        if ((s->cur[i].buf = malloc(XS_READ_BUF)) == NULL) {
            free(win);
            return fail(s, "cannot merge", 0);
        }
    }
    s->cur[s->nruns].mem = mem;
    s->cur[s->nruns].mem_left = nmem;
    for (unsigned i = 0; i < n; i++) {
        int r = cursor_next(s, &s->cur[i]);
        if (r < 0) {
            free(win);
            return -1;
        }
        s->cur[i].empty = r == 0;
        win[n + i] = i;
    }
    for (unsigned node = n - 1; node >= 1; node--) {       /* play every match once, bottom up */
        unsigned a = win[2 * node], b = win[2 * node + 1];
        bool a_wins = beats(s, a, b);
        win[node] = a_wins ? a : b;
        s->tree[node] = a_wins ? b : a;
    }
    s->tree[0] = n > 1 ? win[1] : 0;
    free(win);
    return 0;
}

static int merge_next(xsort *s, uint64_t *rec)
{
    unsigned top = s->tree[0];
    int r;
    if (s->cur[top].empty)
        return 0;
    copy_rec(rec, s->cur[top].rec, s->words);
    if ((r = cursor_next(s, &s->cur[top])) < 0)
        return -1;
    s->cur[top].empty = r == 0;
    replay(s, top);
    return 1;
}

static void merge_end(xsort *s)
{
    if (s->cur != NULL)
        for (unsigned i = 0; i < s->ncur; i++)
            free(s->cur[i].buf);
    free(s->cur);
    free(s->tree);
    s->cur = NULL;
    s->tree = NULL;
    s->ncur = 0;
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

/* Sort one batch and write it as a run (on the spiller's thread when threaded: the file, the run table and the
 * error are then its own until the caller waits for it). */
static int spill_batch(xsort *s, uint64_t *v, size_t n, uint64_t *scratch)
{
    uint64_t start, prev0 = 0;

    if (s->fd < 0 && open_temp(s) < 0)
        return -1;
    if (s->wbuf == NULL && (s->wbuf = malloc(WRITE_BUF)) == NULL)
        return fail(s, "cannot spill", 0);
    xsort_sort_array(v, n, s->words, scratch);
    start = s->file_end;
    for (size_t i = 0; i < n; i++)
        if (wrec(s, &v[i * s->words], &prev0) < 0)
            return -1;
    if (wflush(s) < 0)
        return -1;
    s->runs[s->nruns].off = start;
    s->runs[s->nruns].len = s->file_end - start;
    s->nruns++;
    return s->nruns == XS_FANIN ? compact(s) : 0;
}

static void *spiller(void *arg)
{
    xsort *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->job_pending && !s->quit)
            pthread_cond_wait(&s->cv, &s->mu);
        if (s->quit && !s->job_pending)
            break;
        pthread_mutex_unlock(&s->mu);
        if (s->err[0] == 0)
            spill_batch(s, s->job, s->job_n, s->wscratch);
        pthread_mutex_lock(&s->mu);
        s->job_pending = false;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* Wait until the spiller has written what it was given. 0, or -1 if it failed (s->err says why). */
static int wait_idle(xsort *s)
{
    bool bad;
    if (!s->thread_up)
        return s->err[0] != 0 ? -1 : 0;
    pthread_mutex_lock(&s->mu);
    while (s->job_pending)
        pthread_cond_wait(&s->cv, &s->mu);
    bad = s->err[0] != 0;
    pthread_mutex_unlock(&s->mu);
    return bad ? -1 : 0;
}

static void stop_spiller(xsort *s)
{
    if (!s->thread_up)
        return;
    pthread_mutex_lock(&s->mu);
    s->quit = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    s->thread_up = false;
}

/* The batch is full. Threaded: hand it to the spiller (once it is done with the previous one) and fill the other;
 * a spiller that cannot start makes the caller spill itself. */
static int spill(xsort *s)
{
    if (s->threaded && !s->thread_up && s->v2 != NULL)
        s->thread_up = pthread_create(&s->thread, NULL, spiller, s) == 0;
    if (!s->thread_up) {
        if (spill_batch(s, s->v, s->n, s->scratch) < 0)
            return -1;
        s->n = 0;
        return 0;
    }
    if (wait_idle(s) < 0)
        return -1;
    pthread_mutex_lock(&s->mu);
    s->job = s->v;
    s->job_n = s->n;
    s->job_pending = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    s->v = s->v2;
    s->v2 = s->job;
    s->n = 0;
    return 0;
}

/* ---- API ---------------------------------------------------------------------------------------------------- */

xsort *xsort_new(unsigned words, size_t batch, uint64_t *scratch, bool threaded)
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
    bigmem_advise_huge(s->v, batch * words * sizeof *s->v);       /* reused for every batch: fully touched */
    if (s->own_scratch)
        bigmem_advise_huge(s->scratch, batch * words * sizeof *s->scratch);
    if (threaded && pthread_mutex_init(&s->mu, NULL) == 0) {
        if (pthread_cond_init(&s->cv, NULL) != 0) {
            pthread_mutex_destroy(&s->mu);
        } else {
            s->threaded = true;
            s->v2 = malloc(batch * words * sizeof *s->v2);          /* both NULL: the caller spills itself */
            s->wscratch = malloc(batch * words * sizeof *s->wscratch);
            if (s->v2 == NULL || s->wscratch == NULL) {
                free(s->v2);
                free(s->wscratch);
                s->v2 = s->wscratch = NULL;
            }
        }
    }
    return s;
}

void xsort_free(xsort *s)
{
    if (s == NULL)
        return;
    stop_spiller(s);
    if (s->threaded) {
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
    }
    merge_end(s);
    if (s->fd >= 0)
        close(s->fd);
    free(s->v);
    free(s->v2);
    free(s->wscratch);
    if (s->own_scratch)
        free(s->scratch);
    free(s->wbuf);
    free(s);
}

int xsort_add(xsort *s, const uint64_t *rec)
{
    if (s->main_failed || s->reading)
        return -1;
    if (s->n == s->batch && spill(s) < 0) {
        s->main_failed = true;
        return -1;
    }
    copy_rec(&s->v[s->n * s->words], rec, s->words);
    s->n++;
    s->count++;
    return 0;
}

int xsort_finish(xsort *s)
{
    if (s->reading)
        return s->err[0] != 0 ? -1 : 0;
    s->reading = true;
    if (wait_idle(s) < 0)
        return -1;
    stop_spiller(s);                      /* from here on everything is the caller's */
    if (s->err[0] != 0)
        return -1;
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
