/* mutator.c — a record-aware libFuzzer custom mutator for raw heap dumps (the fuzz_records target).
 *
 * The format has no length prefixes: one flipped byte in a uvarint shifts every later record, so plain byte
 * mutations mostly exercise "the boundary is lost" paths. This mutator decodes the input with the reader and
 * mutates whole records, keeping every other record intact:
 *   - delete, duplicate, swap or move a record;
 *   - change one field of one record to an interesting value (0, 1, ±1, 2^32-1, 2^64-1, a near pointer…),
 *     flip a bool, shorten or swap a string/contents, add/remove/shift a field-list entry — and re-encode the
 *     record with hd_enc_record, so it stays well-formed;
 *   - insert an all-zero record of any tag, or a copy of another record;
 *   - switch the header to another of the five headers (the same records under another layout);
 *   - cut the dump after a record, or append an EOF;
 *   - byte-mutate the bytes of one record only (LLVMFuzzerMutate).
 * Inputs that do not decode fall back to LLVMFuzzerMutate. The harness is fuzz_reader.c unchanged. */
#include "fuzz_common.h"

#include "hd/encode.h"
#include "hd/layouts.h"
#include "hd/reader.h"

#define MAX_RECS 4096

typedef struct { uint64_t pos, end; hd_tag tag; } span;

static uint64_t rnd_state;
static uint64_t rnd(void)
{
    rnd_state += UINT64_C(0x9e3779b97f4a7c15);
    uint64_t z = rnd_state;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}
static size_t below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

/* Record boundaries of a dump; -1 if the header does not decode. */
static int scan(const uint8_t *p, size_t n, span *s, size_t *ns, hd_layout *layout)
{
    hd_reader *r = hd_reader_open_mem(p, n, NULL);
    hd_header_id h;
    hd_record rec;
    *ns = 0;
    if (r == NULL)
        return -1;
    if (hd_reader_header(r, &h) < 0) {
        hd_reader_free(r);
        return -1;
    }
    while (*ns < MAX_RECS && hd_reader_next(r, &rec) == 1) {
        s[*ns].pos = rec.pos;
        s[*ns].end = rec.end;
        s[*ns].tag = rec.tag;
        (*ns)++;
    }
    *layout = hd_reader_layout(r);
    hd_reader_free(r);
    return 0;
}

static uint64_t interesting(uint64_t cur)
{
    static const uint64_t v[] = {0, 1, 2, 3, 4, 7, 8, 16, 127, 128, 255, 256, 4096, 65536, UINT32_MAX, UINT64_C(1) << 32,
                                 UINT64_MAX, UINT64_MAX - 1, UINT64_C(0xc000000000), UINT64_C(0xc004000000),
                                 0x18000000, 1u << 20, (1u << 20) + 1, 131072};
    switch (below(4)) {
    case 0: return cur + 1;
    case 1: return cur - 1;
    case 2: return cur ^ (UINT64_C(1) << below(64));
    default: return v[below(sizeof v / sizeof v[0])];
    }
}

static hd_field fbuf[512];
static uint8_t cbuf[4096];

/* Change one step of rec. The new values may point into static buffers used until the record is encoded. */
static void mutate_step(hd_record *rec, const layout_step *st)
{
    void *at = (char *)rec + st->at;
    switch (st->op) {
    case ST_UINT: case ST_PTR: case ST_EXTENT: case ST_PTRSIZE:
        *(uint64_t *)at = interesting(*(uint64_t *)at);
        break;
    case ST_BOOL:
        *(bool *)at = !*(bool *)at;
        break;
    case ST_STRING: case ST_CONTENTS: case ST_ARCH_STRING: {
        static const char *const names[] = {"", "amd64", "386", "go1.19.8", "main.main", "unknown function",
                                            "(0x0)", "runtime type info", "dumping heap", "\n\"\\\x01\xff"};
        hd_bytes *b = at;
        if (b->len > 0 && below(2)) {
            b->len = b->kept = below((size_t)b->len);      /* shorter */
        } else if (below(2)) {
            b->p = (const uint8_t *)names[below(sizeof names / sizeof names[0])];
            b->len = b->kept = strlen((const char *)b->p);
        } else {
            size_t n = below(sizeof cbuf);                  /* a fresh range of zero or random bytes */
            for (size_t i = 0; i < n; i++)
                cbuf[i] = below(2) ? 0 : (uint8_t)rnd();
            b->p = cbuf;
            b->len = b->kept = n;
        }
        break;
    }
    case ST_FIELDS: {
        hd_fields *f = at;
        uint32_t n = f->nkept < 500 ? f->nkept : 500;
        if (n > 0)
            memcpy(fbuf, f->v, n * sizeof *fbuf);
        switch (below(4)) {
        case 0: if (n > 0) n--; break;                                            /* drop the last */
        case 1: fbuf[n].kind = 1; fbuf[n].offset = n ? fbuf[n - 1].offset + 8 : 0; n++; break;  /* append */
        case 2: if (n > 0) fbuf[below(n)].offset = interesting(fbuf[0].offset); break;
        default: if (n > 0) fbuf[below(n)].kind = (uint8_t)(1 + below(5)); break;
        }
        f->v = fbuf;
        f->count = f->nkept = n;
        break;
    }
    case ST_MEMSTATS:
        rec->u.memstats.v[below(HD_MEMSTATS_NVALUES)] = interesting(0);
        break;
    case ST_MPFRAMES:
        if (rec->u.memprof.nkept > 0) {
            rec->u.memprof.nkept--;
            rec->u.memprof.nframes = rec->u.memprof.nkept;
        }
        break;
    case ST_END:
        break;
    }
}

