/* source.c — byte window over memory or a file descriptor. See source.h. */
#include "source.h"
#include "decompress.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void src_init_mem(src_t *s, const uint8_t *p, size_t len)
{
    memset(s, 0, sizeof *s);
    s->buf = p;
    s->len = len;
    s->fd = -1;
    s->at_end = true;
    s->size_known = true;
    s->total = len;
}

static ssize_t read_some(int fd, uint8_t *buf, size_t n)
{
    ssize_t k;
    do
        k = read(fd, buf, n);
    while (k < 0 && errno == EINTR);
    return k;
}

/* The first bytes decide: a compressed input gets its decompressor, and its size is no longer known. The first
 * read is at most what the decompressor takes over (a larger one made every compressed file over 128 KiB
 * "out of memory for the decompressor"; pipes, which return 64 KiB a read, hid it). */
static int detect_compression(src_t *s)
{
    ssize_t k = read_some(s->fd, s->owned, SRC_WINDOW < DZ_PRE_MAX ? SRC_WINDOW : DZ_PRE_MAX);
    dz_format f;

    if (k < 0) {
        s->err = errno;
        s->at_end = true;
        return 0;
    }
    f = dz_detect(s->owned, (size_t)k);
    if (f == DZ_NONE) {
        s->len = (size_t)k;            /* the first window */
        s->at_end = k == 0;
        return 0;
    }
    s->compression = f;
    s->size_known = false;
    s->dz = dz_new(f, s->fd, s->owned, (size_t)k, &s->errmsg);
    s->at_end = s->dz == NULL;          /* errmsg says why nothing can be read */
    return 0;
}

int src_init_fd(src_t *s, int fd)
{
    struct stat st;

    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->owned = malloc(SRC_WINDOW);
    if (s->owned == NULL)
        return -1;
    s->buf = s->owned;
    /* A regular file's size lets the decoder reject an impossible length before reading on. The reader
     * starts at the descriptor's current offset, as WriteHeapDump writes at it. */
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t here = lseek(fd, 0, SEEK_CUR);
        if (here >= 0 && st.st_size >= here) {
            s->size_known = true;
            s->total = (uint64_t)(st.st_size - here);
        }
    }
    return detect_compression(s);
}

void src_free(src_t *s)
{
    dz_free(s->dz);
    s->dz = NULL;
    free(s->owned);
    s->owned = NULL;
}

uint64_t src_compressed_bytes(const src_t *s)
{
    return s->dz != NULL ? dz_in_bytes(s->dz) : 0;
}

bool src_fill(src_t *s)
{
    ssize_t n;

    if (s->pos < s->len)
        return true;
    if (s->at_end)
        return false;
    if (s->evict != NULL)
        s->evict(s->evict_ctx);
    s->base += s->len;
    s->pos = s->len = 0;
    n = s->dz != NULL ? dz_read(s->dz, s->owned, SRC_WINDOW) : read_some(s->fd, s->owned, SRC_WINDOW);
    if (n > 0) {
        s->len = (size_t)n;
        /* a file that grew under us: from here on its size is what reading finds, as for a pipe */
        if (s->size_known && s->base + s->len > s->total)
            s->size_known = false;
        return true;
    }
    if (n < 0 && s->dz != NULL)
        s->errmsg = dz_error(s->dz);
    else if (n < 0)
        s->err = errno;
    s->at_end = true;
    /* a file that changed size under us: trust what was read */
    s->size_known = true;
    s->total = s->base;
    return false;
}

uint64_t src_take(src_t *s, uint64_t n, uint64_t keep, uint8_t *arena, const uint8_t **out, bool *borrowed)
{
    uint64_t done = 0;

    if (keep > n)
        keep = n;
    if (out != NULL)
        *out = NULL;
    if (borrowed != NULL)
        *borrowed = false;
    if (s->fd < 0) {
        uint64_t avail = s->len - s->pos;
        if (n > avail)
            n = avail;
        if (out != NULL && keep <= n)
            *out = s->buf + s->pos;
        s->pos += (size_t)n;
        return n;
    }
    if (out != NULL && n <= s->len - s->pos && borrowed != NULL) {
        *out = s->buf + s->pos;     /* all in the window: lend it, copy only if the window moves on */
        *borrowed = true;
        s->pos += (size_t)n;
        return n;
    }
    if (out != NULL)
        *out = arena;
    while (done < n) {
        uint64_t chunk;
        if (!src_fill(s))
            break;
        chunk = s->len - s->pos;
        if (chunk > n - done)
            chunk = n - done;
        if (done < keep && arena != NULL) {
            uint64_t k = keep - done < chunk ? keep - done : chunk;
            memcpy(arena + done, s->buf + s->pos, (size_t)k);
        }
        s->pos += (size_t)chunk;
        done += chunk;
    }
    return done;
}

uint64_t src_skip_rest(src_t *s)
{
    uint64_t start = src_offset(s), n;

    if (s->fd >= 0 && s->size_known) {
        /* a regular file: no need to read what we know the size of */
        off_t to = lseek(s->fd, 0, SEEK_END);
        if (to >= 0) {
            s->base = start + src_left_known(s);
            s->pos = s->len = 0;
            s->at_end = true;
            return s->base - start;
        }
    }
    while ((n = src_take(s, UINT64_MAX, 0, NULL, NULL, NULL)) > 0)
        ;
    return src_offset(s) - start;
}
