/* producer.c — producer profiles: which producer (gc or gccgo) and which Go releases could have written the
 * dump, and the known deviations of each producer (FORMAT.md §2, §3.6, §6 item 9; dumps/README).
 *
 * The header gives a first range of releases (profile_init). At the params record the range is narrowed
 * from the build version string (Go 1.17+ write runtime.Version() there, e.g. "go1.19.8",
 * "go1.25-devel_c0e149b6b1 Fri May 23 …", "devel go1.22-abc …"); --go overrides it, --producer overrides
 * the gc/gccgo detection. Contradictions between params, header and --go are X101. */
#include "check_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The family's own state: what --go said. */
typedef struct {
    unsigned version_minor;  /* Go 1.N from the params version string (or --go), 0 if none */
    bool     go_given;       /* --go parsed: it overrides detection */
} producer_state;

/* What the params version field (field 6 of V17 params) says. */
typedef enum {
    VK_NONE,    /* not a version: a GOEXPERIMENT list or empty, so Go 1.7 .. 1.16 */
    VK_MINOR,   /* "go1.N…" or "devel go1.N…" */
    VK_DEVEL,   /* "devel +abc …": a development build of Go 1.17 or later, minor unknown */
    VK_GCCGO    /* exactly "unknown": libgo's runtime.Version() */
} version_kind;

static bool has_prefix(const hd_bytes *b, const char *p)
{
    size_t n = strlen(p);
    return b->kept >= n && memcmp(b->p, p, n) == 0;
}

