/* stats.c — hddump --stats (see stats.h). */
#include "stats.h"
#include "print.h"
#include "table.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SMALL_MAX 32768u          /* Go's largest small size class */
#define TYPES_MAX (1u << 20)      /* type addresses remembered */
#define NAMES_MAX (16u << 20)     /* bytes of type names remembered */
#define NAME_KEEP 160u            /* bytes kept of one type name */
#define TOP_TYPES 20
#define WAIT_KEEP 64u             /* bytes kept of a wait reason */
#define WAIT_MAX 256              /* distinct (status, wait reason) pairs */

typedef struct { uint64_t count, bytes; } tally;

typedef struct {
    uint64_t status, count;
    uint16_t len;
    char     reason[WAIT_KEEP];
} wait_row;

struct tf_stats {
    tally     tag[HD_TAG_COUNT];
    tally     small[SMALL_MAX / 8 + 1];  /* [size / 8] for multiples of 8 up to SMALL_MAX */
    tally     large[64];                 /* [log2(size)] above SMALL_MAX */
    tally     odd;                       /* 0 or not a multiple of 8 */
    tf_table  types;                     /* a: objects, b: bytes, name in names */
    char     *names;                     /* grows by doubling up to NAMES_MAX */
    size_t    names_len, names_cap;
    tally     typed, untyped, types_dropped;
    wait_row  wait[WAIT_MAX];
    unsigned  nwait;
    uint64_t  wait_other;
    uint64_t  frames_max, frames_cur;    /* deepest goroutine, frames of the current one */
    bool      have_params, have_memstats;
    bool      malloc_headers;            /* the build version is Go 1.22 or later */
    hd_record params;                    /* its byte ranges are not kept: see arch/version */
    char      arch[32], version[96];
    uint64_t  memstats[HD_MEMSTATS_NVALUES];
};

tf_stats *tf_stats_new(void)
{
    tf_stats *s = calloc(1, sizeof *s);
    if (s != NULL)
        tf_table_init(&s->types, TYPES_MAX);
    return s;
}

void tf_stats_free(tf_stats *s)
{
    if (s == NULL)
        return;
    tf_table_free(&s->types);
    free(s->names);
    free(s);
}

static void add(tally *t, uint64_t bytes)
{
    t->count++;
    t->bytes += bytes;
}

static void copy_str(char *dst, size_t n, const hd_bytes *b)
{
    size_t k = b->kept < n - 1 ? (size_t)b->kept : n - 1;
    if (b->p != NULL)
        memcpy(dst, b->p, k);
    dst[b->p != NULL ? k : 0] = 0;
}

/* ---- records ---------------------------------------------------------------------------------------- */

static void name_type(tf_stats *s, const hd_record *r)
{
    tf_entry *e = tf_table_get(&s->types, r->u.type.addr, true);
    size_t k = r->u.type.name.kept < NAME_KEEP ? (size_t)r->u.type.name.kept : NAME_KEEP;
    if (e == NULL || e->name_off != UINT32_MAX || r->u.type.name.p == NULL)
        return;                       /* full, or named already (type records repeat) */
    if (NAMES_MAX - s->names_len < k)
        k = 0;
    if (s->names_len + k > s->names_cap) {
        size_t cap = s->names_cap ? s->names_cap * 2 : 4096;
        char *v;
        while (cap < s->names_len + k)
            cap *= 2;
        if ((v = realloc(s->names, cap)) == NULL)
            return;
        s->names = v;
        s->names_cap = cap;
    }
    if (k > 0)
        memcpy(s->names + s->names_len, r->u.type.name.p, k);
    e->name_off = (uint32_t)s->names_len;
    e->name_len = (uint16_t)k;
    s->names_len += k;
}

