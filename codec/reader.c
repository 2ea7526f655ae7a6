/* reader.c — the strict streaming decoder (see hd/reader.h).
 *
 * Walks the layout tables of hd/layouts.h. Every length is checked against the bytes left before it is
 * used; every kept prefix is bounded by HD_KEEP_*. A diagnostic that loses the record boundary (bad
 * uvarint, impossible length, unknown tag or field kind, end of input) makes the reader stop for good:
 * nothing after it could be trusted. */
#include "hd/reader.h"
#include "hd/layouts.h"
#include "hd/uvarint.h"
#include "source.h"
#include "decompress.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_SIZE (HD_KEEP_CONTENTS + (2u * HD_KEEP_MPFRAMES + 8u) * HD_KEEP_STRING)
/* Byte ranges of one record: every string and contents field of a layout, and two per kept memprof frame. */
#define MAX_BORROWED (2u * HD_KEEP_MPFRAMES + 8u)

struct hd_reader {
    src_t        src;
    hd_diag_sink sink;
    hd_layout    layout;
    unsigned     ptrsize;        /* 0 until params gave 4 or 8 */
    bool         stopped;        /* boundary lost: every later call returns -1 */
    uint64_t     nrec;           /* records started */
    hd_record   *rec;            /* record being decoded */
    uint64_t     extent;         /* length the next field list is checked against */
    uint8_t     *arena;          /* fd input only: kept bytes of the current record */
    size_t       arena_used;
    hd_field    *fields;         /* grows on demand up to HD_KEEP_FIELDS entries */
    uint32_t     fields_cap;
    hd_mpframe  *mpframes;
    hd_bytes    *borrowed[MAX_BORROWED];   /* ranges of this record that point into the fd window */
    unsigned     nborrowed;
};

/* ---- diagnostics ------------------------------------------------------------------------------ */

static void report(hd_reader *r, hd_rule rule, uint64_t off, const char *fmt, ...)
{
    hd_diag d;
    va_list ap;

    memset(&d, 0, sizeof d);
    d.rule = rule;
    d.severity = hd_rule_get(rule)->severity;
    d.offset = off;
    d.record = r->rec != NULL ? r->rec->index : HD_NO_RECORD;
    d.tag = r->rec != NULL ? (int)r->rec->tag : -1;
    va_start(ap, fmt);
    vsnprintf(d.message, sizeof d.message, fmt, ap);
    va_end(ap);
    if (r->sink.emit != NULL)
        r->sink.emit(r->sink.ctx, &d);
}

/* The input ended inside the current record while reading `what`. If reading failed (an I/O error, a corrupt
 * compressed stream), that is the story, not the dump's: no diagnostic, the caller reports the failure. */
static int truncated(hd_reader *r, const char *what, bool in_fields)
{
    const char *tag = hd_tag_name(r->rec->tag);
    bool vowel = tag[0] == 'a' || tag[0] == 'e' || tag[0] == 'i' || tag[0] == 'o' || tag[0] == 'u';

    r->stopped = true;
    if (src_failed(&r->src))
        return -1;
    if (in_fields)
        report(r, HD_R_FIELDS_UNTERMINATED, src_offset(&r->src),
               "file ends inside the %s list: no Eol (0) terminates it", what);
    else
        report(r, HD_R_TRUNCATED_RECORD, src_offset(&r->src), "file ends inside %s %s record while reading the %s",
               vowel ? "an" : "a", tag, what);
    return -1;
}

/* ---- primitives ------------------------------------------------------------------------------- */

/* Read one uvarint. 0 ok; -1 stop (diagnosed). `what` names the field for messages. */
static int get_uvarint_slow(hd_reader *r, uint64_t *out, const char *what, bool in_fields);

/* The hot path: ten bytes in the window hold any uvarint, so it is decoded in place; a malformed one, or one at
 * the window's edge, takes the careful path (which reports). */
