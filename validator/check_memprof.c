/* check_memprof.c — memstats, memprof buckets and alloc samples (FORMAT.md §5.7: MS1–MS3, MP1–MP2, AS1–AS3).
 * Uniqueness of buckets and samples, a sample's bucket and its object go to the cross-reference ledger. */
#include "check_internal.h"
#include "xref.h"

#include <inttypes.h>

/* ---- memstats ------------------------------------------------------------------------------------- */

/* MS2: the relations readmemstats (1.16+) and updatememstats (1.4–1.15) establish by construction. */
static void memstats_relations(hd_checker *c, const hd_record *rec, const uint64_t *v)
{
    static const struct { const char *what; } rel[] = {
        {"Alloc != HeapAlloc"}, {"HeapIdle + HeapInuse != HeapSys"}, {"Mallocs < Frees"},
        {"HeapObjects != Mallocs - Frees"}};
    const bool broken[] = {
        v[HD_MS_ALLOC] != v[HD_MS_HEAP_ALLOC],
        v[HD_MS_HEAP_IDLE] + v[HD_MS_HEAP_INUSE] != v[HD_MS_HEAP_SYS],
        v[HD_MS_MALLOCS] < v[HD_MS_FREES],
        v[HD_MS_MALLOCS] >= v[HD_MS_FREES] && v[HD_MS_HEAP_OBJECTS] != v[HD_MS_MALLOCS] - v[HD_MS_FREES]};

    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++)
        if (broken[i])
            ck_report(c, HD_R_MEMSTATS_INCONSISTENT, rec->pos, "memstats: %s (Alloc %" PRIu64 ", HeapAlloc %" PRIu64
                      ", HeapSys %" PRIu64 ", HeapIdle %" PRIu64 ", HeapInuse %" PRIu64 ", Mallocs %" PRIu64 ", Frees %"
                      PRIu64 ", HeapObjects %" PRIu64 ")", rel[i].what, v[HD_MS_ALLOC], v[HD_MS_HEAP_ALLOC], v[HD_MS_HEAP_SYS],
                      v[HD_MS_HEAP_IDLE], v[HD_MS_HEAP_INUSE], v[HD_MS_MALLOCS], v[HD_MS_FREES], v[HD_MS_HEAP_OBJECTS]);
}

static void on_memstats(hd_checker *c, const hd_record *rec)
{
    const uint64_t *v = rec->u.memstats.v;

    if (v[HD_MS_NUMGC] > UINT32_MAX)
        ck_report(c, HD_R_MEMSTATS_NUMGC, rec->pos, "memstats NumGC %" PRIu64 " does not fit in the runtime's uint32",
                  v[HD_MS_NUMGC]);
    memstats_relations(c, rec, v);
    /* MS3: the pause ring is filled in GC order, so before 256 GCs the slots past NumGC are untouched */
    for (uint64_t i = v[HD_MS_NUMGC]; i < 256; i++) {
        if (v[HD_MS_PAUSE_NS + i] != 0) {
            ck_report(c, HD_R_MEMSTATS_PAUSE, rec->pos, "memstats PauseNs[%" PRIu64 "] is %" PRIu64 " but NumGC is only %"
                      PRIu64, i, v[HD_MS_PAUSE_NS + i], v[HD_MS_NUMGC]);
            break;
        }
    }
}

/* ---- memprof ------------------------------------------------------------------------------------- */

static bool is_hex_lower(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return false;
    return n > 0;
}

static bool is_hex_any(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'f')))
            return false;
    return n > 0;
}

/* The digits of a textual PC: "0x…" (go1.3/1.4, paren = false) or "(0x…)" (go1.5+, paren = true), any
 * case; NULL if the name is not of that shape (a function name then). */
static const uint8_t *pc_digits(const hd_bytes *name, bool paren, size_t *n)
{
    const uint8_t *p = name->p;
    size_t len = name->kept, k = paren ? 1 : 0;

    if (name->kept != name->len || len < 3 + 2 * k || (paren && (p[0] != '(' || p[len - 1] != ')')))
        return NULL;
    if (p[k] != '0' || p[k + 1] != 'x' || !is_hex_any(p + k + 2, len - 2 * k - 2))
        return NULL;
    *n = len - 2 * k - 2;
    return p + k + 2;
}

/* MP2 for one frame: a textual PC is in the header's form, lowercase without leading zeros, with file
 * "?" and line 0. (A known function can also have file "?", so "?" alone proves nothing.) Names are
 * quoted with profile_quote: dump bytes never reach the text output raw. */
static void check_frame(hd_checker *c, const hd_mpframe *f, uint32_t i)
{
    bool paren = c->layout >= HD_V15;
    size_t n = 0;
    const uint8_t *d = pc_digits(&f->name, paren, &n);
    char name[64], file[64];

    if (d == NULL && pc_digits(&f->name, !paren, &n) != NULL)
        ck_report(c, HD_R_MEMPROF_UNKNOWN_PC, f->name.pos, "memprof frame #%u: unknown PC written as \"%s\"; %s dumps"
                  " write %s", i, ck_quote(name, sizeof name, &f->name), hd_layout_name(c->layout),
                  paren ? "\"(0x...)\"" : "\"0x...\"");
    else if (d != NULL && (!is_hex_lower(d, n) || (n > 1 && d[0] == '0')))
        ck_report(c, HD_R_MEMPROF_UNKNOWN_PC, f->name.pos, "memprof frame #%u: unknown PC \"%s\" is not lowercase"
                  " hex without leading zeros", i, ck_quote(name, sizeof name, &f->name));
    else if (d != NULL && (f->file.len != 1 || f->file.kept != 1 || f->file.p[0] != '?' || f->line != 0))
        ck_report(c, HD_R_MEMPROF_UNKNOWN_PC, f->file.pos, "memprof frame #%u: unknown PC \"%s\" has file \"%s\""
                  " line %" PRIu64 ", not \"?\" and 0", i, ck_quote(name, sizeof name, &f->name),
                  ck_quote(file, sizeof file, &f->file), f->line);
}

static void on_memprof(hd_checker *c, const hd_record *rec)
{
    xref_add(c, XK_BUCKET, rec->u.memprof.addr);
    for (uint32_t i = 0; i < rec->u.memprof.nkept; i++)
        check_frame(c, &rec->u.memprof.frames[i], i);
}

/* ---- dispatch ------------------------------------------------------------------------------------------ */

static void memprof_record(hd_checker *c, void *st, const hd_record *rec)
{
    (void)st;
    if (rec->tag == HD_TAG_MEMSTATS) {
        on_memstats(c, rec);
    } else if (rec->tag == HD_TAG_MEMPROF) {
        on_memprof(c, rec);
    } else {                             /* alloc sample: unique, inside an object, of an earlier bucket */
        xref_add(c, XK_SAMPLE, rec->u.sample.addr);
        xref_add(c, XK_SAMPLE_BUCKET, rec->u.sample.bucket);
    }
}

const ck_family ck_memprof_family = {
    .name = "memprof",
    .tags = HD_TAGMASK(HD_TAG_MEMSTATS) | HD_TAGMASK(HD_TAG_MEMPROF) | HD_TAGMASK(HD_TAG_ALLOCSAMPLE),
    .on_record = memprof_record,
};
