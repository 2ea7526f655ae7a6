/* mkseeds.c — writes the synthetic seed corpus of the fuzz targets with the record encoder.
 *
 *   mkseeds OUTDIR [REAL_DUMP...]
 *
 * OUTDIR receives, for every header (go1.3 .. go1.7) and pointer size:
 *   min-<hdr>-<ps>   the smallest valid dump: header, params, data, bss, memstats, EOF;
 *   zoo-<hdr>-<ps>   one record of every kind the version writes (types/itabs, objects with pointer
 *                    fields, a goroutine with frames, a defer and a panic, a thread, segments with fields,
 *                    finalizers, memprof bucket and alloc sample), in the writer's order;
 * and a few edge inputs (empty file, header only, a bad header, a dump cut inside memstats). For each
 * REAL_DUMP it writes real-<name>-4k: the first 4 KiB (a prefix of a real dump: a real params record and
 * the first records, ending in a truncated record), and real-<name>-head: the complete records of that
 * prefix followed by a synthetic tail (data, bss, memstats, EOF).
 * `mkseeds --entropy OUTDIR` writes the seeds of fuzz_generate instead (entropy bytes, see entropy_seeds).
 * The files in fuzz/corpus/ were made with this program (see fuzz/README.md); the fuzz_seeds target
 * regenerates them into the build directory. */
#include "hd/encode.h"
#include "hd/format.h"
#include "hd/reader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *outdir;

static void put(const char *name, const uint8_t *p, size_t n)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", outdir, name);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "mkseeds: %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

typedef struct {
    hd_membuf    m;
    hd_out       o;
    hd_header_id h;
    hd_layout    layout;
    unsigned     ps;
} dump;

static void emit(dump *d, const hd_record *r)
{
    if (hd_enc_record(&d->o, d->layout, r) < 0) {
        fprintf(stderr, "mkseeds: record of tag %d not encodable\n", (int)r->tag);
        exit(1);
    }
}

/* Addresses: a heap arena, data/bss segments, text; 32-bit values for 4-byte pointers. */
static uint64_t heap(const dump *d, uint64_t off) { return (d->ps == 8 ? UINT64_C(0xc000000000) : 0x18000000u) + off; }
static uint64_t text(uint64_t off) { return 0x401000u + off; }

static void begin(dump *d, hd_header_id h, unsigned ps)
{
    hd_record p = hd_record_of(HD_TAG_PARAMS);
    memset(d, 0, sizeof *d);
    d->h = h;
    d->layout = hd_header_layout(h);
    d->ps = ps;
    hd_out_init_mem(&d->o, &d->m);
    hd_enc_header(&d->o, h);
    p.u.params.big_endian = false;
    p.u.params.ptrsize = ps;
    p.u.params.chansize = 12 * ps;
    p.u.params.arena_start = heap(d, 0);
    p.u.params.arena_end = heap(d, ps == 8 ? 0x4000000 : 0x400000);
    p.u.params.arch_code = ps == 8 ? '6' : '8';
    p.u.params.arch_is_string = d->layout == HD_V17;
    p.u.params.arch = hd_bytes_str(ps == 8 ? "amd64" : "386");
    p.u.params.experiment = hd_bytes_str(d->layout == HD_V17 ? "go1.19.8" : "");
    p.u.params.ncpu = 4;
    emit(d, &p);
}

static void segments(dump *d, bool with_fields)
{
    static uint8_t data[64], bss[32];
    static const hd_field f8[] = {{8, 1}, {24, 1}}, f4[] = {{4, 1}, {12, 1}};
    hd_record r = hd_record_of(HD_TAG_DATA);
    r.u.segment.addr = 0x5a0000;
    r.u.segment.contents = hd_bytes_of(data, sizeof data);
    if (with_fields)
        r.u.segment.fields = hd_fields_of(d->ps == 8 ? f8 : f4, 2);
    emit(d, &r);
    r = hd_record_of(HD_TAG_BSS);
    r.u.segment.addr = 0x5b0000;
    r.u.segment.contents = hd_bytes_of(bss, sizeof bss);
    emit(d, &r);
}

