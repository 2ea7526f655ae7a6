/* cases.c — the hand-built conformance cases (see cases.h). One builder per case; each writes a whole
 * dump that breaks exactly one rule (or none). */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- valid dumps: the minimal skeleton of every header and pointer size ---- */

#define VALID(fn, hdr, ps)                                                                                             \
    static void fn(tdump *t)                                                                                           \
    {                                                                                                                  \
        tdump_begin(t, hdr, ps);                                                                                       \
        tdump_finish(t);                                                                                               \
    }
VALID(y13_8, HD_H13, 8)
VALID(y13_4, HD_H13, 4)
VALID(y14_8, HD_H14, 8)
VALID(y14_4, HD_H14, 4)
VALID(y15_8, HD_H15, 8)
VALID(y16_4, HD_H16, 4)
VALID(y17_8, HD_H17, 8)
VALID(y17_4, HD_H17, 4)

/* ---- structural rules ---- */

static void bad_header(tdump *t)
{
    tdump_init(t, HD_H17, 8);
    t->m.len = 0;                         /* drop the header the builder wrote */
    t->o.n = 0;
    hd_out_raw(&t->o, "go1.8 heap dump\n", 16);
    hd_enc_uvarint(&t->o, HD_TAG_EOF);
}

static void params_v14_raw(tdump *t, uint64_t big_endian)
{
    hd_enc_uvarint(&t->o, HD_TAG_PARAMS);
    hd_enc_uvarint(&t->o, big_endian);
    hd_enc_uvarint(&t->o, 8);
    hd_enc_uvarint(&t->o, TD_ARENA_LO(8));
    hd_enc_uvarint(&t->o, TD_ARENA_HI(8));
    hd_enc_uvarint(&t->o, '6');
    hd_enc_bytes(&t->o, "", 0);
    hd_enc_uvarint(&t->o, 1);
}

static void bool_invalid(tdump *t)
{
    tdump_init(t, HD_H14, 8);
    params_v14_raw(t, 2);
    tdump_finish(t);
}

/* params whose ncpu (last field) is given as raw bytes */
static void params_ncpu_raw(tdump *t, const uint8_t *raw, size_t n)
{
    tdump_init(t, HD_H17, 8);
    hd_enc_uvarint(&t->o, HD_TAG_PARAMS);
    hd_enc_bool(&t->o, false);
    hd_enc_uvarint(&t->o, 8);
    hd_enc_uvarint(&t->o, TD_ARENA_LO(8));
    hd_enc_uvarint(&t->o, TD_ARENA_HI(8));
    hd_enc_bytes(&t->o, "amd64", 5);
    hd_enc_bytes(&t->o, "go1.19.8", 8);
    hd_out_raw(&t->o, raw, n);
    tdump_finish(t);
}

static void uvarint_too_long(tdump *t)
{
    static const uint8_t raw[11] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    params_ncpu_raw(t, raw, sizeof raw);
}

static void uvarint_overflow(tdump *t)
{
    static const uint8_t raw[10] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
    params_ncpu_raw(t, raw, sizeof raw);
}

static void uvarint_not_minimal(tdump *t)
{
    static const uint8_t raw[2] = {0x82, 0x00};
    params_ncpu_raw(t, raw, sizeof raw);
}

static void huge_string(tdump *t)
{
    /* a tiny file that claims a 2^60-byte range: diagnosed at once, nothing allocated */
    tdump_init(t, HD_H17, 8);
    hd_enc_uvarint(&t->o, HD_TAG_OBJECT);
    hd_enc_uvarint(&t->o, 0);
    hd_enc_uvarint(&t->o, UINT64_C(1) << 60);
}

static void short_contents(tdump *t)
{
    tdump_begin(t, HD_H17, 8);
    hd_enc_uvarint(&t->o, HD_TAG_OBJECT);
    hd_enc_uvarint(&t->o, TD_ARENA_LO(8));
    hd_enc_uvarint(&t->o, 64);
    hd_out_raw(&t->o, "0123456789", 10);
}

static void memprof_count_lie(tdump *t)
{
    tdump_begin(t, HD_H17, 8);
    tdump_tail(t);
    hd_enc_uvarint(&t->o, HD_TAG_MEMPROF);
    hd_enc_uvarint(&t->o, 0x1000);
    hd_enc_uvarint(&t->o, 16);
    hd_enc_uvarint(&t->o, UINT64_C(1) << 50);
}

static void tag_unknown(tdump *t)
{
    tdump_begin(t, HD_H17, 8);
    hd_enc_uvarint(&t->o, 18);
    tdump_finish(t);
}

static void otherroot_in_go14(tdump *t)
{
    hd_record r = tdump_simple(HD_TAG_OTHERROOT);
    tdump_begin(t, HD_H14, 8);
    tdump_goroutines(t);
    tdump_rec(t, &r);                    /* encoded with the go1.3 layout: the reader reads on */
    tdump_finish(t);
}

/* data record with a raw field list, then the rest of a valid tail */
static void data_fields(tdump *t, hd_header_id h, const uint64_t *v, size_t n, bool terminate)
{
    static const uint8_t contents[64];
    hd_record b = tdump_simple(HD_TAG_BSS), m = tdump_simple(HD_TAG_MEMSTATS);
    tdump_begin(t, h, 8);
    tdump_goroutines(t);
    hd_enc_uvarint(&t->o, HD_TAG_DATA);
    hd_enc_uvarint(&t->o, 0x500000);
    hd_enc_bytes(&t->o, contents, sizeof contents);
    for (size_t i = 0; i < n; i++)
        hd_enc_uvarint(&t->o, v[i]);
    if (!terminate)
        return;
    hd_enc_uvarint(&t->o, 0);
    b.u.segment.addr = 0x600000;
    tdump_rec(t, &b);
    tdump_rec(t, &m);
    tdump_eof(t);
}