/* The Go 1.x release of a build version ("go1.22.8", "go1.25-devel_…"); 0 if it names none. */
static unsigned go_minor(const char *v)
{
    unsigned m = 0;
    if (strncmp(v, "go1.", 4) != 0)
        return 0;
    for (v += 4; *v >= '0' && *v <= '9' && m < 1000; v++)
        m = m * 10 + (unsigned)(*v - '0');
    return m;
}

/* Go 1.22+ allocation headers: a small object larger than ptrsize*8*ptrsize bytes that holds pointers starts
 * with the address of its type descriptor (outside the heap, and not reported as a pointer field). */
static bool malloc_header(const tf_stats *s, const tf_pass *p, const hd_record *r, uint64_t word)
{
    uint64_t len = r->u.object.contents.len, min = (uint64_t)p->ptrsize * 8 * p->ptrsize;
    const hd_fields *f = &r->u.object.fields;
    return s->malloc_headers && len > min && len <= SMALL_MAX && f->count > 0 && f->nkept > 0 &&
           f->v[0].offset >= p->ptrsize && word != 0 &&
           (word < s->params.u.params.arena_start || word >= s->params.u.params.arena_end);
}

/* The object's type, where the dump says it: go1.3 objects name it; from Go 1.22 an allocation header does.
 * Objects of go1.4 to Go 1.21 do not (a first word that happens to equal a type's address is no evidence). */
static void type_bytes(tf_stats *s, const tf_pass *p, const hd_record *r)
{
    uint64_t key = 0, len = r->u.object.contents.len;
    tf_entry *e = NULL;
    if (p->layout == HD_V13) {
        if (r->u.object.type != 0)
            e = tf_table_get(&s->types, key = r->u.object.type, true);
    } else if (hd_bytes_word(&r->u.object.contents, 0, p->ptrsize, p->big_endian, &key) && malloc_header(s, p, r, key)) {
        e = tf_table_get(&s->types, key, true);
    }
    if (e == NULL) {
        add(key != 0 && p->layout == HD_V13 ? &s->types_dropped : &s->untyped, len);
        return;
    }
    e->a++;
    e->b += len;
    add(&s->typed, len);
}

static void object(tf_stats *s, const tf_pass *p, const hd_record *r)
{
    uint64_t len = r->u.object.contents.len;
    unsigned lg = 0;
    if (len == 0 || len % 8 != 0) {
        add(&s->odd, len);
    } else if (len <= SMALL_MAX) {
        add(&s->small[len / 8], len);
    } else {
        while (lg < 63 && (UINT64_C(1) << (lg + 1)) <= len)
            lg++;
        add(&s->large[lg], len);
    }
    type_bytes(s, p, r);
}

static void goroutine(tf_stats *s, const hd_record *r)
{
    const hd_bytes *w = &r->u.goroutine.waitreason;
    size_t k = w->kept < WAIT_KEEP ? (size_t)w->kept : WAIT_KEEP;
    for (unsigned i = 0; i < s->nwait; i++) {
        if (s->wait[i].status == r->u.goroutine.status && s->wait[i].len == k &&
            (k == 0 || memcmp(s->wait[i].reason, w->p, k) == 0)) {
            s->wait[i].count++;
            return;
        }
    }
    if (s->nwait == WAIT_MAX) {
        s->wait_other++;
        return;
    }
    s->wait[s->nwait].status = r->u.goroutine.status;
    s->wait[s->nwait].count = 1;
    s->wait[s->nwait].len = (uint16_t)k;
    if (k > 0)
        memcpy(s->wait[s->nwait].reason, w->p, k);
    s->nwait++;
}

