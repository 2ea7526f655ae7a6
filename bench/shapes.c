/* shapes.c — writes the adversarial dump shapes of the benchmark (bench/bench.sh): inputs built to make a
 * validator's cost grow faster than the input, if it can. Each is a valid go1.7 amd64 dump (or, for type
 * records, go1.4), streamed through the encoder in constant memory, whatever N.
 *
 *   shapes SHAPE N OUT
 *
 *   reverse     N objects of 16 bytes in descending address order, each pointing at its neighbour
 *   goroutines  N goroutines with one frame each
 *   frames      one goroutine N frames deep
 *   defers      one goroutine with a chain of N defers (heap objects)
 *   types       go1.4: N objects with one eface field, each written after a record of the same type
 *   into-one    N pointers (objects of 64 words) into one object
 *   forward     N pointers into objects written after them (the last object of 64 KiB is the target)
 *   attack      two objects holding 196,000 pointers to the object written last, then N small objects in
 *               descending order each pointing at the first one (the old pending-pointer attack)
 *   threads     N OS threads
 *   samples     N alloc samples of one bucket, each at its own object */
#include "hd/encode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_LO UINT64_C(0xc000000000)
#define ARENA_HI UINT64_C(0xd000000000)       /* 64 GiB: room for every shape */
#define STACKS   UINT64_C(0xcf00000000)       /* goroutine stacks, above every object */
#define WORDS    64u

static hd_out out;
static uint8_t zeros[1u << 16];

static void put(const hd_record *r)
{
    if (hd_enc_record(&out, HD_V17, r) < 0) {
        fprintf(stderr, "shapes: record of tag %d not encodable\n", r->tag);
        exit(2);
    }
}

static void begin(hd_header_id h)
{
    hd_record p = hd_record_of(HD_TAG_PARAMS);
    hd_enc_header(&out, h);
    p.u.params.ptrsize = 8;
    p.u.params.arena_start = ARENA_LO;
    p.u.params.arena_end = ARENA_HI;
    p.u.params.arch_code = '6';
    p.u.params.arch_is_string = h == HD_H17;
    p.u.params.arch = hd_bytes_str("amd64");
    p.u.params.experiment = hd_bytes_str(h == HD_H17 ? "go1.19.8" : "");
    p.u.params.ncpu = 2;
    if (hd_enc_record(&out, hd_header_layout(h), &p) < 0)
        exit(2);
}

/* An object whose words all hold the pointers of v[0..n) (n <= WORDS), one Ptr field each. */
static void object(uint64_t addr, const uint64_t *v, unsigned n, unsigned words)
{
    static uint8_t buf[8 * WORDS];
    static hd_field f[WORDS];
    hd_record r = hd_record_of(HD_TAG_OBJECT);
    memset(buf, 0, 8u * words);
    for (unsigned i = 0; i < n; i++) {
        for (unsigned k = 0; k < 8; k++)
            buf[8 * i + k] = (uint8_t)(v[i] >> (8 * k));
        f[i].offset = 8u * i;
        f[i].kind = HD_FK_PTR;
    }
    r.u.object.addr = addr;
    r.u.object.contents = hd_bytes_of(buf, 8u * words);
    r.u.object.fields = hd_fields_of(f, n);
    put(&r);
}

static uint64_t g_addr(uint64_t i) { return ARENA_LO + 0x100000000u + i * 0x200; }   /* G objects */

static void goroutine(uint64_t i, uint64_t sp, uint64_t defer)
{
    hd_record g = hd_record_of(HD_TAG_GOROUTINE);
    g.u.goroutine.addr = g_addr(i);
    g.u.goroutine.sp = sp;
    g.u.goroutine.id = i + 1;
    g.u.goroutine.status = 4;
    g.u.goroutine.waitreason = hd_bytes_str(i == 0 ? "dumping heap" : "chan receive");
    g.u.goroutine.defer = defer;
    put(&g);
}

/* A frame of main.f called by main.f: its last word is the return address (amd64: G128). */
static void frame(uint64_t sp, uint64_t depth, uint64_t child)
{
    static const uint8_t contents[32] = {[24] = 0x10, [25] = 0x10, [26] = 0x40};   /* 0x401010, little-endian */
    hd_record f = hd_record_of(HD_TAG_FRAME);
    f.u.frame.sp = sp;
    f.u.frame.depth = depth;
    f.u.frame.child_sp = child;
    f.u.frame.contents = hd_bytes_of(contents, 32);
    f.u.frame.entry = 0x401000;
    f.u.frame.pc = f.u.frame.contpc = 0x401010;
    f.u.frame.name = hd_bytes_str("main.f");
    put(&f);
}

/* The G objects of n goroutines (so that every G lies in an object). */
static void g_objects(uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        object(g_addr(i), NULL, 0, 8);
}

static void tail(void)
{
    hd_record d = hd_record_of(HD_TAG_DATA), b = hd_record_of(HD_TAG_BSS), m = hd_record_of(HD_TAG_MEMSTATS);
    d.u.segment.addr = 0x500000;
    b.u.segment.addr = 0x600000;
    put(&d);
    put(&b);
    put(&m);
}