/* "1.N" at s (n bytes) → N (1..999), 0 if it is not that. What follows N is free (".8", "-devel", "rc1"). */
static unsigned parse_one_dot_minor(const char *s, size_t n)
{
    unsigned v = 0;
    size_t i = 2;

    if (n < 3 || s[0] != '1' || s[1] != '.')
        return 0;
    for (; i < n && i < 5 && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    if (i == 2 || (i < n && s[i] >= '0' && s[i] <= '9'))
        return 0;
    return v;
}

/* "go1.N…" → N, else 0. */
static unsigned parse_go_minor(const char *s, size_t n)
{
    if (n < 2 || s[0] != 'g' || s[1] != 'o')
        return 0;
    return parse_one_dot_minor(s + 2, n - 2);
}

static version_kind classify(const hd_bytes *v, unsigned *minor)
{
    const char *s = (const char *)v->p;

    *minor = 0;
    if (v->p == NULL || v->kept == 0)
        return VK_NONE;
    if (v->len == 7 && has_prefix(v, "unknown"))
        return VK_GCCGO;
    if ((*minor = parse_go_minor(s, (size_t)v->kept)) != 0)
        return VK_MINOR;
    if (!has_prefix(v, "devel"))
        return VK_NONE;
    if (v->kept > 6 && (*minor = parse_go_minor(s + 6, (size_t)v->kept - 6)) != 0)
        return VK_MINOR;
    return VK_DEVEL;
}

/* --go=1.19 or --go=go1.19.8 → 19; 0 if it is neither. */
static unsigned parse_go_option(const char *s)
{
    size_t n = strlen(s);
    unsigned m = parse_go_minor(s, n);
    return m != 0 ? m : parse_one_dot_minor(s, n);
}

/* The version token for the summary: up to the first space ("go1.25-devel_c0e149b6b1"), or the second
 * one for "devel go1.22-abc …"; printable bytes only. */
static void copy_version_token(char *dst, size_t cap, const hd_bytes *v)
{
    size_t n = 0, spaces = has_prefix(v, "devel ") ? 1 : 0;

    for (uint64_t i = 0; i < v->kept && n + 1 < cap; i++) {
        uint8_t ch = v->p[i];
        if (ch == ' ' && spaces-- == 0)
            break;
        if (ch < 0x20 || ch > 0x7e)
            break;
        dst[n++] = (char)ch;
    }
    dst[n] = 0;
}

const char *ck_quote(char *buf, size_t cap, const hd_bytes *b)
{
    size_t n = 0;
    uint64_t i = 0;

    for (; i < b->kept && n + 8 < cap; i++) {
        uint8_t ch = b->p[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
            buf[n++] = (char)ch;
        else
            n += (size_t)snprintf(buf + n, cap - n, "\\x%02x", ch);
    }
    if (i < b->len && n + 4 <= cap)
        n += (size_t)snprintf(buf + n, cap - n, "...");
    buf[n] = 0;
    return buf;
}


static void producer_init(hd_checker *c, void *st)
{
    producer_state *pf = st;
    /* The header bounds the release: go1.3 .. go1.6 headers were each written by one release family;
     * the go1.7 header by every release from 1.7 on. */
    unsigned go;

    c->prof.gccgo = c->opts.producer != NULL && strcmp(c->opts.producer, "gccgo") == 0;
    c->prof.go_min = hd_header_go_min(c->header);
    c->prof.go_max = hd_header_go_max(c->header);
    snprintf(c->producer, sizeof c->producer, "%s", c->prof.gccgo ? "gccgo" : "gc");
    c->go_version[0] = 0;
    if (c->header != HD_H17)
        snprintf(c->go_version, sizeof c->go_version, "go1.%u", hd_header_go_min(c->header));
    go = c->opts.go_version != NULL ? parse_go_option(c->opts.go_version) : 0;
    if (go != 0) {
        pf->go_given = true;
        pf->version_minor = go;
        c->prof.go_min = c->prof.go_max = go;
    }
    if (c->opts.go_version != NULL)
        snprintf(c->go_version, sizeof c->go_version, "%s", c->opts.go_version);
}

static bool printable(const hd_bytes *b)
{
    for (uint64_t i = 0; i < b->kept; i++)
        if (b->p[i] < 0x20 || b->p[i] > 0x7e)
            return false;
    return true;
}

/* FORMAT.md §2/§6 item 5: go1.5/1.6 params (architecture as a uvarint char code '0'..'9') decoded with the
 * go1.7 layout. The char code becomes the GOARCH length (48..57) and the GOARCH bytes are the old
 * GOEXPERIMENT, ncpu and whatever records follow: not printable. A real GOARCH is always printable. */
static bool looks_like_v15_params(const hd_record *rec)
{
    const hd_bytes *arch = &rec->u.params.arch;
    if (!rec->u.params.arch_is_string || arch->len == 0 || printable(arch))
        return false;
    return (arch->len >= '5' && arch->len <= '9') || arch->len == '0' || !printable(&rec->u.params.experiment);
}

static void report_mismatch(hd_checker *c, const producer_state *pf, const hd_record *rec, version_kind kind,
                            unsigned minor)
{
    const hd_bytes *v = &rec->u.params.experiment;
    unsigned lo = hd_header_go_min(c->header), hi = hd_header_go_max(c->header);
    char q[64];

    ck_quote(q, sizeof q, v);
    if (c->prof.v15_params)
        ck_report(c, HD_R_PARAMS_HEADER_MISMATCH, rec->u.params.arch.pos, "params look like the go1.5/go1.6 layout "
                  "under a go1.7 header: GOARCH is %" PRIu64 " bytes of non-text (a uvarint char code, e.g. '6' = 54, "
                  "read as a string length)", rec->u.params.arch.len);
    else if (kind == VK_MINOR && c->header == HD_H17 && minor < 17)
        ck_report(c, HD_R_PARAMS_HEADER_MISMATCH, v->pos, "params version \"%s\" under a go1.7 header: %s", q,
                  minor < 7 ? "that header was first written by Go 1.7"
                            : "before Go 1.17 that field is GOEXPERIMENT, never a version");
    else if (kind == VK_MINOR && c->header != HD_H17 && minor != lo)
        ck_report(c, HD_R_PARAMS_HEADER_MISMATCH, v->pos, "params GOEXPERIMENT field holds the version \"%s\", "
                  "but the %s header is written only by Go 1.%u", q, hd_header_name(c->header), lo);
    else if (pf->go_given && (pf->version_minor < lo || pf->version_minor > hi))
        ck_report(c, HD_R_PARAMS_HEADER_MISMATCH, rec->pos, "--go=%s contradicts the %s header (written by Go 1.%u%s)",
                  c->opts.go_version, hd_header_name(c->header), lo, hi == lo ? " only" : " and later");
    else if (pf->go_given && kind == VK_MINOR && minor != pf->version_minor)
        ck_report(c, HD_R_PARAMS_HEADER_MISMATCH, v->pos, "--go=%s contradicts the params version \"%s\"",
                  c->opts.go_version, q);
}

/* gc on a go1.7 header: narrow the range from what the version field is. */
static void narrow_gc(hd_checker *c, producer_state *pf, const hd_record *rec, version_kind kind, unsigned minor)
{
    if (kind == VK_MINOR && minor >= 17) {
        c->prof.go_min = c->prof.go_max = minor;
        pf->version_minor = minor;
        copy_version_token(c->go_version, sizeof c->go_version, &rec->u.params.experiment);
    } else if (kind == VK_DEVEL) {
        c->prof.go_min = 17;
        copy_version_token(c->go_version, sizeof c->go_version, &rec->u.params.experiment);
    } else if (kind == VK_NONE || kind == VK_GCCGO) {
        c->prof.go_max = 16;   /* a GOEXPERIMENT list or empty: the field was not yet the build version */
    }
}

static void producer_record(hd_checker *c, void *st, const hd_record *rec)
{
    producer_state *pf = st;
    version_kind kind;
    unsigned minor = 0;
    bool forced_gc = c->opts.producer != NULL && strcmp(c->opts.producer, "gc") == 0;

    if (c->seen[HD_TAG_PARAMS].count != 1)
        return;
    c->prof.v15_params = c->header == HD_H17 && looks_like_v15_params(rec);
    kind = c->prof.v15_params ? VK_NONE : classify(&rec->u.params.experiment, &minor);
    report_mismatch(c, pf, rec, kind, minor);
    if (c->prof.v15_params)
        return;
    if (c->header == HD_H17 && kind == VK_GCCGO && !forced_gc)
        c->prof.gccgo = true;
    snprintf(c->producer, sizeof c->producer, "%s", c->prof.gccgo ? "gccgo" : "gc");
    if (c->prof.gccgo)
        ck_report(c, HD_R_PROFILE_APPLIED, rec->pos, "gccgo profile (%s): gccgo writes no stackframe, type, itab, "
                  "data or bss records; the rules this breaks are reported as info",
                  kind == VK_GCCGO ? "params version \"unknown\"" : "--producer=gccgo");
    else if (c->header == HD_H17 && !pf->go_given)
        narrow_gc(c, pf, rec, kind, minor);
}


/* Known deviations: under this producer and release range the rule's finding is expected, so it is lowered
 * to INFO. `applies`, when set, narrows the deviation to the case the producer really shows. */
static bool memstats_present(const hd_checker *c) { return c->seen[HD_TAG_MEMSTATS].count > 0; }
static bool no_frames(const hd_checker *c) { return c->seen[HD_TAG_FRAME].count == 0; }

static const struct {
    bool     gccgo;
    unsigned go_min, go_max;       /* the profile's range must lie inside */
    hd_rule  rule;
    bool   (*applies)(const hd_checker *c);
} deviations[] = {
    /* libgo's heapdump writes no data or bss record (dumps/README, FORMAT.md §6 item 9); S118 then fires
     * for those two only when memstats is there. */
    {true, 0, HD_GO_OPEN, HD_R_MISSING_SINGLETON, memstats_present},
    /* ... and no stack frames at all, so every goroutine is frameless (S9). */
    {true, 0, HD_GO_OPEN, HD_R_GOROUTINE_NO_FRAMES, no_frames},
};

hd_severity profile_severity(const hd_checker *c, hd_rule rule)
{
    for (size_t i = 0; i < sizeof deviations / sizeof deviations[0]; i++) {
        if (deviations[i].rule != rule || deviations[i].gccgo != c->prof.gccgo)
            continue;
        if (c->prof.go_min < deviations[i].go_min || c->prof.go_max > deviations[i].go_max)
            continue;
        if (deviations[i].applies == NULL || deviations[i].applies(c))
            return HD_SEV_INFO;
    }
    return hd_rule_get(rule)->severity;
}

const ck_family ck_producer_family = {
    .name = "producer", .tags = HD_TAGMASK(HD_TAG_PARAMS), .size = sizeof(producer_state),
    .init = producer_init, .on_record = producer_record,
};