void tf_stats_add(tf_stats *s, const tf_pass *p)
{
    const hd_record *r = &p->rec;
    add(&s->tag[r->tag], r->end - r->pos);
    if (r->tag != HD_TAG_FRAME && r->tag != HD_TAG_DEFER && r->tag != HD_TAG_PANIC && r->tag != HD_TAG_TYPE)
        s->frames_cur = 0;
    switch (r->tag) {
    case HD_TAG_OBJECT: object(s, p, r); break;
    case HD_TAG_TYPE: name_type(s, r); break;
    case HD_TAG_GOROUTINE: goroutine(s, r); s->frames_cur = 0; break;
    case HD_TAG_FRAME:
        if (++s->frames_cur > s->frames_max)
            s->frames_max = s->frames_cur;
        break;
    case HD_TAG_PARAMS:
        if (!s->have_params) {
            s->have_params = true;
            s->params = *r;
            copy_str(s->arch, sizeof s->arch, &r->u.params.arch);
            copy_str(s->version, sizeof s->version, &r->u.params.experiment);
            s->malloc_headers = p->layout == HD_V17 && go_minor(s->version) >= 22;
        }
        break;
    case HD_TAG_MEMSTATS:
        if (!s->have_memstats) {
            s->have_memstats = true;
            memcpy(s->memstats, r->u.memstats.v, sizeof s->memstats);
        }
        break;
    default: break;
    }
}

/* ---- printing --------------------------------------------------------------------------------------- */

static const char *status_name(uint64_t st)
{
    return st == 1 ? "runnable" : st == 3 ? "syscall" : st == 4 ? "waiting" : "?";
}

/* The TOP_TYPES entries with the most bytes, largest first. */
static unsigned top_types(const tf_stats *s, const tf_entry **top)
{
    unsigned n = 0;
    for (size_t i = 0; i < s->types.cap; i++) {
        const tf_entry *e = &s->types.v[i];
        unsigned k;
        if (!e->used || e->a == 0)
            continue;
        if (n == TOP_TYPES && (e->b < top[n - 1]->b || (e->b == top[n - 1]->b && e->key > top[n - 1]->key)))
            continue;
        k = n < TOP_TYPES ? n++ : n - 1;
        while (k > 0 && (top[k - 1]->b < e->b || (top[k - 1]->b == e->b && top[k - 1]->key > e->key))) {
            top[k] = top[k - 1];
            k--;
        }
        top[k] = e;
    }
    return n;
}

/* The name a type record gave the entry's address ("" if none, or nothing could be kept). */
static const char *type_name(const tf_stats *s, const tf_entry *e, size_t *len)
{
    bool named = e->name_off != UINT32_MAX && s->names != NULL;
    *len = named ? e->name_len : 0;
    return named ? s->names + e->name_off : "";
}

static void put_json_str(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    tf_put_escaped(out, (const uint8_t *)s, n, true);
    fputc('"', out);
}