static inline int get_uvarint(hd_reader *r, uint64_t *out, const char *what, bool in_fields)
{
    src_t *s = &r->src;
    size_t used;

    if (s->len - s->pos >= HD_UVARINT_MAX && hd_uvarint_get(s->buf + s->pos, HD_UVARINT_MAX, out, &used) == HD_UV_OK &&
        (used == 1 || s->buf[s->pos + used - 1] != 0)) {
        s->pos += used;
        return 0;
    }
    return get_uvarint_slow(r, out, what, in_fields);
}

static int get_uvarint_slow(hd_reader *r, uint64_t *out, const char *what, bool in_fields)
{
    uint64_t start = src_offset(&r->src), v = 0;
    int b = 0;

    for (unsigned i = 0; i < 10; i++) {
        b = src_byte(&r->src);
        if (b < 0)
            return truncated(r, what, in_fields);
        if (i == 9 && b >= 0x80) {
            report(r, HD_R_UVARINT_TOO_LONG, start, "%s: uvarint runs past 10 bytes (10th byte is 0x%02x)", what, b);
            r->stopped = true;
            return -1;
        }
        if (i == 9 && b > 1) {
            report(r, HD_R_UVARINT_OVERFLOW, start, "%s: uvarint overflows 64 bits (10th byte is 0x%02x)", what, b);
            r->stopped = true;
            return -1;
        }
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (b < 0x80) {
            if (b == 0 && i > 0)
                report(r, HD_R_UVARINT_NONMIN, start, "%s: uvarint of %u bytes ends in a zero byte (not minimal)",
                       what, i + 1);
            *out = v;
            return 0;
        }
    }
    return -1;   /* not reached: the 10th byte either ends the uvarint or was diagnosed */
}

static int get_ptr(hd_reader *r, uint64_t *out, const char *what)
{
    uint64_t start = src_offset(&r->src);
    if (get_uvarint(r, out, what, false) < 0)
        return -1;
    if (r->ptrsize == 4 && *out > UINT32_MAX)
        report(r, HD_R_PTR_TOO_WIDE, start, "%s 0x%" PRIx64 " does not fit in a 4-byte pointer", what, *out);
    return 0;
}

static int get_bool(hd_reader *r, bool *out, const char *what)
{
    uint64_t start = src_offset(&r->src), v;
    if (get_uvarint(r, &v, what, false) < 0)
        return -1;
    if (v > 1) {
        report(r, HD_R_BOOL_INVALID, start, "%s is %" PRIu64 ", not 0 or 1", what, v);
        r->rec->flags |= HD_RF_BAD_BOOL;
    }
    *out = v != 0;
    return 0;
}

static uint8_t *arena_alloc(hd_reader *r, uint64_t n)
{
    uint8_t *p;
    if (r->arena == NULL)
        return NULL;               /* memory input: src_take points into the buffer */
    if (n > ARENA_SIZE - r->arena_used)
        return NULL;               /* cannot happen with the HD_KEEP_* bounds; keep nothing then */
    p = r->arena + r->arena_used;
    r->arena_used += (size_t)n;
    return p;
}

/* The window is about to be refilled: copy the ranges of the current record that point into it. */
static void evacuate(void *ctx)
{
    hd_reader *r = ctx;
    for (unsigned i = 0; i < r->nborrowed; i++) {
        hd_bytes *b = r->borrowed[i];
        uint8_t *dst = arena_alloc(r, b->kept);
        if (dst == NULL) {             /* cannot happen with the HD_KEEP_* bounds; keep nothing then */
            b->p = NULL;
            b->kept = 0;
            continue;
        }
        memcpy(dst, b->p, (size_t)b->kept);
        b->p = dst;
    }
    r->nborrowed = 0;
}