static void iface_kind_in_go17(tdump *t)
{
    static const uint64_t v[] = {HD_FK_PTR, 0, HD_FK14_IFACE, 8};
    data_fields(t, HD_H17, v, 4, true);
}

static void kind_9(tdump *t)
{
    static const uint64_t v[] = {9, 0};
    data_fields(t, HD_H13, v, 2, true);
}

static void fields_unterminated(tdump *t)
{
    static const uint64_t v[] = {HD_FK_PTR, 0, HD_FK_PTR, 8};
    data_fields(t, HD_H17, v, 4, false);
}

static void truncated_record(tdump *t)
{
    tdump_begin(t, HD_H17, 8);
    hd_enc_uvarint(&t->o, HD_TAG_OSTHREAD);
    hd_enc_uvarint(&t->o, 0x1000);
}

static void no_eof(tdump *t)
{
    tdump_begin(t, HD_H17, 8);
    tdump_tail(t);
}

static void trailing_bytes(tdump *t)
{
    tdump_begin(t, HD_H17, 8);
    tdump_finish(t);
    hd_out_raw(&t->o, "\x00\x00junk", 6);
}

static void ptr_too_wide(tdump *t)
{
    hd_record th = tdump_simple(HD_TAG_OSTHREAD);
    tdump_begin(t, HD_H17, 4);
    tdump_goroutines(t);
    th.u.osthread.addr = UINT64_C(0x100000000);
    tdump_rec(t, &th);
    tdump_finish(t);
}

static void ptrsize_6(tdump *t)
{
    tdump_begin(t, HD_H17, 6);
    tdump_finish(t);
}

static void params_second(tdump *t)
{
    hd_record th = tdump_simple(HD_TAG_OSTHREAD), p;
    tdump_init(t, HD_H17, 8);
    tdump_goroutines(t);
    th.u.osthread.addr = 0x1000;
    tdump_rec(t, &th);
    p = tdump_params(t);
    tdump_rec(t, &p);
    tdump_finish(t);
}

static void memstats_twice(tdump *t)
{
    hd_record m = tdump_simple(HD_TAG_MEMSTATS);
    tdump_begin(t, HD_H17, 8);
    tdump_tail(t);
    tdump_rec(t, &m);
    tdump_eof(t);
}

static void no_data_bss(tdump *t)
{
    hd_record m = tdump_simple(HD_TAG_MEMSTATS);
    tdump_begin(t, HD_H17, 8);
    tdump_goroutines(t);
    tdump_rec(t, &m);
    tdump_eof(t);
}

#define Y(fn, name) {name, -1, fn}
#define N(fn, rule, name) {name, HD_R_##rule, fn}

const tcase hd_cases[] = {
    Y(y13_8, "go13_ptr8_minimal"), Y(y13_4, "go13_ptr4_minimal"), Y(y14_8, "go14_ptr8_minimal"),
    Y(y14_4, "go14_ptr4_minimal"), Y(y15_8, "go15_ptr8_minimal"), Y(y16_4, "go16_ptr4_minimal"),
    Y(y17_8, "go17_ptr8_minimal"), Y(y17_4, "go17_ptr4_minimal"),
    N(bad_header, BAD_HEADER, "go18_header"),
    N(uvarint_too_long, UVARINT_TOO_LONG, "eleven_byte_uvarint"),
    N(uvarint_overflow, UVARINT_OVERFLOW, "tenth_byte_2"),
    N(uvarint_not_minimal, UVARINT_NONMIN, "uvarint_82_00"),
    N(bool_invalid, BOOL_INVALID, "params_bool_2"),
    N(huge_string, LENGTH_BEYOND_END, "string_2p60_in_tiny_file"),
    N(short_contents, LENGTH_BEYOND_END, "object_contents_cut"),
    N(memprof_count_lie, TRUNCATED_RECORD, "memprof_frame_count_2p50"),
    N(tag_unknown, TAG_UNKNOWN, "tag_18"),
    N(otherroot_in_go14, TAG_NOT_IN_VERSION, "otherroot_in_go14"),
    N(iface_kind_in_go17, FIELD_KIND_INVALID, "iface_field_in_go17"),
    N(kind_9, FIELD_KIND_INVALID, "field_kind_9"),
    N(fields_unterminated, FIELDS_UNTERMINATED, "data_fields_no_eol"),
    N(truncated_record, TRUNCATED_RECORD, "osthread_cut"),
    N(no_eof, NO_EOF, "no_eof_record"),
    N(trailing_bytes, TRAILING_BYTES, "bytes_after_eof"),
    N(ptr_too_wide, PTR_TOO_WIDE, "ptr4_thread_above_4g"),
    N(ptrsize_6, PTRSIZE_INVALID, "ptrsize_6"),
    N(params_second, PARAMS_NOT_FIRST, "osthread_before_params"),
    N(memstats_twice, DUPLICATE_SINGLETON, "two_memstats"),
    N(no_data_bss, MISSING_SINGLETON, "no_data_no_bss"),
};
const size_t hd_ncases = sizeof hd_cases / sizeof hd_cases[0];

void tcase_filename(const tcase *c, char *buf, size_t n)
{
    if (c->rule < 0)
        snprintf(buf, n, "y_%s.hd", c->name);
    else
        snprintf(buf, n, "n_%s_%s.hd", hd_rule_get((hd_rule)c->rule)->id, c->name);
}
