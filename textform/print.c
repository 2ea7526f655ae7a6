/* print.c — records, raw ranges and diagnostics as text lines or JSON objects (see print.h, textform.h).
 *
 * One walker over the record's layout steps prints both forms: each part knows its name (names.c) and its
 * step's kind, and differs between text and JSON only in punctuation. Nothing here decodes bytes: values
 * come from the hd_record, and what the reader did not keep from the input (whole.c). */
#include "print.h"
#include "names.h"
#include "whole.h"

#include <inttypes.h>
#include <string.h>

#define STRING_LIMIT 4096u   /* without contents: bytes of a name shown (HD_KEEP_STRING) */
#define FRAME_LIMIT 8u       /* without contents: memprof frames shown */
#define ZERO_RUN 32u         /* with contents: zero runs at least this long print as zero(N) */
#define ZERO_SCAN (1u << 20) /* without contents: longest range checked for being all zero */

typedef struct {
    FILE               *out;
    const hd_text_opts *o;
    hd_layout           layout;
    tf_input            in;
    bool                json;
    bool                abbreviated;
} pr;

/* ---- primitives ------------------------------------------------------------------------------------- */

void tf_put_hex(FILE *out, const uint8_t *p, uint64_t n)
{
    static const char digit[] = "0123456789abcdef";
    char buf[4096];
    while (n > 0) {
        size_t k = n > sizeof buf / 2 ? sizeof buf / 2 : (size_t)n;
        for (size_t i = 0; i < k; i++) {
            buf[2 * i] = digit[p[i] >> 4];
            buf[2 * i + 1] = digit[p[i] & 15];
        }
        fwrite(buf, 1, 2 * k, out);
        p += k;
        n -= k;
    }
}