/* Length-prefixed bytes; keeps at most `keep` of them. */
static int get_bytes(hd_reader *r, hd_bytes *out, uint64_t keep, const char *what)
{
    uint64_t lenpos = src_offset(&r->src), len, left, got;
    uint8_t *dst;
    const uint8_t *p;
    bool lent = false;

    if (get_uvarint(r, &len, what, false) < 0)
        return -1;
    out->len = len;
    out->pos = src_offset(&r->src);
    left = src_left_known(&r->src);
    if (r->src.size_known && len > left) {
        report(r, HD_R_LENGTH_BEYOND_END, lenpos, "%s claims %" PRIu64 " bytes but only %" PRIu64 " are left",
               what, len, left);
        src_skip_rest(&r->src);      /* as a pipe would have: every input ends at its end */
        r->stopped = true;
        return -1;
    }
    if (keep > len)
        keep = len;
    if (r->arena != NULL && keep > 0 && r->src.len - r->src.pos >= len && r->nborrowed < MAX_BORROWED) {
        /* all in the window: borrow it (evacuate() copies it if the window moves on within this record) */
        got = src_take(&r->src, len, keep, NULL, &p, &lent);
        if (lent)
            r->borrowed[r->nborrowed++] = out;
    } else {
        dst = arena_alloc(r, keep);
        got = src_take(&r->src, len, dst != NULL || r->arena == NULL ? keep : 0, dst, &p, NULL);
    }
    if (got < len && src_failed(&r->src)) {
        r->stopped = true;
        return -1;
    }
    if (got < len) {
        report(r, HD_R_LENGTH_BEYOND_END, lenpos, "%s claims %" PRIu64 " bytes but only %" PRIu64 " are left",
               what, len, got);
        r->stopped = true;
        return -1;
    }
    out->p = p;
    out->kept = p != NULL ? keep : 0;
    return 0;
}

/* ---- field lists ------------------------------------------------------------------------------ */

static void fault(hd_field_fault *f, uint64_t index, uint64_t pos, uint64_t off)
{
    if (f->index == HD_NONE) {
        f->index = index;
        f->pos = pos;
        f->offset = off;
    }
}

/* Room for one more kept field entry. The array grows by doubling, so a reader that never meets a long
 * field list never holds the 2 MiB that HD_KEEP_FIELDS entries take (fuzzing opens many readers). */
static bool keep_room(hd_reader *r, hd_fields *fl)
{
    uint32_t cap;
    hd_field *v;

    if (fl->nkept < r->fields_cap)
        return true;
    cap = r->fields_cap == 0 ? 256 : r->fields_cap * 2;
    if (cap > HD_KEEP_FIELDS)
        cap = HD_KEEP_FIELDS;
    v = realloc(r->fields, cap * sizeof *v);
    if (v == NULL)
        return false;
    r->fields = v;
    r->fields_cap = cap;
    fl->v = v;
    return true;
}

/* One (kind, offset) entry of a field list: note the first violation of each shape property, keep it. */
typedef struct {
    uint64_t prev_off, prev_end;
    uint64_t width[HD_FK_MAX + 1];   /* bytes of a field of each kind (a kind the layout never writes: one word) */
    unsigned psz;
} field_walk;

static inline void add_field(hd_reader *r, hd_fields *fl, field_walk *w, uint64_t kind, uint64_t off, uint64_t pos)
{
    uint64_t width = w->width[kind];
    if (fl->count > 0 && off <= w->prev_off)
        fault(&fl->unsorted, fl->count, pos, off);
    else if (fl->count > 0 && off < w->prev_end)
        fault(&fl->overlap, fl->count, pos, off);
    if (off % w->psz != 0)
        fault(&fl->misaligned, fl->count, pos, off);
    if (off > r->extent || r->extent - off < width)
        fault(&fl->outside, fl->count, pos, off);
    if (fl->nkept < HD_KEEP_FIELDS && keep_room(r, fl)) {
        r->fields[fl->nkept].offset = off;
        r->fields[fl->nkept].kind = (uint8_t)kind;
        fl->nkept++;
    }
    fl->count++;
    w->prev_off = off;
    w->prev_end = off + width < off ? UINT64_MAX : off + width;
}