static void print_json(const tf_stats *s, FILE *out, const char *name, const tf_pass *p, const hd_diag *stop,
                       uint64_t size)
{
    const tf_entry *top[TOP_TYPES];
    unsigned ntop = top_types(s, top);
    bool first = true;

    fputs("{\"file\":", out);
    put_json_str(out, name, strlen(name));
    fprintf(out, ",\"header\":\"%s\",\"size\":%" PRIu64 ",\"records\":%" PRIu64 ",\"complete\":%s",
            p->header_ok ? hd_header_name(p->header) : "", size, p->records, stop == NULL ? "true" : "false");
    if (s->have_params)
        fprintf(out, ",\"ptrsize\":%" PRIu64 ",\"big_endian\":%s", s->params.u.params.ptrsize,
                s->params.u.params.big_endian ? "true" : "false");
    fputs(",\"tags\":{", out);
    for (unsigned t = 0; t < HD_TAG_COUNT; t++)
        fprintf(out, "%s\"%s\":{\"count\":%" PRIu64 ",\"bytes\":%" PRIu64 "}", t ? "," : "", hd_tag_name(t),
                s->tag[t].count, s->tag[t].bytes);
    fputs("},\"sizes\":[", out);
    for (unsigned i = 1; i <= SMALL_MAX / 8; i++) {
        if (s->small[i].count == 0)
            continue;
        fprintf(out, "%s{\"size\":%u,\"count\":%" PRIu64 ",\"bytes\":%" PRIu64 "}", first ? "" : ",", i * 8,
                s->small[i].count, s->small[i].bytes);
        first = false;
    }
    for (unsigned lg = 0; lg < 64; lg++) {
        if (s->large[lg].count == 0)
            continue;
        fprintf(out, "%s{\"min\":%" PRIu64 ",\"count\":%" PRIu64 ",\"bytes\":%" PRIu64 "}", first ? "" : ",",
                UINT64_C(1) << lg, s->large[lg].count, s->large[lg].bytes);
        first = false;
    }
    fputs("],\"types\":[", out);
    for (unsigned i = 0; i < ntop; i++) {
        size_t len;
        const char *tname = type_name(s, top[i], &len);
        fprintf(out, "%s{\"addr\":\"0x%" PRIx64 "\",\"name\":", i ? "," : "", top[i]->key);
        put_json_str(out, tname, len);
        fprintf(out, ",\"count\":%" PRIu64 ",\"bytes\":%" PRIu64 "}", top[i]->a, top[i]->b);
    }
    fputs("],\"goroutines\":[", out);
    for (unsigned i = 0; i < s->nwait; i++) {
        fprintf(out, "%s{\"status\":%" PRIu64 ",\"state\":\"%s\",\"waitreason\":", i ? "," : "", s->wait[i].status,
                status_name(s->wait[i].status));
        put_json_str(out, s->wait[i].reason, s->wait[i].len);
        fprintf(out, ",\"count\":%" PRIu64 "}", s->wait[i].count);
    }
    fprintf(out, "],\"max_frames\":%" PRIu64 "}\n", s->frames_max);
}

static void print_sizes(const tf_stats *s, FILE *out)
{
    fprintf(out, "\nobjects by size               count          bytes\n");
    for (unsigned i = 1; i <= SMALL_MAX / 8; i++)
        if (s->small[i].count != 0)
            fprintf(out, "  %-20u %12" PRIu64 " %14" PRIu64 "\n", i * 8, s->small[i].count, s->small[i].bytes);
    for (unsigned lg = 0; lg < 64; lg++) {
        char range[48];
        if (s->large[lg].count == 0)
            continue;
        snprintf(range, sizeof range, "%" PRIu64 "..%" PRIu64, UINT64_C(1) << lg,
                 lg == 63 ? UINT64_MAX : (UINT64_C(1) << (lg + 1)) - 1);
        fprintf(out, "  %-20s %12" PRIu64 " %14" PRIu64 "\n", range, s->large[lg].count, s->large[lg].bytes);
    }
    if (s->odd.count != 0)
        fprintf(out, "  %-20s %12" PRIu64 " %14" PRIu64 "\n", "0 or not 8-aligned", s->odd.count, s->odd.bytes);
}

static void print_types(const tf_stats *s, FILE *out, hd_layout layout)
{
    const tf_entry *top[TOP_TYPES];
    unsigned ntop = top_types(s, top);

    fprintf(out, "\ntypes by bytes, the %d largest (%s)\n", TOP_TYPES,
            layout == HD_V13 ? "go1.3: the object's type field"
            : s->malloc_headers ? "Go 1.22+: the allocation header's type word; names from type records"
            : "objects do not name their type before Go 1.22");
    if (ntop == 0) {
        fprintf(out, "  none: %s\n", layout == HD_V13 ? "no object names a type"
                : "objects of go1.4 to Go 1.21 do not name their type");
        return;
    }
    fprintf(out, "  %14s %10s  %-18s %s\n", "bytes", "objects", "type address", "name");
    for (unsigned i = 0; i < ntop; i++) {
        fprintf(out, "  %14" PRIu64 " %10" PRIu64 "  0x%-16" PRIx64 " ", top[i]->b, top[i]->a, top[i]->key);
        if (top[i]->name_off != UINT32_MAX) {
            size_t len;
            const char *name = type_name(s, top[i], &len);
            fputc('"', out);
            tf_put_escaped(out, (const uint8_t *)name, len, false);
            fputc('"', out);
        } else {
            fputs("(no type record)", out);
        }
        fputc('\n', out);
    }
    fprintf(out, "  typed: %" PRIu64 " objects, %" PRIu64 " bytes; untyped: %" PRIu64 " objects, %" PRIu64 " bytes\n",
            s->typed.count, s->typed.bytes, s->untyped.count + s->types_dropped.count,
            s->untyped.bytes + s->types_dropped.bytes);
}