static void memstats(dump *d, bool realistic)
{
    hd_record r = hd_record_of(HD_TAG_MEMSTATS);
    if (realistic) {
        uint64_t *v = r.u.memstats.v;
        v[HD_MS_ALLOC] = 180000;   /* Alloc */
        v[HD_MS_TOTAL_ALLOC] = 190000;   /* TotalAlloc */
        v[HD_MS_SYS] = 8000000;  /* Sys */
        v[HD_MS_MALLOCS] = 600;      /* Mallocs */
        v[HD_MS_FREES] = 20;       /* Frees */
        v[HD_MS_HEAP_ALLOC] = 180000;   /* HeapAlloc */
        v[HD_MS_HEAP_SYS] = 3800000;  /* HeapSys */
        v[HD_MS_HEAP_INUSE] = 400000;   /* HeapInuse */
        v[HD_MS_HEAP_OBJECTS] = 580;     /* HeapObjects */
        v[HD_MS_NEXT_GC] = 4194304; /* NextGC */
        v[HD_MS_PAUSE_NS] = 31000;   /* PauseNs[0] */
        v[HD_MS_NUMGC] = 1;      /* NumGC */
    }
    emit(d, &r);
}

static void finish(dump *d, const char *name)
{
    hd_record e = hd_record_of(HD_TAG_EOF);
    emit(d, &e);
    if (hd_out_flush(&d->o) < 0)
        exit(1);
    put(name, d->m.p, d->m.len);
}

static void minimal(hd_header_id h, unsigned ps)
{
    dump d;
    char name[64];
    begin(&d, h, ps);
    segments(&d, false);
    memstats(&d, false);
    snprintf(name, sizeof name, "min-%s-%u", hd_header_name(h), ps);
    finish(&d, name);
    free(d.m.p);
}

static void type_rec(dump *d, uint64_t addr, uint64_t size, const char *name, const hd_field *f, uint32_t nf)
{
    hd_record t = hd_record_of(HD_TAG_TYPE);
    t.u.type.addr = addr;
    t.u.type.size = size;
    t.u.type.name = hd_bytes_str(name);
    t.u.type.indirect = true;
    t.u.type.fields = hd_fields_of(f, nf);
    emit(d, &t);
}

