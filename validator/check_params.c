/* check_params.c — the params record (FORMAT.md §3.6, §5.2 P3–P8). P1 and P2 are the reader's (S115, S114);
 * a second or missing params is S116/S117; params that contradict the header are X101 (profile.c). */
#include "check_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Go 1.11+ report the arena as whole heap arenas: 64 MiB on most 64-bit targets, 4 MiB on Windows, 32-bit
 * targets and wasm. 4 MiB divides both, so it is the bound that holds everywhere. */
#define HEAP_ARENA_MIN (UINT64_C(4) << 20)

/* The architecture as shown in messages. */
static void arch_text(const hd_record *rec, char *buf, size_t n)
{
    char q[64];
    uint64_t code = rec->u.params.arch_code;

    if (rec->u.params.arch_is_string)
        snprintf(buf, n, "GOARCH \"%s\"", ck_quote(q, sizeof q, &rec->u.params.arch));
    else if (code >= 0x21 && code <= 0x7e)
        snprintf(buf, n, "char code '%c'", (char)code);
    else
        snprintf(buf, n, "char code %" PRIu64, code);
}

/* A pointer size other than 4 or 8 is S115's. */
static bool wrong_ptrsize(const hd_arch *a, const hd_record *rec)
{
    uint64_t ps = rec->u.params.ptrsize;
    return a->ptrsize != 0 && (ps == 4 || ps == 8) && ps != a->ptrsize;
}

/* A bool of 2..127 (S105) reads as true: then "big-endian" may be that one defect, not a second one. */
static bool wrong_endian(const hd_arch *a, const hd_record *rec)
{
    if (a->order == HD_BO_BIG)
        return !rec->u.params.big_endian;
    return a->order == HD_BO_LITTLE && rec->u.params.big_endian && !(rec->flags & HD_RF_BAD_BOOL);
}

/* P5, P6. */
static void check_arch(hd_checker *c, const hd_record *rec)
{
    const hd_arch *a = c->arch;
    uint64_t pos = rec->u.params.arch_is_string ? rec->u.params.arch.pos : rec->pos;
    char what[96];

    arch_text(rec, what, sizeof what);
    if (a == NULL || ((a->flags & HD_AF_GCCGO) && !c->prof.gccgo)) {
        ck_report(c, HD_R_ARCH_UNKNOWN, pos, "params %s is not a known %s architecture", what,
                  c->prof.gccgo ? "gccgo" : "Go");
        return;
    }
    if (a->since > c->prof.go_max || (a->until != 0 && a->until < c->prof.go_min)) {
        char span[32];
        if (a->until != 0)
            snprintf(span, sizeof span, "Go 1.%u .. 1.%u", a->since, a->until);
        else
            snprintf(span, sizeof span, "Go 1.%u and later", a->since);
        ck_report(c, HD_R_ARCH_UNKNOWN, pos, "params %s (%s) is not a port of the producer's releases (it exists in %s)",
                  what, a->name, span);
        return;
    }
    if (wrong_ptrsize(a, rec) || wrong_endian(a, rec))
        ck_report(c, HD_R_ARCH_MISMATCH, pos, "params say %" PRIu64 "-byte %s-endian, but %s is %s%s-endian",
                  rec->u.params.ptrsize, rec->u.params.big_endian ? "big" : "little", a->name,
                  a->ptrsize == 4 ? "4-byte " : a->ptrsize == 8 ? "8-byte " : "",
                  a->order == HD_BO_EITHER ? "either" : a->order == HD_BO_BIG ? "big" : "little");
}

/* P7: from Go 1.17 on the field is runtime.Version(): "go1.19.8", "devel go1.22-…", "devel +abc …". */
static void check_version(hd_checker *c, const hd_record *rec)
{
    const hd_bytes *v = &rec->u.params.experiment;
    char q[64];

    if (c->header != HD_H17 || c->prof.gccgo || !ck_go_surely_ge(c, 17))
        return;
    if ((v->kept >= 2 && memcmp(v->p, "go", 2) == 0) || (v->kept >= 5 && memcmp(v->p, "devel", 5) == 0))
        return;
    ck_report(c, HD_R_VERSION_MALFORMED, v->pos, "params build version \"%s\" starts with neither \"go\" nor "
              "\"devel\" (Go 1.17+ write runtime.Version() there)", ck_quote(q, sizeof q, v));
}

/* P3, P4. */
static void check_arena(hd_checker *c, const hd_record *rec)
{
    uint64_t lo = rec->u.params.arena_start, hi = rec->u.params.arena_end;

    if (lo > hi) {
        ck_report(c, HD_R_ARENA_INVERTED, rec->pos, "params arena start 0x%" PRIx64 " is above arena end 0x%" PRIx64,
                  lo, hi);
        return;
    }
    /* Go 1.11+ compute both bounds from heap-arena bases; gccgo's runtime is not known to. The unit is the
     * port's (arch.def), 4 MiB where the dump cannot tell. */
    uint64_t unit = c->arch != NULL && c->arch->heap_arena_mb != 0 ? (uint64_t)c->arch->heap_arena_mb << 20 : HEAP_ARENA_MIN;
    if (ck_go_surely_ge(c, 11) && !c->prof.gccgo && (lo % unit != 0 || hi % unit != 0))
        ck_report(c, HD_R_ARENA_UNALIGNED, rec->pos, "params arena [0x%" PRIx64 ", 0x%" PRIx64 ") is not made of "
                  "whole %" PRIu64 " MiB heap arenas (Go 1.11+ report heap-arena bounds)", lo, hi, unit >> 20);
}

static void params_record(hd_checker *c, void *st, const hd_record *rec)
{
    (void)st;
    if (c->seen[HD_TAG_PARAMS].count != 1)
        return;
    check_arena(c, rec);
    /* X101 already said GOARCH, version and ncpu were decoded from other fields' bytes: judging them adds
     * nothing. */
    if (c->prof.v15_params)
        return;
    check_arch(c, rec);
    check_version(c, rec);
    if (rec->u.params.ncpu == 0)
        ck_report(c, HD_R_NCPU_ZERO, rec->pos, "params ncpu is 0 (the runtime counts at least one CPU)");
}


const ck_family ck_params_family = {
    .name = "params", .tags = HD_TAGMASK(HD_TAG_PARAMS), .on_record = params_record,
};