/* The hot loop of pointer-rich dumps: entries whose kind is one valid byte and whose offset is a minimal uvarint,
 * decoded in place while the window holds enough bytes. Returns the number of entries taken; the careful path
 * below takes over at anything else. */
static uint64_t fast_fields(hd_reader *r, hd_fields *fl, field_walk *w, unsigned maxkind)
{
    src_t *s = &r->src;
    uint64_t n = 0;

    while (s->len - s->pos >= 1 + HD_UVARINT_MAX) {
        const uint8_t *p = s->buf + s->pos;
        uint64_t off;
        size_t used;
        if (p[0] == HD_FK_EOL || p[0] > maxkind ||
            hd_uvarint_get(p + 1, HD_UVARINT_MAX, &off, &used) != HD_UV_OK || (used > 1 && p[used] == 0))
            break;
        add_field(r, fl, w, p[0], off, s->base + s->pos);
        s->pos += 1 + used;
        n++;
    }
    return n;
}

static int get_fields(hd_reader *r, hd_fields *fl, const char *what)
{
    unsigned maxkind = hd_layout_max_field_kind(r->layout);
    field_walk w;

    memset(fl, 0, sizeof *fl);
    memset(&w, 0, sizeof w);
    w.psz = r->ptrsize != 0 ? r->ptrsize : 8;
    for (unsigned k = 0; k <= HD_FK_MAX; k++)
        w.width[k] = (uint64_t)(k > maxkind ? 1 : hd_field_kind_words(r->layout, k)) * w.psz;
    fl->pos = src_offset(&r->src);
    fl->v = r->fields;
    fl->unsorted.index = fl->overlap.index = fl->misaligned.index = fl->outside.index = HD_NONE;
    for (;;) {
        uint64_t pos, kind, off;
        fast_fields(r, fl, &w, maxkind);
        pos = src_offset(&r->src);
        if (get_uvarint(r, &kind, what, true) < 0)
            return -1;
        if (kind == HD_FK_EOL)
            return 0;
        if (kind > HD_FK_MAX) {
            report(r, HD_R_FIELD_KIND_INVALID, pos, "%s: field kind %" PRIu64 " exists in no version", what, kind);
            r->stopped = true;
            return -1;
        }
        if (kind > maxkind)
            report(r, HD_R_FIELD_KIND_INVALID, pos, "%s: field kind %" PRIu64 " is never written by %s dumps",
                   what, kind, hd_layout_name(r->layout));
        if (get_uvarint(r, &off, what, true) < 0)
            return -1;
        add_field(r, fl, &w, kind, off, pos);
    }
}

/* ---- composite steps -------------------------------------------------------------------------- */

static int get_memstats(hd_reader *r, uint64_t *v)
{
    for (unsigned i = 0; i < HD_MEMSTATS_NVALUES; i++)
        if (get_uvarint(r, &v[i], "memstats value", false) < 0)
            return -1;
    return 0;
}

static int get_mpframes(hd_reader *r, hd_record *rec)
{
    uint64_t n;
    if (get_uvarint(r, &n, "memprof frame count", false) < 0)
        return -1;
    rec->u.memprof.nframes = n;
    rec->u.memprof.frames = r->mpframes;
    rec->u.memprof.nkept = 0;
    /* No check of n against the bytes left here: a pipe could not make it, and both inputs must give the
     * same diagnostics. Each frame consumes at least 3 bytes, so a lying count just runs into the end. */
    for (uint64_t i = 0; i < n; i++) {
        hd_mpframe tmp, *f = i < HD_KEEP_MPFRAMES ? &r->mpframes[i] : &tmp;
        uint64_t keep = i < HD_KEEP_MPFRAMES ? HD_KEEP_STRING : 0;   /* frames past the kept ones: nothing */
        if (get_bytes(r, &f->name, keep, "memprof function name") < 0 ||
            get_bytes(r, &f->file, keep, "memprof file name") < 0 ||
            get_uvarint(r, &f->line, "memprof line", false) < 0)
            return -1;
        if (i < HD_KEEP_MPFRAMES)
            rec->u.memprof.nkept++;
    }
    return 0;
}