static void zoo(hd_header_id h, unsigned ps)
{
    static uint8_t obj[4][64], frame0[64], frame1[48];
    dump d;
    char name[64];
    const uint64_t w = ps;
    const hd_field objf[] = {{0, 1}, {2 * w, 1}};
    const hd_field v13f[] = {{0, 1}, {w, HD_FK13_STRING}};
    const hd_field framef[] = {{w, 1}, {3 * w, 1}};
    const hd_mpframe mpf[2] = {
        {hd_bytes_str("runtime.mallocgc"), hd_bytes_str("/usr/local/go/src/runtime/malloc.go"), 1100},
        {hd_bytes_str("main.main"), hd_bytes_str("/tmp/zoo/main.go"), 17},
    };
    const uint64_t m0 = 0x5b1000, typ = 0x4a0000, itab = 0x4c0000, bucket = 0x7f0000u;
    uint64_t g, defer_addr, panic_addr;
    hd_record r;

    begin(&d, h, ps);
    g = heap(&d, 0x1000);
    defer_addr = heap(&d, 0x2000);
    panic_addr = heap(&d, 0x2100);
    for (int i = 0; i < 4; i++)
        for (size_t k = 0; k < sizeof obj[i]; k++)
            obj[i][k] = (uint8_t)(i * 16 + k);

    /* itabs: (TYPE ITAB)* — V13 has no type before its itabs */
    if (d.layout != HD_V13)
        type_rec(&d, typ, 2 * w, "main.T", NULL, 0);
    r = hd_record_of(HD_TAG_ITAB);
    r.u.itab.addr = itab;
    r.u.itab.type = typ;
    r.u.itab.ptrdata = true;
    emit(&d, &r);

    /* objects: V13 writes each object's type first; V14 the types of Eface fields */
    for (int i = 0; i < 3; i++) {
        r = hd_record_of(HD_TAG_OBJECT);
        r.u.object.addr = heap(&d, 0x10000 + (uint64_t)i * 64);
        if (d.layout == HD_V13) {
            if (i == 0)
                type_rec(&d, typ + 0x100, 64, "main.node", v13f, 2);
            r.u.object.type = typ + 0x100;
            r.u.object.kind = 0;
        }
        r.u.object.contents = hd_bytes_of(obj[i], 32 + 16 * (size_t)i);
        r.u.object.fields = hd_fields_of(objf, i == 2 ? 0 : 2);
        emit(&d, &r);
    }

    /* goroutines: G, frames innermost first, defers, panics */
    r = hd_record_of(HD_TAG_GOROUTINE);
    r.u.goroutine.addr = g;
    r.u.goroutine.sp = heap(&d, 0x80000);
    r.u.goroutine.id = 1;
    r.u.goroutine.gopc = text(0x2000);
    r.u.goroutine.status = 4;
    r.u.goroutine.waitreason = hd_bytes_str(d.layout == HD_V17 ? "dumping heap" : "");
    r.u.goroutine.m = m0;
    r.u.goroutine.defer = defer_addr;
    r.u.goroutine.panic = panic_addr;
    emit(&d, &r);
    r = hd_record_of(HD_TAG_FRAME);
    r.u.frame.sp = heap(&d, 0x80000);
    r.u.frame.depth = 0;
    r.u.frame.contents = hd_bytes_of(frame0, 4 * w);
    r.u.frame.entry = text(0x100);
    r.u.frame.pc = text(0x140);
    r.u.frame.contpc = text(0x140);
    r.u.frame.name = hd_bytes_str("runtime/debug.WriteHeapDump");
    r.u.frame.fields = hd_fields_of(framef, 1);
    emit(&d, &r);
    r = hd_record_of(HD_TAG_FRAME);
    r.u.frame.sp = heap(&d, 0x80000) + 4 * w;
    r.u.frame.depth = 1;
    r.u.frame.child_sp = heap(&d, 0x80000);
    r.u.frame.contents = hd_bytes_of(frame1, 4 * w);
    r.u.frame.entry = text(0x2000);
    r.u.frame.pc = text(0x2040);
    r.u.frame.contpc = text(0x2040);
    r.u.frame.name = hd_bytes_str("main.main");
    r.u.frame.fields = hd_fields_of(framef, 2);
    emit(&d, &r);
    r = hd_record_of(HD_TAG_DEFER);
    r.u.defer.addr = defer_addr;
    r.u.defer.g = g;
    r.u.defer.argp = heap(&d, 0x80000) + 4 * w;
    r.u.defer.pc = text(0x2030);
    r.u.defer.fn = 0x4e0000;
    r.u.defer.code = text(0x3000);
    emit(&d, &r);
    r = hd_record_of(HD_TAG_PANIC);
    r.u.panic.addr = panic_addr;
    r.u.panic.g = g;
    r.u.panic.type = typ;
    r.u.panic.data = heap(&d, 0x10000);
    emit(&d, &r);

    /* threads */
    r = hd_record_of(HD_TAG_OSTHREAD);
    r.u.osthread.addr = m0;
    r.u.osthread.id = 0;
    r.u.osthread.procid = 4242;
    emit(&d, &r);

    /* roots: data, bss, (V13 otherroot), finalizers, queued finalizers */
    segments(&d, true);
    if (d.layout == HD_V13) {
        r = hd_record_of(HD_TAG_OTHERROOT);
        r.u.otherroot.desc = hd_bytes_str("runtime type info");
        r.u.otherroot.ptr = typ + 0x100;
        emit(&d, &r);
    }
    r = hd_record_of(HD_TAG_FINALIZER);
    r.u.finalizer.obj = heap(&d, 0x10040);
    r.u.finalizer.fn = 0x4e0100;
    r.u.finalizer.code = text(0x3100);
    r.u.finalizer.fint = typ + 0x200;
    r.u.finalizer.ot = typ + 0x300;
    emit(&d, &r);
    r.tag = HD_TAG_QFINAL;
    r.u.finalizer.obj = heap(&d, 0x10080);
    emit(&d, &r);

    memstats(&d, true);

    /* profile: buckets, then alloc samples */
    r = hd_record_of(HD_TAG_MEMPROF);
    r.u.memprof.addr = bucket;
    r.u.memprof.size = 64;
    r.u.memprof.nframes = r.u.memprof.nkept = 2;
    r.u.memprof.frames = mpf;
    r.u.memprof.allocs = 3;
    r.u.memprof.frees = 1;
    emit(&d, &r);
    r = hd_record_of(HD_TAG_ALLOCSAMPLE);
    r.u.sample.addr = heap(&d, 0x10040);
    r.u.sample.bucket = bucket;
    emit(&d, &r);

    snprintf(name, sizeof name, "zoo-%s-%u", hd_header_name(h), ps);
    finish(&d, name);
    free(d.m.p);
}

static void edges(void)
{
    dump d;
    uint8_t bad[HD_HEADER_LEN];

    put("empty", (const uint8_t *)"", 0);
    put("header-only-go1.7", (const uint8_t *)hd_header_text(HD_H17), HD_HEADER_LEN);
    memcpy(bad, hd_header_text(HD_H17), HD_HEADER_LEN);
    bad[4] = '8';
    put("bad-header-go1.8", bad, sizeof bad);

    /* cut inside memstats: a truncated write */
    begin(&d, HD_H17, 8);
    segments(&d, false);
    memstats(&d, true);
    hd_out_flush(&d.o);
    put("cut-in-memstats-go1.7", d.m.p, d.m.len - 100);
    free(d.m.p);
}

