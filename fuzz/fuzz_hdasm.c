/* fuzz_hdasm.c — arbitrary text through hdasm (libhdtext's hd_asm_mem), and what it assembles back through
 * hddump.
 *
 * The assembler must never crash, whatever the text, and never write more than the limit. When it does
 * assemble the text, the bytes it wrote must survive hddump --contents and a second assembly unchanged:
 * bytes -> text -> the same bytes, for any bytes a text can say (valid dumps, cut ones, non-canonical ones).
 * Any violation aborts. */
#include "fuzz_common.h"

#include "hd/textform.h"

#define LIMIT (1u << 20)   /* bytes one input may make the assembler write (zero(N) is N bytes) */

static int assemble(const char *t, size_t n, hd_membuf *m, hd_asm_result *res)
{
    hd_out *o = malloc(sizeof *o);
    int rc;
    if (o == NULL)
        abort();
    memset(m, 0, sizeof *m);
    hd_out_init_mem(o, m);
    rc = hd_asm_mem(t, n, o, LIMIT, res);
    free(o);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *p = fz_copy(data, size);
    hd_membuf first, second;
    hd_asm_result res;
    hd_text_input in;
    hd_dump_opts o;
    hd_dump_result dres;
    char *text = NULL;
    size_t n = 0;
    FILE *f;

    if (assemble((const char *)p, size, &first, &res) < 0) {
        FZ_CHECK(res.msg[0] != 0, "an error without a message");
        /* the limit is checked after each record: the one that passes it may be written, and a record holds at
         * most LIMIT bytes of ranges plus what the text spells out entry by entry */
        FZ_CHECK(first.len <= 2 * (size_t)LIMIT + 4 * size + HD_OUT_BUF, "wrote %zu bytes past the limit", first.len);
        goto done;
    }
    FZ_CHECK(res.bytes == first.len, "res.bytes %llu, wrote %zu", (unsigned long long)res.bytes, first.len);
    FZ_CHECK(first.len <= LIMIT, "wrote %zu bytes, limit %u", first.len, LIMIT);
    hd_dump_opts_init(&o);
    o.text.contents = true;
    memset(&in, 0, sizeof in);
    in.p = first.len > 0 ? first.p : (const uint8_t *)"";
    in.len = first.len;
    in.fd = -1;
    if ((f = open_memstream(&text, &n)) == NULL)
        abort();
    hd_dump(f, &in, &o, &dres);
    fclose(f);
    FZ_CHECK(assemble(text, n, &second, &res) == 0, "hddump's text of the assembled bytes does not assemble: "
             "line %u col %u: %s", res.line, res.col, res.msg);
    FZ_CHECK(second.len == first.len && (first.len == 0 || memcmp(first.p, second.p, first.len) == 0),
             "bytes -> hddump -> hdasm: %zu bytes became %zu, or changed", first.len, second.len);
    free(second.p);
done:
    free(first.p);
    free(text);
    free(p);
    return 0;
}