static int get_ptrsize(hd_reader *r, uint64_t *out, const char *what)
{
    uint64_t start = src_offset(&r->src);
    if (get_uvarint(r, out, what, false) < 0)
        return -1;
    if (*out != 4 && *out != 8)
        report(r, HD_R_PTRSIZE_INVALID, start, "pointer size is %" PRIu64 ", not 4 or 8", *out);
    else if (r->ptrsize == 0)
        r->ptrsize = (unsigned)*out;
    return 0;
}

static int run_step(hd_reader *r, hd_record *rec, const layout_step *st)
{
    void *at = (char *)rec + st->at;
    switch (st->op) {
    case ST_UINT: return get_uvarint(r, at, st->what, false);
    case ST_PTR: return get_ptr(r, at, st->what);
    case ST_BOOL: return get_bool(r, at, st->what);
    case ST_STRING: return get_bytes(r, at, HD_KEEP_STRING, st->what);
    case ST_ARCH_STRING: rec->u.params.arch_is_string = true; return get_bytes(r, at, HD_KEEP_STRING, st->what);
    case ST_CONTENTS:
        if (get_bytes(r, at, HD_KEEP_CONTENTS, st->what) < 0)
            return -1;
        r->extent = ((hd_bytes *)at)->len;
        return 0;
    case ST_EXTENT:
        if (get_uvarint(r, at, st->what, false) < 0)
            return -1;
        r->extent = *(uint64_t *)at;
        return 0;
    case ST_FIELDS: return get_fields(r, at, st->what);
    case ST_PTRSIZE: return get_ptrsize(r, at, st->what);
    case ST_MEMSTATS: return get_memstats(r, at);
    case ST_MPFRAMES: return get_mpframes(r, rec);
    case ST_END: break;
    }
    return 0;
}

/* ---- records ---------------------------------------------------------------------------------- */

int hd_reader_next(hd_reader *r, hd_record *rec)
{
    uint64_t tag;
    const layout_step *st;

    if (r->stopped)
        return -1;
    memset(rec, 0, sizeof *rec);
    rec->pos = src_offset(&r->src);
    r->nborrowed = 0;                /* the previous record's ranges are the caller's problem now */
    if (src_peek(&r->src) < 0)
        return src_failed(&r->src) ? (r->stopped = true, -1) : 0;
    rec->index = r->nrec++;
    rec->tag = (hd_tag)HD_TAG_COUNT;     /* not known yet: a diagnostic about the tag itself names no tag */
    r->rec = rec;
    r->arena_used = 0;
    r->nborrowed = 0;
    r->extent = 0;
    if (get_uvarint(r, &tag, "record tag", false) < 0)
        return -1;
    if (tag >= HD_TAG_COUNT) {
        rec->tag = (hd_tag)HD_TAG_COUNT;
        report(r, HD_R_TAG_UNKNOWN, rec->pos, "unknown record tag %" PRIu64, tag);
        r->stopped = true;
        return -1;
    }
    rec->tag = (hd_tag)tag;
    st = hd_layout_steps(r->layout, (unsigned)tag);
    if (st == NULL) {
        /* The layout is known from go1.3, so we can read on; but this writer never emits the tag. */
        report(r, HD_R_TAG_NOT_IN_VERSION, rec->pos, "%s records are never written by %s dumps", hd_tag_name((unsigned)tag),
               hd_layout_name(r->layout));
        st = hd_layout_steps(HD_V13, (unsigned)tag);
    }
    for (; st->op != ST_END; st++)
        if (run_step(r, rec, st) < 0)
            return -1;
    rec->end = src_offset(&r->src);
    return 1;
}