static void print_goroutines(const tf_stats *s, FILE *out)
{
    fprintf(out, "\ngoroutines by status and wait reason              count\n");
    for (unsigned i = 0; i < s->nwait; i++) {
        fprintf(out, "  %u %-9s \"", (unsigned)(s->wait[i].status & 0xff), status_name(s->wait[i].status));
        tf_put_escaped(out, (const uint8_t *)s->wait[i].reason, s->wait[i].len, false);
        fprintf(out, "\"%*s %8" PRIu64 "\n", s->wait[i].len < 34 ? 34 - (int)s->wait[i].len : 0, "",
                s->wait[i].count);
    }
    if (s->wait_other != 0)
        fprintf(out, "  (other)%*s %8" PRIu64 "\n", 40, "", s->wait_other);
    fprintf(out, "  deepest stack: %" PRIu64 " frames\n", s->frames_max);
}

void tf_stats_print(const tf_stats *s, FILE *out, bool json, const char *name, const tf_pass *p,
                    const hd_diag *stop, uint64_t size)
{
    tally total = {0, 0};
    if (json) {
        print_json(s, out, name, p, stop, size);
        return;
    }
    fprintf(out, "%s: %s heap dump, %" PRIu64 " bytes, %" PRIu64 " records", name,
            p->header_ok ? hd_header_name(p->header) : "not a", size, p->records);
    if (s->have_params) {
        const hd_arch *a = s->params.u.params.arch_is_string ? NULL : hd_arch_by_code(s->params.u.params.arch_code);
        fprintf(out, ", %" PRIu64 "-byte %s-endian, %s", s->params.u.params.ptrsize,
                s->params.u.params.big_endian ? "big" : "little",
                s->params.u.params.arch_is_string ? s->arch : a != NULL ? a->name : "unknown architecture");
        if (s->version[0] != 0)
            fprintf(out, ", %s", s->version);
    }
    fputc('\n', out);
    if (stop != NULL)
        fprintf(out, "decoding stopped at 0x%" PRIx64 ": %s[%s]: %s\n", stop->offset,
                hd_severity_name(stop->severity), hd_rule_get(stop->rule)->id, stop->message);
    if (s->have_memstats)
        fprintf(out, "memstats: HeapAlloc %" PRIu64 ", HeapObjects %" PRIu64 ", Sys %" PRIu64 ", NumGC %" PRIu64 "\n",
                s->memstats[HD_MS_HEAP_ALLOC], s->memstats[HD_MS_HEAP_OBJECTS], s->memstats[HD_MS_SYS],
                s->memstats[HD_MS_NUMGC]);
    fprintf(out, "\nrecords                       count          bytes\n");
    for (unsigned t = 0; t < HD_TAG_COUNT; t++) {
        if (s->tag[t].count == 0)
            continue;
        fprintf(out, "  %-20s %12" PRIu64 " %14" PRIu64 "\n", hd_tag_name(t), s->tag[t].count, s->tag[t].bytes);
        total.count += s->tag[t].count;
        total.bytes += s->tag[t].bytes;
    }
    fprintf(out, "  %-20s %12" PRIu64 " %14" PRIu64 "\n", "total", total.count, total.bytes);
    print_sizes(s, out);
    print_types(s, out, p->layout);
    print_goroutines(s, out);
}
