/* fuzz_hddump.c — raw bytes through hddump (libhdtext's hd_dump), every way it prints them.
 *
 *   --contents text   assembled by hd_asm_mem, it must give back the input byte for byte: records as their
 *                     lines (non-canonical ones with raw() overrides or as raw bytes), and whatever the reader
 *                     could not decode as a raw directive; every line is free of control bytes;
 *   --json            every line is one well-formed JSON value of printable ASCII;
 *   default text, --stats (text and JSON), and a selection (--record/-C, --at, --goroutine, --object, --tag)
 *                     chosen by the input length: they must simply work (ASan/UBSan watch), and the JSON
 *                     statistics are one JSON line.
 * Any violation aborts. */
#include "fuzz_common.h"
#include "json_check.h"

#include "hd/textform.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    return 0;
}

/* hd_dump into *buf (the caller's, freed by the caller: open_memstream keeps its address until fclose). */
static void dump(const uint8_t *p, size_t size, const hd_dump_opts *o, char **buf, size_t *len)
{
    hd_text_input in;
    hd_dump_result res;
    FILE *f;
    *buf = NULL;
    if ((f = open_memstream(buf, len)) == NULL)
        abort();
    memset(&in, 0, sizeof in);
    in.p = p;
    in.len = size;
    in.fd = -1;
    hd_dump(f, &in, o, &res);
    FZ_CHECK(res.io_error == NULL, "memory input reported an I/O error: %s", res.io_error);
    fclose(f);
}

static void check_lines(const char *t, size_t n, bool json)
{
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(t + i, '\n', n - i);
        size_t len = nl != NULL ? (size_t)(nl - (t + i)) : n - i;
        FZ_CHECK(nl != NULL, "the output does not end in a newline");
        if (json)
            FZ_CHECK(json_check_line(t + i, len), "not one JSON value: %.*s", (int)(len < 300 ? len : 300), t + i);
        for (size_t k = 0; k < len; k++)
            FZ_CHECK((unsigned char)t[i + k] >= 0x20 && (unsigned char)t[i + k] < 0x7f,
                     "byte 0x%02x in an output line", (unsigned char)t[i + k]);
        i += len + 1;
    }
}

static void roundtrip(const uint8_t *p, size_t size)
{
    hd_dump_opts o;
    size_t n;
    char *t;
    hd_membuf m = {NULL, 0, 0};
    hd_out *out = malloc(sizeof *out);
    hd_asm_result res;

    if (out == NULL)
        abort();
    hd_dump_opts_init(&o);
    o.text.contents = true;
    dump(p, size, &o, &t, &n);
    check_lines(t, n, false);
    hd_out_init_mem(out, &m);
    FZ_CHECK(hd_asm_mem(t, n, out, 0, &res) == 0, "the --contents text does not assemble: line %u col %u: %s",
             res.line, res.col, res.msg);
    if (m.len != size || (size > 0 && memcmp(m.p, p, size) != 0)) {
        size_t k = 0;
        while (k < m.len && k < size && m.p[k] == p[k])
            k++;
        fz_fail("hddump --contents | hdasm gave %zu bytes for %zu; first difference at 0x%zx", m.len, size, k);
    }
    free(m.p);
    free(out);
    free(t);
}

static void json(const uint8_t *p, size_t size, bool stats)
{
    hd_dump_opts o;
    size_t n;
    char *t;
    hd_dump_opts_init(&o);
    o.text.json = true;
    o.stats = stats;
    dump(p, size, &o, &t, &n);
    check_lines(t, n, true);
    free(t);
}

/* The other views, chosen by the length so that a mutation of the bytes does not change what is asked. */
static void views(const uint8_t *p, size_t size)
{
    hd_dump_opts o;
    hd_text_input in;
    hd_dump_result res;
    hd_dump_opts_init(&o);
    switch (size % 5) {
    case 0: o.stats = true; break;
    case 1: o.has_record = true, o.record = size % 97, o.context = size % 4; break;
    case 2: o.has_at = true, o.at = size / 2, o.context = size % 3; break;
    case 3: o.has_goroutine = true, o.goroutine = size % 3; o.tags = HD_TAGMASK(HD_TAG_GOROUTINE) | HD_TAGMASK(HD_TAG_FRAME); break;
    default: o.has_object = true, o.object = UINT64_C(0xc000000000) + size * 8; break;
    }
    memset(&in, 0, sizeof in);
    in.p = p;
    in.len = size;
    in.fd = -1;
    hd_dump(devnull, &in, &o, &res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *p = fz_copy(data, size);
    if (size == 0)
        p[0] = 0;            /* the 1-byte buffer of an empty input is never read; gcc -O2 cannot tell */
    roundtrip(p, size);
    json(p, size, false);
    json(p, size, true);
    views(p, size);
    free(p);
    return 0;
}
