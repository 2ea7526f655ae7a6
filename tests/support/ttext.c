/* ttext.c — see ttext.h. */
#include "ttext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *ttext_dump(const uint8_t *p, size_t len, const hd_dump_opts *o, int *rc)
{
    hd_dump_opts defaults;
    hd_text_input in;
    hd_dump_result res;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);

    if (f == NULL)
        abort();
    if (o == NULL) {
        hd_dump_opts_init(&defaults);
        o = &defaults;
    }
    memset(&in, 0, sizeof in);
    in.p = len > 0 ? p : (const uint8_t *)"";
    in.len = len;
    in.fd = -1;
    *rc = hd_dump(f, &in, o, &res);
    fclose(f);
    return buf;
}

int ttext_asm(const char *text, size_t n, hd_membuf *m, hd_asm_result *res)
{
    static hd_out o;
    int rc;
    memset(m, 0, sizeof *m);
    hd_out_init_mem(&o, m);
    rc = hd_asm_mem(text, n, &o, 0, res);
    return rc;
}

hd_membuf ttext_must_asm(const char *text)
{
    hd_membuf m;
    hd_asm_result res;
    if (ttext_asm(text, strlen(text), &m, &res) < 0) {
        fprintf(stderr, "line %u col %u: %s\n", res.line, res.col, res.msg);
        abort();
    }
    return m;
}

bool ttext_roundtrip(const uint8_t *p, size_t len)
{
    hd_dump_opts o;
    hd_membuf m;
    hd_asm_result res;
    int rc;
    char *t;
    bool same;

    hd_dump_opts_init(&o);
    o.text.contents = true;
    t = ttext_dump(p, len, &o, &rc);
    if (ttext_asm(t, strlen(t), &m, &res) < 0) {
        fprintf(stderr, "round trip: the text does not assemble: line %u col %u: %s\n%s", res.line, res.col, res.msg, t);
        free(t);
        free(m.p);
        return false;
    }
    same = m.len == len && (len == 0 || memcmp(m.p, p, len) == 0);
    if (!same) {
        size_t k = 0;
        while (k < m.len && k < len && m.p[k] == p[k])
            k++;
        fprintf(stderr, "round trip: %zu bytes in, %zu out, first difference at 0x%zx\n%s", len, m.len, k,
                strlen(t) < 20000 ? t : "(text too long to show)\n");
    }
    free(t);
    free(m.p);
    return same;
}

unsigned ttext_count(const char *s, const char *needle)
{
    unsigned n = 0;
    while (s != NULL && *s != 0) {
        const char *nl = strchr(s, '\n');
        size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);
        for (size_t i = 0; i + strlen(needle) <= len; i++)
            if (memcmp(s + i, needle, strlen(needle)) == 0) {
                n++;
                break;
            }
        s += len + (nl != NULL);
    }
    return n;
}