static void eof(void)
{
    hd_record e = hd_record_of(HD_TAG_EOF);
    put(&e);
}

/* The dumping goroutine with one frame, for shapes about something else. */
static void one_goroutine(void)
{
    goroutine(0, STACKS, 0);
    frame(STACKS, 0, 0);
}

/* ---- the shapes ---- */

static void shape_reverse(uint64_t n)
{
    begin(HD_H17);
    g_objects(1);
    for (uint64_t i = n; i-- > 0;) {
        uint64_t a = ARENA_LO + i * 16, v = ARENA_LO + ((i + 1) % n) * 16;
        object(a, &v, 1, 2);
    }
    one_goroutine();
    tail();
    eof();
}

static void shape_goroutines(uint64_t n)
{
    begin(HD_H17);
    g_objects(n);
    for (uint64_t i = 0; i < n; i++) {
        goroutine(i, STACKS + i * 64, 0);
        frame(STACKS + i * 64, 0, 0);
    }
    tail();
    eof();
}

static void shape_frames(uint64_t n)
{
    begin(HD_H17);
    g_objects(1);
    goroutine(0, STACKS, 0);
    for (uint64_t d = 0; d < n; d++)
        frame(STACKS + d * 32, d, d == 0 ? 0 : STACKS + (d - 1) * 32);
    tail();
    eof();
}

static void shape_defers(uint64_t n)
{
    const uint64_t base = ARENA_LO + 0x200000000u;      /* defer objects of 64 bytes */
    begin(HD_H17);
    g_objects(1);
    for (uint64_t i = 0; i < n; i++)
        object(base + i * 64, NULL, 0, 8);
    goroutine(0, STACKS, n > 0 ? base : 0);
    frame(STACKS, 0, 0);
    for (uint64_t i = 0; i < n; i++) {
        hd_record d = hd_record_of(HD_TAG_DEFER);
        d.u.defer.addr = base + i * 64;
        d.u.defer.g = g_addr(0);
        d.u.defer.argp = STACKS;
        d.u.defer.pc = 0x401020;
        d.u.defer.fn = 0x5a0000;
        d.u.defer.code = 0x401100;
        d.u.defer.link = i + 1 < n ? base + (i + 1) * 64 : 0;
        put(&d);
    }
    tail();
    eof();
}

/* go1.4: each object has an eface field whose type word is T; dumpbvtypes writes T before each object once it
 * fell out of the writer's type cache, which this shape pretends happens every time. */
static void shape_types(uint64_t n)
{
    const uint64_t type = 0x4a0000;
    static uint8_t buf[16];
    hd_field f = {0, HD_FK14_EFACE};
    hd_record t = hd_record_of(HD_TAG_TYPE), o = hd_record_of(HD_TAG_OBJECT);

    begin(HD_H14);
    for (unsigned k = 0; k < 8; k++)
        buf[k] = (uint8_t)(type >> (8 * k));
    t.u.type.addr = type;
    t.u.type.size = 16;
    t.u.type.name = hd_bytes_str("main.T");
    t.u.type.indirect = true;
    o.u.object.contents = hd_bytes_of(buf, 16);
    o.u.object.fields = hd_fields_of(&f, 1);
    for (uint64_t i = 0; i < n; i++) {
        if (hd_enc_record(&out, HD_V14, &t) < 0)
            exit(2);
        o.u.object.addr = ARENA_LO + i * 16;
        if (hd_enc_record(&out, HD_V14, &o) < 0)
            exit(2);
    }
    {
        hd_record g = hd_record_of(HD_TAG_GOROUTINE), fr = hd_record_of(HD_TAG_FRAME);
        g.u.goroutine.addr = ARENA_LO;          /* lies in the first object */
        g.u.goroutine.sp = STACKS;
        g.u.goroutine.id = 1;
        g.u.goroutine.status = 4;
        fr.u.frame.sp = STACKS;
        fr.u.frame.contents = hd_bytes_of(zeros, 32);
        fr.u.frame.entry = 0x401000;
        fr.u.frame.pc = 0x401010;
        fr.u.frame.name = hd_bytes_str("main.f");
        if (hd_enc_record(&out, HD_V14, &g) < 0 || hd_enc_record(&out, HD_V14, &fr) < 0)
            exit(2);
    }
    tail();
    eof();
}

static void pointer_objects(uint64_t n, uint64_t first_addr, uint64_t target)
{
    uint64_t v[WORDS];
    for (unsigned i = 0; i < WORDS; i++)
        v[i] = target + 8u * i;
    for (uint64_t done = 0, k = 0; done < n; k++) {
        unsigned m = n - done < WORDS ? (unsigned)(n - done) : WORDS;
        object(first_addr + k * 8u * WORDS, v, m, WORDS);
        done += m;
    }
}

static void shape_into_one(uint64_t n)
{
    begin(HD_H17);
    g_objects(1);
    object(ARENA_LO, NULL, 0, WORDS);                                      /* the target, first */
    pointer_objects(n, ARENA_LO + 8u * WORDS, ARENA_LO);
    one_goroutine();
    tail();
    eof();
}