int hd_reader_expect_end(hd_reader *r)
{
    uint64_t at = src_offset(&r->src);
    int first;

    if (r->stopped || (first = src_peek(&r->src)) < 0)
        return 0;
    /* Said at the first such byte; reading stops there, so an endless stream after a dump (a growing file, a
     * device) still ends the run, and memory, file and pipe input agree on every word. */
    r->rec = NULL;
    r->stopped = true;
    report(r, HD_R_TRAILING_BYTES, at, "bytes follow the EOF record, the first is 0x%02x (they are not read: a dump "
           "ends at its EOF record)", first);
    return -1;
}

/* ---- setup ------------------------------------------------------------------------------------ */

static hd_reader *reader_alloc(const hd_diag_sink *sink)
{
    hd_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->mpframes = malloc(HD_KEEP_MPFRAMES * sizeof *r->mpframes);
    if (r->mpframes == NULL) {
        hd_reader_free(r);
        return NULL;
    }
    if (sink != NULL)
        r->sink = *sink;
    r->layout = HD_V17;
    return r;
}

hd_reader *hd_reader_open_mem(const uint8_t *p, size_t len, const hd_diag_sink *sink)
{
    hd_reader *r = reader_alloc(sink);
    if (r != NULL)
        src_init_mem(&r->src, p, len);
    return r;
}

hd_reader *hd_reader_open_fd(int fd, const hd_diag_sink *sink)
{
    hd_reader *r = reader_alloc(sink);
    if (r == NULL)
        return NULL;
    r->arena = malloc(ARENA_SIZE);
    if (r->arena == NULL || src_init_fd(&r->src, fd) < 0) {
        hd_reader_free(r);
        return NULL;
    }
    r->src.evict = evacuate;
    r->src.evict_ctx = r;
    return r;
}

void hd_reader_free(hd_reader *r)
{
    if (r == NULL)
        return;
    src_free(&r->src);
    free(r->arena);
    free(r->fields);
    free(r->mpframes);
    free(r);
}

int hd_reader_header(hd_reader *r, hd_header_id *out)
{
    uint8_t h[HD_HEADER_LEN];
    char shown[HD_HEADER_LEN * 4 + 1];
    size_t got = 0, k = 0;
    int c;

    while (got < HD_HEADER_LEN && (c = src_byte(&r->src)) >= 0)
        h[got++] = (uint8_t)c;
    if (src_failed(&r->src)) {
        r->stopped = true;
        return -1;
    }
    for (int i = 0; got == HD_HEADER_LEN && i < HD_HEADER_COUNT; i++) {
        if (memcmp(h, hd_header_text((hd_header_id)i), HD_HEADER_LEN) == 0) {
            *out = (hd_header_id)i;
            r->layout = hd_header_layout((hd_header_id)i);
            return 0;
        }
    }
    for (size_t i = 0; i < got; i++) {
        if (h[i] >= 0x20 && h[i] < 0x7f && h[i] != '\\' && h[i] != '"')
            shown[k++] = (char)h[i];
        else
            k += (size_t)snprintf(shown + k, sizeof shown - k, "\\x%02x", h[i]);
    }
    shown[k] = 0;
    report(r, HD_R_BAD_HEADER, 0, "not a Go heap dump: the file starts with \"%s\" (%zu bytes), "
           "not one of the go1.3 .. go1.7 heap dump headers", shown, got);
    r->stopped = true;
    return -1;
}

uint64_t hd_reader_offset(const hd_reader *r) { return src_offset(&r->src); }
uint64_t hd_reader_size(const hd_reader *r) { return r->src.size_known ? r->src.total : 0; }
hd_layout hd_reader_layout(const hd_reader *r) { return r->layout; }
unsigned hd_reader_ptrsize(const hd_reader *r) { return r->ptrsize; }

const char *hd_reader_io_error(const hd_reader *r)
{
    return r->src.errmsg != NULL ? r->src.errmsg : r->src.err != 0 ? strerror(r->src.err) : NULL;
}

const char *hd_reader_compression(const hd_reader *r)
{
    return r->src.compression != 0 ? dz_name((dz_format)r->src.compression) : NULL;
}

uint64_t hd_reader_compressed_bytes(const hd_reader *r) { return src_compressed_bytes(&r->src); }