static void real_prefix(const char *path)
{
    static uint8_t buf[4096];
    char name[512];
    const char *base = strrchr(path, '/');
    FILE *f = fopen(path, "rb");
    size_t n;

    if (f == NULL) {
        fprintf(stderr, "mkseeds: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    base = base != NULL ? base + 1 : path;
    /* "go1.4.3-linux-amd64-minimal.heapdump" -> "real-go1.4.3-linux-amd64-minimal-4k" */
    {
        const char *ext = strstr(base, ".heapdump");
        size_t len = ext != NULL ? (size_t)(ext - base) : strlen(base);
        snprintf(name, sizeof name, "real-%.*s-4k", (int)len, base);
    }
    put(name, buf, n);

    /* real-<name>-head: the complete records of that prefix, then a synthetic tail (data, bss, memstats, EOF),
     * so the fuzzer starts from real records in a dump that reaches its end */
    {
        hd_reader *r = hd_reader_open_mem(buf, n, NULL);
        hd_header_id h;
        hd_record rec;
        uint64_t end = HD_HEADER_LEN;
        dump d;
        if (r == NULL || hd_reader_header(r, &h) < 0) {
            hd_reader_free(r);
            return;
        }
        while (hd_reader_next(r, &rec) == 1 && rec.tag != HD_TAG_EOF && rec.tag != HD_TAG_DATA &&
               rec.tag != HD_TAG_MEMSTATS)
            end = rec.end;
        memset(&d, 0, sizeof d);
        d.h = h;
        d.layout = hd_header_layout(h);
        d.ps = hd_reader_ptrsize(r) ? hd_reader_ptrsize(r) : 8;
        hd_reader_free(r);
        hd_out_init_mem(&d.o, &d.m);
        hd_out_raw(&d.o, buf, (size_t)end);
        segments(&d, false);
        memstats(&d, true);
        name[strlen(name) - 3] = 0;
        strcat(name, "-head");
        finish(&d, name);
        free(d.m.p);
    }
}

/* Seeds of fuzz_generate: entropy bytes, not dumps. The first byte picks the mode (0 mod 4: inject a defect,
 * chosen by the next two bytes); every later byte is one generator decision. */
static void entropy_seeds(void)
{
    uint8_t b[256];
    uint64_t x = 0x243f6a8885a308d3u;

    memset(b, 0, sizeof b);
    put("ent-empty", b, 0);
    b[0] = 1;
    put("ent-zeros-64", b, 64);
    memset(b, 0xff, sizeof b);
    put("ent-ones-64", b, 64);
    for (int i = 0; i < 256; i++)
        b[i] = (uint8_t)i;
    b[0] = 1;
    put("ent-count-256", b, 256);
    for (unsigned seed = 0; seed < 8; seed++) {
        char name[32];
        for (int i = 0; i < 96; i++) {     /* splitmix64 bytes */
            x += 0x9e3779b97f4a7c15u;
            uint64_t z = x;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
            b[i] = (uint8_t)(z ^ (z >> 31));
        }
        b[0] = (uint8_t)(seed < 4 ? 4 * seed + 1 : 4 * seed);   /* four plain, four with a defect */
        b[1] = (uint8_t)(seed * 7);
        b[2] = 0;
        snprintf(name, sizeof name, "ent-%s-%u", seed < 4 ? "plain" : "defect", seed);
        put(name, b, 96);
    }
}

int main(int argc, char **argv)
{
    static const unsigned sizes[HD_HEADER_COUNT][2] = {{8, 0}, {8, 4}, {8, 0}, {8, 0}, {8, 4}};

    if (argc >= 3 && strcmp(argv[1], "--entropy") == 0) {
        outdir = argv[2];
        entropy_seeds();
        return 0;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: mkseeds OUTDIR [REAL_DUMP...]\n       mkseeds --entropy OUTDIR\n");
        return 2;
    }
    outdir = argv[1];
    for (int h = 0; h < HD_HEADER_COUNT; h++) {
        for (int k = 0; k < 2 && sizes[h][k] != 0; k++) {
            minimal((hd_header_id)h, sizes[h][k]);
            zoo((hd_header_id)h, sizes[h][k]);
        }
    }
    edges();
    for (int i = 2; i < argc; i++)
        real_prefix(argv[i]);
    return 0;
}
