/* record.h — one decoded record. The decoder fills an hd_record; the checker and the encoder read it.
 *
 * Byte ranges (strings, memory contents) are described by hd_bytes: their length and file offset, and
 * a pointer to the first `kept` bytes. The decoder keeps at most a bounded prefix of each range (see
 * HD_KEEP_*), so memory never grows with the file; checks that read contents must stay within `kept`.
 * Pointers stay valid only until the next call into the decoder. */
#ifndef HD_RECORD_H
#define HD_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include "hd/format.h"

/* Bounds on what the decoder keeps of one record. Identical for memory and stream input, so both give
 * the same diagnostics. */
#define HD_KEEP_CONTENTS   (1u << 20)  /* bytes of object/frame/segment contents */
#define HD_KEEP_STRING     4096u       /* bytes of a name or other string */
#define HD_KEEP_FIELDS     131072u     /* field-list entries */
#define HD_KEEP_MPFRAMES   64u         /* memprof stack frames */

typedef struct {
    uint64_t       len;   /* length written in the file */
    uint64_t       pos;   /* file offset of the first byte */
    uint64_t       kept;  /* bytes available at p (kept <= len) */
    const uint8_t *p;
} hd_bytes;

typedef struct {
    uint64_t offset;      /* byte offset inside the record's contents */
    uint8_t  kind;        /* HD_FK_* of the layout */
} hd_field;

#define HD_NONE UINT64_MAX

/* First violation of each shape property, as the index of the offending entry (HD_NONE: none).
 * Width of an entry = hd_field_kind_words(layout, kind) * ptrsize. Whether a violation is an error
 * depends on the record (objects/segments: O1/O2; frames: warnings S7/S8): the checker decides. */
typedef struct {
    uint64_t index, pos, offset;
} hd_field_fault;

typedef struct {
    uint64_t       pos;        /* file offset of the list's first byte */
    uint64_t       count;      /* entries, Eol excluded */
    uint32_t       nkept;      /* entries stored in v (<= HD_KEEP_FIELDS) */
    const hd_field *v;
    hd_field_fault unsorted;   /* offset <= previous offset */
    hd_field_fault overlap;    /* offset < previous offset + previous width (multi-word kinds) */
    hd_field_fault misaligned; /* offset % ptrsize != 0 */
    hd_field_fault outside;    /* offset + width > contents length */
} hd_fields;

typedef struct { hd_bytes name, file; uint64_t line; } hd_mpframe;

/* hd_record.flags */
#define HD_RF_BAD_BOOL 1u   /* some bool field was neither 0 nor 1 (S105): it reads as true */

typedef struct hd_record {
    hd_tag   tag;
    uint64_t index;       /* 0-based among records */
    uint64_t pos;         /* file offset of the tag byte */
    uint64_t end;         /* file offset just past the record */
    unsigned flags;       /* HD_RF_*: what the decoder saw that the fields cannot show */
    union {
        struct { uint64_t addr; uint64_t type, kind; /* V13 only */
                 hd_bytes contents; hd_fields fields; } object;
        struct { hd_bytes desc; uint64_t ptr; } otherroot;
        struct { uint64_t addr, size; hd_bytes name; bool indirect;
                 hd_fields fields; /* V13 only */ } type;
        struct { uint64_t addr, sp, id, gopc, status; bool system, background;
                 uint64_t waitsince; hd_bytes waitreason; uint64_t ctxt, m, defer, panic; } goroutine;
        struct { uint64_t sp, depth, child_sp; hd_bytes contents;
                 uint64_t entry, pc, contpc; hd_bytes name; hd_fields fields; } frame;
        struct { bool big_endian; uint64_t ptrsize;
                 uint64_t chansize;            /* V13 only */
                 uint64_t arena_start, arena_end;
                 bool arch_is_string;          /* V17: GOARCH string; else a char code */
                 uint64_t arch_code; hd_bytes arch;
                 hd_bytes experiment;          /* GOEXPERIMENT, or (Go 1.17+) build version */
                 uint64_t ncpu; } params;
        struct { uint64_t obj, fn, code, fint, ot; } finalizer;   /* FINALIZER and QFINAL */
        struct { uint64_t addr; uint64_t type; /* V14+ */ bool ptrdata; /* V13 */ } itab;
        struct { uint64_t addr, id, procid; } osthread;
        struct { uint64_t v[HD_MEMSTATS_NVALUES]; } memstats;
        struct { uint64_t addr; hd_bytes contents; hd_fields fields; } segment;   /* DATA and BSS */
        struct { uint64_t addr, g, argp, pc, fn, code, link; } defer;
        struct { uint64_t addr, g, type, data, defer, link; } panic;
        struct { uint64_t addr, size, nframes; uint32_t nkept; const hd_mpframe *frames;
                 uint64_t allocs, frees; } memprof;
        struct { uint64_t addr, bucket; } sample;
    } u;
} hd_record;

/* Constructors for records built in memory (encoder callers, generator, tests): whole byte ranges, complete
 * field lists, a zeroed record of a tag. */
static inline hd_bytes hd_bytes_of(const void *p, uint64_t len)
{
    hd_bytes b = {len, 0, len, (const uint8_t *)p};
    return b;
}

static inline hd_bytes hd_bytes_str(const char *s)
{
    uint64_t n = 0;
    while (s[n] != 0)
        n++;
    return hd_bytes_of(s, n);
}

static inline hd_fields hd_fields_of(const hd_field *v, uint32_t n)
{
    hd_fields f = {0};
    f.count = f.nkept = n;
    f.v = v;
    f.unsorted.index = f.overlap.index = f.misaligned.index = f.outside.index = HD_NONE;
    return f;
}

static inline hd_record hd_record_of(hd_tag tag)
{
    hd_record r = {0};
    r.tag = tag;
    return r;
}

/* Read the pointer-sized word at byte offset `off` of b, in the dump's byte order. Returns 0 (and leaves
 * *out alone) when the word is not within the kept bytes. */
int hd_bytes_word(const hd_bytes *b, uint64_t off, unsigned ptrsize, bool big_endian, uint64_t *out);

#endif