/* Escape one byte into e (room for 7); returns the length. */
static size_t escape(uint8_t c, bool json, char *e)
{
    static const char digit[] = "0123456789abcdef";
    if (c == '"' || c == '\\') {
        e[0] = '\\';
        e[1] = (char)c;
        return 2;
    }
    if (c >= 0x20 && c < 0x7f) {
        e[0] = (char)c;
        return 1;
    }
    if (json) {                  /* bytes are not trusted to be UTF-8: each is its own code point */
        memcpy(e, "\\u00", 4);
        e[4] = digit[c >> 4];
        e[5] = digit[c & 15];
        return 6;
    }
    if (c == '\n' || c == '\t' || c == '\r') {
        e[0] = '\\';
        e[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
        return 2;
    }
    e[0] = '\\';
    e[1] = 'x';
    e[2] = digit[c >> 4];
    e[3] = digit[c & 15];
    return 4;
}

void tf_put_escaped(FILE *out, const uint8_t *p, uint64_t n, bool json)
{
    char buf[4096 + 8];
    size_t k = 0;
    for (uint64_t i = 0; i < n; i++) {
        k += escape(p[i], json, buf + k);
        if (k >= 4096) {
            fwrite(buf, 1, k, out);
            k = 0;
        }
    }
    fwrite(buf, 1, k, out);
}

static void put_name(pr *p, const char *name)
{
    if (p->json)
        fprintf(p->out, ",\"%s\":", name);
    else
        fprintf(p->out, " %s=", name);
}

static void put_count(pr *p, const char *name, uint64_t n)
{
    if (p->json)
        fprintf(p->out, ",\"%s_count\":%" PRIu64, name, n);
}

/* ---- byte ranges ------------------------------------------------------------------------------------ */

static bool all_zero(const uint8_t *b, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        if (b[i] != 0)
            return false;
    return true;
}

/* End of the part that starts at i: a zero run of ZERO_RUN or more bytes, or the bytes up to the next one. */
static uint64_t part_end(const uint8_t *b, uint64_t n, uint64_t i, bool *zero)
{
    uint64_t k = i;
    while (k < n && b[k] == 0)
        k++;
    if (k - i >= ZERO_RUN) {
        *zero = true;
        return k;
    }
    *zero = false;
    while (k < n) {
        uint64_t r = k;
        while (r < n && b[r] == 0)
            r++;
        if (r - k >= ZERO_RUN)
            return k;
        k = r > k ? r : k + 1;
    }
    return n;
}

static void put_part(pr *p, const uint8_t *b, uint64_t from, uint64_t to, bool zero)
{
    if (zero) {
        fprintf(p->out, "zero(%" PRIu64 ")", to - from);
    } else {
        fputs("x\"", p->out);
        if (to > from)               /* an empty range may have no pointer */
            tf_put_hex(p->out, b + from, to - from);
        fputc('"', p->out);
    }
}

/* Whole bytes in text: hex, with long zero runs as zero(N); several parts go in brackets. */
static void put_hex_whole(pr *p, const uint8_t *b, uint64_t n)
{
    bool zero;
    uint64_t end = part_end(b, n, 0, &zero);
    if (end == n) {
        put_part(p, b, 0, n, zero);
        return;
    }
    fputc('[', p->out);
    for (uint64_t i = 0; i < n; i = end) {
        end = part_end(b, n, i, &zero);
        if (i > 0)
            fputc(' ', p->out);
        put_part(p, b, i, end, zero);
    }
    fputc(']', p->out);
}

/* A range of `len` bytes of which `avail` are at b. Strings print as quoted text, contents as hex. Without
 * contents (or without the bytes) the first bytes are shown and "...(len)" says how many there are. */
static void put_range(pr *p, const uint8_t *b, uint64_t avail, uint64_t len, bool string)
{
    uint64_t limit = p->o->contents ? len : string ? STRING_LIMIT : p->o->abbrev;
    uint64_t show = avail < limit ? avail : limit;
    bool cut = show < len;

    if (!string && cut && avail == len && len <= ZERO_SCAN && all_zero(b, len))
        show = len, cut = false;          /* an all-zero range is short whole: zero(N) */
    if (cut)
        p->abbreviated = true;
    if (p->json) {
        if (string) {
            fputc('"', p->out);
            tf_put_escaped(p->out, b, show, true);
            fputc('"', p->out);
        } else {
            fprintf(p->out, "{\"len\":%" PRIu64 ",\"hex\":\"", len);
            tf_put_hex(p->out, b, show);
            fprintf(p->out, "\"%s}", cut ? ",\"abbreviated\":true" : "");
        }
        return;
    }
    if (string) {
        fputc('"', p->out);
        tf_put_escaped(p->out, b, show, false);
        fputc('"', p->out);
    } else if (cut) {
        put_part(p, b, 0, show, false);
    } else {
        put_hex_whole(p, b, len);
    }
    if (cut)
        fprintf(p->out, "...(%" PRIu64 ")", len);
}

static void put_bytes(pr *p, const char *name, const hd_bytes *b, bool string)
{
    const uint8_t *at;
    uint64_t avail = tf_bytes_avail(b, p->in, &at);
    put_name(p, name);
    put_range(p, at, avail, b->len, string);
    if (p->json && string && avail < b->len)
        fprintf(p->out, ",\"%s_len\":%" PRIu64, name, b->len);
}

/* ---- lists ------------------------------------------------------------------------------------------ */

static void put_kind(pr *p, uint64_t kind)
{
    const char *name = kind <= HD_FK_MAX ? hd_field_kind_name(p->layout, (unsigned)kind) : NULL;
    if (p->json)
        name != NULL ? fprintf(p->out, "\"%s\"", name) : fprintf(p->out, "%" PRIu64, kind);
    else
        name != NULL ? fputs(name, p->out) : fprintf(p->out, "%" PRIu64, kind);
}

static void put_fields(pr *p, const char *name, const hd_fields *f)
{
    tf_field_iter it;
    uint64_t kind, off, limit = p->o->contents ? UINT64_MAX : p->o->abbrev, i = 0;
    int got = 0;

    put_name(p, name);
    fputc('[', p->out);
    tf_field_iter_init(&it, f, p->in);
    for (; i < limit && (got = tf_field_next(&it, &kind, &off)) == 1; i++) {
        if (p->json) {
            fputs(i > 0 ? ",{\"kind\":" : "{\"kind\":", p->out);
            put_kind(p, kind);
            fprintf(p->out, ",\"offset\":%" PRIu64 "}", off);
        } else {
            if (i > 0)
                fputc(' ', p->out);
            put_kind(p, kind);
            fprintf(p->out, "@0x%" PRIx64, off);
        }
    }
    if (i < f->count) {
        p->abbreviated = true;
        if (!p->json)
            fprintf(p->out, "%s...(%" PRIu64 ")", i > 0 ? " " : "", f->count);
    }
    fputc(']', p->out);
    if (i < f->count)
        put_count(p, name, f->count);
}

static void put_memstats(pr *p, const uint64_t *v)
{
    for (unsigned i = 0; i < HD_MEMSTATS_NVALUES;) {
        unsigned sub = 0, n = 1;
        const char *name = hd_memstat_name(i, &sub);
        while (i + n < HD_MEMSTATS_NVALUES && hd_memstat_name(i + n, &sub) == name && sub > 0)
            n++;
        put_name(p, name);
        if (n == 1) {
            fprintf(p->out, "%" PRIu64, v[i]);
        } else {                  /* PauseNs: the ring, without its trailing zeros */
            unsigned last = n;
            while (last > 0 && v[i + last - 1] == 0)
                last--;
            fputc('[', p->out);
            for (unsigned k = 0; k < last; k++)
                fprintf(p->out, k > 0 ? (p->json ? ",%" PRIu64 : " %" PRIu64) : "%" PRIu64, v[i + k]);
            fputc(']', p->out);
        }
        i += n;
    }
}

static void put_frame(pr *p, const hd_mpframe *f, uint64_t i)
{
    const uint8_t *a, *b;
    uint64_t na = tf_bytes_avail(&f->name, p->in, &a), nb = tf_bytes_avail(&f->file, p->in, &b);
    if (p->json) {
        fputs(i > 0 ? ",{\"name\":" : "{\"name\":", p->out);
        put_range(p, a, na, f->name.len, true);
        fputs(",\"file\":", p->out);
        put_range(p, b, nb, f->file.len, true);
        fprintf(p->out, ",\"line\":%" PRIu64 "}", f->line);
    } else {
        if (i > 0)
            fputc(' ', p->out);
        put_range(p, a, na, f->name.len, true);
        fputc(' ', p->out);
        put_range(p, b, nb, f->file.len, true);
        fprintf(p->out, ":%" PRIu64, f->line);
    }
}

static void put_frames(pr *p, const char *name, const hd_record *rec)
{
    tf_frame_iter it;
    const hd_mpframe *f;
    uint64_t n = rec->u.memprof.nframes, limit = p->o->contents ? UINT64_MAX : FRAME_LIMIT, i = 0;

    put_name(p, name);
    fputc('[', p->out);
    tf_frame_iter_init(&it, rec, p->in);
    for (; i < limit && tf_frame_next(&it, &f) == 1; i++)
        put_frame(p, f, i);
    if (i < n) {
        p->abbreviated = true;
        if (!p->json)
            fprintf(p->out, "%s...(%" PRIu64 ")", i > 0 ? " " : "", n);
    }
    fputc(']', p->out);
    if (i < n)
        put_count(p, name, n);
}

/* ---- scalars and overrides -------------------------------------------------------------------------- */

static void put_override(pr *p, const tf_override *ov)
{
    if (ov->kind == TF_OV_VALUE) {
        fprintf(p->out, "%" PRIu64, ov->value);
    } else if (p->json) {
        fputs("{\"raw\":\"", p->out);
        tf_put_hex(p->out, ov->raw, ov->rawlen);
        fputs("\"}", p->out);
    } else {
        fputs("raw(x\"", p->out);
        tf_put_hex(p->out, ov->raw, ov->rawlen);
        fputs("\")", p->out);
    }
}

static void put_arch_code(pr *p, uint64_t v)
{
    if (!p->json && v >= 0x20 && v < 0x7f && v != '\'' && v != '\\')
        fprintf(p->out, "'%c'", (char)v);    /* go1.3-go1.6 write the linker's char code: '6' reads better than 54 */
    else
        fprintf(p->out, "%" PRIu64, v);
}

static void put_step(pr *p, const hd_record *rec, const layout_step *st, const tf_override *ov)
{
    const void *at = (const char *)rec + st->at;
    const char *name = tf_step_name(p->layout, rec->tag, st);
    uint64_t v;

    if (name == NULL)
        name = "?";
    if (ov != NULL && ov->kind != TF_OV_NONE) {
        put_name(p, name);
        put_override(p, ov);
        return;
    }
    switch (st->op) {
    case ST_PTR:
        put_name(p, name);
        fprintf(p->out, p->json ? "\"0x%" PRIx64 "\"" : "0x%" PRIx64, *(const uint64_t *)at);
        break;
    case ST_UINT: case ST_EXTENT: case ST_PTRSIZE:
        put_name(p, name);
        v = *(const uint64_t *)at;
        if (rec->tag == HD_TAG_PARAMS && st->at == offsetof(hd_record, u.params.arch_code))
            put_arch_code(p, v);
        else
            fprintf(p->out, "%" PRIu64, v);
        break;
    case ST_BOOL:
        put_name(p, name);
        fputs(*(const bool *)at ? "true" : "false", p->out);
        break;
    case ST_STRING: case ST_ARCH_STRING:
        put_bytes(p, name, at, true);
        break;
    case ST_CONTENTS:
        put_bytes(p, name, at, false);
        break;
    case ST_FIELDS:
        put_fields(p, name, at);
        break;
    case ST_MEMSTATS:
        put_memstats(p, at);
        break;
    case ST_MPFRAMES:
        put_frames(p, name, rec);
        break;
    case ST_END:
        break;
    }
}

/* ---- lines ------------------------------------------------------------------------------------------ */

static void begin_line(pr *p, uint64_t pos, uint64_t index, bool has_index, const char *what, const char *mark)
{
    if (p->json) {
        fprintf(p->out, "{\"offset\":%" PRIu64, pos);
        if (has_index)
            fprintf(p->out, ",\"index\":%" PRIu64, index);
        if (mark != NULL)
            fputs(",\"mark\":true", p->out);
        if (what != NULL)
            fprintf(p->out, ",\"tag\":\"%s\"", what);
        return;
    }
    if (p->o->columns) {
        fprintf(p->out, "0x%08" PRIx64 " ", pos);
        if (has_index)
            fprintf(p->out, "#%" PRIu64 " ", index);
    }
    if (mark != NULL)
        fputs(mark, p->out);
    if (what != NULL)
        fputs(what, p->out);
}

static pr make_pr(FILE *out, hd_layout layout, const hd_text_opts *o)
{
    pr p;
    p.out = out;
    p.o = o;
    p.layout = layout;
    p.in.p = o->input;
    p.in.len = o->input_len;
    p.json = o->json;
    p.abbreviated = false;
    return p;
}

int tf_print_record(FILE *out, hd_layout layout, const hd_record *rec, const hd_text_opts *o,
                    const tf_override *ov, const char *mark)
{
    pr p = make_pr(out, layout, o);
    const layout_step *st = tf_steps(layout, rec->tag);

    begin_line(&p, rec->pos, rec->index, true, hd_tag_name(rec->tag), mark);
    for (unsigned i = 0; st != NULL && st[i].op != ST_END; i++)
        put_step(&p, rec, &st[i], ov != NULL && i < TF_MAX_STEPS ? &ov[i] : NULL);
    fputs(p.json ? "}\n" : "\n", out);
    return p.abbreviated;
}

int hd_text_record(FILE *out, hd_layout layout, const hd_record *rec, const hd_text_opts *o)
{
    return tf_print_record(out, layout, rec, o, NULL, NULL);
}

int tf_print_raw(FILE *out, uint64_t pos, const uint8_t *b, uint64_t n, uint64_t len, const hd_text_opts *o)
{
    pr p = make_pr(out, HD_V17, o);
    begin_line(&p, pos, 0, false, NULL, NULL);
    if (p.json)
        fputs(",\"raw\":", out);
    else
        fputs("raw ", out);
    put_range(&p, b, n, len, false);
    fputs(p.json ? "}\n" : "\n", out);
    return p.abbreviated;
}

void hd_text_header(FILE *out, hd_header_id h, const hd_text_opts *o)
{
    if (o->json)
        fprintf(out, "{\"offset\":0,\"header\":\"%s\"}\n", hd_header_name(h));
    else
        fprintf(out, "%sheader %s\n", o->columns ? "0x00000000 " : "", hd_header_name(h));
}

void tf_print_diag(FILE *out, const hd_diag *d, const char *what, const hd_text_opts *o)
{
    const hd_rule_info *ri = hd_rule_get(d->rule);
    size_t n = strnlen(d->message, sizeof d->message);
    if (o->json) {
        fprintf(out, "{\"offset\":%" PRIu64 ",\"%s\":{\"rule\":\"%s\",\"name\":\"%s\",\"severity\":\"%s\",\"message\":\"",
                d->offset, what, ri->id, ri->name, hd_severity_name(d->severity));
        tf_put_escaped(out, (const uint8_t *)d->message, n, true);
        fputs("\"", out);
        if (d->record != HD_NO_RECORD)
            fprintf(out, ",\"record\":%" PRIu64, d->record);
        fputs("}}\n", out);
        return;
    }
    if (strcmp(what, "diagnostic") != 0)
        fprintf(out, ";; %s: ", what);
    else
        fputs(";; ", out);
    fprintf(out, "0x%" PRIx64 ": %s[%s]: ", d->offset, hd_severity_name(d->severity), ri->id);
    fwrite(d->message, 1, n, out);
    if (d->record != HD_NO_RECORD)
        fprintf(out, " (record #%" PRIu64 "%s%s)", d->record, d->tag >= 0 ? ", " : "",
                d->tag >= 0 ? hd_tag_name((unsigned)d->tag) : "");
    fputc('\n', out);
}

void hd_text_opts_init(hd_text_opts *o)
{
    memset(o, 0, sizeof *o);
    o->columns = true;
    o->abbrev = 16;
}