/* Re-encode record #k of p with one field changed into out; bytes written or 0. */
static size_t mutate_record(const uint8_t *p, size_t n, size_t k, hd_layout layout, hd_membuf *m)
{
    static hd_out o;
    hd_reader *r = hd_reader_open_mem(p, n, NULL);
    hd_header_id h;
    hd_record rec;
    size_t i = 0, steps = 0, done = 0;
    const layout_step *st;

    if (r == NULL || hd_reader_header(r, &h) < 0)
        goto out;
    while (hd_reader_next(r, &rec) == 1 && i++ < k)
        ;
    if (i != k + 1)
        goto out;
    st = hd_layout_steps(layout, rec.tag);
    if (st == NULL)
        st = hd_layout_steps(HD_V13, rec.tag);
    for (const layout_step *q = st; q->op != ST_END; q++)
        steps++;
    if (steps == 0)
        goto out;
    for (size_t j = 0, times = 1 + below(2); j < times; j++)
        mutate_step(&rec, &st[below(steps)]);
    m->len = 0;
    hd_out_init_mem(&o, m);
    if (hd_enc_record(&o, layout, &rec) == 0 && hd_out_flush(&o) == 0)
        done = m->len;
out:
    hd_reader_free(r);
    return done;
}

static span spans[MAX_RECS];
static uint8_t *tmp;
static size_t tmp_cap;

/* tmp = p[0..a) + ins[0..ni) + p[b..n) */
static size_t splice(const uint8_t *p, size_t n, size_t a, size_t b, const uint8_t *ins, size_t ni)
{
    size_t len = a + ni + (n - b);
    if (len > tmp_cap) {
        uint8_t *q = realloc(tmp, len);
        if (q == NULL)
            return 0;
        tmp = q;
        tmp_cap = len;
    }
    if (a > 0)
        memmove(tmp, p, a);
    if (ni > 0)
        memcpy(tmp + a, ins, ni);
    if (n > b)
        memcpy(tmp + a + ni, p + b, n - b);
    return len;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    hd_layout layout;
    size_t ns = 0, len = 0;
    hd_membuf m = {NULL, 0, 0};

    rnd_state = seed;
    if (below(8) == 0 || scan(data, size, spans, &ns, &layout) < 0 || ns == 0)
        return LLVMFuzzerMutate(data, size, max_size);

    size_t k = below(ns), j = below(ns);
    const span *a = &spans[k], *b = &spans[j];
    switch (below(10)) {
    case 0:     /* delete */
        len = splice(data, size, a->pos, a->end, NULL, 0);
        break;
    case 1:     /* duplicate in place */
        len = splice(data, size, a->end, a->end, data + a->pos, a->end - a->pos);
        break;
    case 2: {   /* move record k before record j */
        size_t rl = a->end - a->pos;
        uint8_t *copy = malloc(rl ? rl : 1);
        if (copy == NULL)
            break;
        memcpy(copy, data + a->pos, rl);
        len = splice(data, size, a->pos, a->end, NULL, 0);
        if (len > 0) {
            uint64_t at = b->pos > a->pos ? b->pos - rl : b->pos;
            memcpy(data, tmp, len);
            len = splice(data, len, at, at, copy, rl);
        }
        free(copy);
        break;
    }
    case 3: case 4: case 5: {   /* change a field and re-encode */
        size_t n = mutate_record(data, size, k, layout, &m);
        if (n > 0)
            len = splice(data, size, a->pos, a->end, m.p, n);
        break;
    }
    case 6: {   /* insert an all-zero record of a random tag */
        static hd_out o;
        hd_record r;
        memset(&r, 0, sizeof r);
        r.tag = (hd_tag)below(HD_TAG_COUNT);
        hd_out_init_mem(&o, &m);
        if (hd_enc_record(&o, layout, &r) == 0 && hd_out_flush(&o) == 0)
            len = splice(data, size, b->pos, b->pos, m.p, m.len);
        break;
    }
    case 7: {   /* another header */
        const char *h = hd_header_text((hd_header_id)below(HD_HEADER_COUNT));
        len = splice(data, size, 0, HD_HEADER_LEN, (const uint8_t *)h, HD_HEADER_LEN);
        break;
    }
    case 8:     /* cut after record k, maybe with an EOF */
        len = splice(data, size, a->end, size, (const uint8_t *)"", below(2));
        break;
    default: {  /* byte-mutate record k only */
        size_t rl = a->end - a->pos, room = max_size > size ? max_size - size : 0;
        uint8_t *buf = malloc(rl + room + 1);
        if (buf == NULL)
            break;
        memcpy(buf, data + a->pos, rl);
        size_t nl = LLVMFuzzerMutate(buf, rl, rl + room);
        len = splice(data, size, a->pos, a->end, buf, nl);
        free(buf);
        break;
    }
    }
    free(m.p);
    if (len == 0 || len > max_size)
        return LLVMFuzzerMutate(data, size, max_size);
    memcpy(data, tmp, len);
    return len;
}