static void shape_forward(uint64_t n)
{
    uint64_t nobj = (n + WORDS - 1) / WORDS, target = ARENA_LO + nobj * 8u * WORDS;
    begin(HD_H17);
    g_objects(1);
    pointer_objects(n, ARENA_LO, target);
    object(target, NULL, 0, WORDS);                                        /* the target, last */
    one_goroutine();
    tail();
    eof();
}

static void shape_attack(uint64_t n)
{
    const uint64_t big = 98000, first = ARENA_LO, last = ARENA_LO + 0x800000000u;
    uint64_t *v = calloc(big, sizeof *v);
    uint8_t *buf = malloc(8 * big);
    hd_field *f = malloc(big * sizeof *f);
    hd_record r = hd_record_of(HD_TAG_OBJECT);

    if (v == NULL || buf == NULL || f == NULL)
        exit(2);
    begin(HD_H17);
    g_objects(1);
    for (uint64_t i = 0; i < big; i++) {
        for (unsigned k = 0; k < 8; k++)
            buf[8 * i + k] = (uint8_t)(last >> (8 * k));
        f[i].offset = 8 * i;
        f[i].kind = HD_FK_PTR;
    }
    r.u.object.contents = hd_bytes_of(buf, 8 * big);
    r.u.object.fields = hd_fields_of(f, (uint32_t)big);
    for (int k = 0; k < 2; k++) {
        r.u.object.addr = first + (uint64_t)k * 8 * big;
        put(&r);
    }
    for (uint64_t i = n; i-- > 0;) {
        uint64_t a = first + 16 * big + i * 16;
        object(a, &first, 1, 2);
    }
    object(last, NULL, 0, 2);
    one_goroutine();
    tail();
    eof();
    free(v);
    free(buf);
    free(f);
}

/* The Ms lie in one object of 8 bytes a thread (a real M is bigger; the shape is about the thread records). */
static void shape_threads(uint64_t n)
{
    const uint64_t base = ARENA_LO + 0x300000000u;
    hd_record o = hd_record_of(HD_TAG_OBJECT);
    begin(HD_H17);
    g_objects(1);
    o.u.object.addr = base;
    o.u.object.contents.len = o.u.object.contents.kept = 8 * (n > 0 ? n : 1);
    o.u.object.contents.p = calloc(1, (size_t)o.u.object.contents.len);
    if (o.u.object.contents.p == NULL)
        exit(2);
    put(&o);
    free((void *)o.u.object.contents.p);
    one_goroutine();
    for (uint64_t i = 0; i < n; i++) {
        hd_record t = hd_record_of(HD_TAG_OSTHREAD);
        t.u.osthread.addr = base + 8 * i;
        t.u.osthread.id = i;
        t.u.osthread.procid = 1000 + i;
        put(&t);
    }
    tail();
    eof();
}

static void shape_samples(uint64_t n)
{
    hd_mpframe fr = {hd_bytes_str("main.alloc"), hd_bytes_str("main.go"), 10};
    hd_record b = hd_record_of(HD_TAG_MEMPROF);
    begin(HD_H17);
    g_objects(1);
    for (uint64_t i = 0; i < n; i++)
        object(ARENA_LO + i * 16, NULL, 0, 2);
    one_goroutine();
    tail();
    b.u.memprof.addr = 0x7f0000;
    b.u.memprof.size = 16;
    b.u.memprof.nframes = b.u.memprof.nkept = 1;
    b.u.memprof.frames = &fr;
    b.u.memprof.allocs = n;
    put(&b);
    for (uint64_t i = 0; i < n; i++) {
        hd_record s = hd_record_of(HD_TAG_ALLOCSAMPLE);
        s.u.sample.addr = ARENA_LO + i * 16;
        s.u.sample.bucket = 0x7f0000;
        put(&s);
    }
    eof();
}

static const struct { const char *name; void (*write)(uint64_t n); } shapes[] = {
    {"reverse", shape_reverse},   {"goroutines", shape_goroutines}, {"frames", shape_frames},
    {"defers", shape_defers},     {"types", shape_types},           {"into-one", shape_into_one},
    {"forward", shape_forward},   {"attack", shape_attack},         {"threads", shape_threads},
    {"samples", shape_samples},
};

int main(int argc, char **argv)
{
    FILE *f;
    if (argc != 4) {
        fprintf(stderr, "usage: shapes SHAPE N OUT\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        if (strcmp(argv[1], shapes[i].name) != 0)
            continue;
        if ((f = fopen(argv[3], "wb")) == NULL) {
            perror(argv[3]);
            return 2;
        }
        hd_out_init_file(&out, f);
        shapes[i].write(strtoull(argv[2], NULL, 10));
        if (hd_out_flush(&out) < 0 || fclose(f) != 0) {
            perror(argv[3]);
            return 2;
        }
        return 0;
    }
    fprintf(stderr, "shapes: unknown shape %s\n", argv[1]);
    return 2;
}
