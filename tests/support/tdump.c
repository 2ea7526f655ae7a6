/* tdump.c — see tdump.h. */
#include "tdump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void tdump_init(tdump *t, hd_header_id h, unsigned ptrsize)
{
    memset(t, 0, sizeof *t);
    t->header = h;
    t->layout = hd_header_layout(h);
    t->ptrsize = ptrsize;
    hd_out_init_mem(&t->o, &t->m);
    hd_enc_header(&t->o, h);
}

hd_record tdump_params(const tdump *t)
{
    hd_record r = tdump_simple(HD_TAG_PARAMS);
    r.u.params.ptrsize = t->ptrsize;
    r.u.params.chansize = 8 * t->ptrsize;
    r.u.params.arena_start = TD_ARENA_LO(t->ptrsize);
    r.u.params.arena_end = TD_ARENA_HI(t->ptrsize);
    r.u.params.arch_code = t->ptrsize == 8 ? '6' : '8';
    r.u.params.arch_is_string = t->layout == HD_V17;
    r.u.params.arch = hd_bytes_str(t->ptrsize == 8 ? "amd64" : "386");
    r.u.params.experiment = hd_bytes_str(t->layout == HD_V17 ? "go1.19.8" : "");
    r.u.params.ncpu = 2;
    return r;
}

hd_record tdump_simple(hd_tag tag) { return hd_record_of(tag); }

void tdump_begin(tdump *t, hd_header_id h, unsigned ptrsize)
{
    hd_record p;
    tdump_init(t, h, ptrsize);
    p = tdump_params(t);
    tdump_rec(t, &p);
}

void tdump_rec(tdump *t, const hd_record *rec)
{
    if (rec->tag < HD_TAG_COUNT)
        t->written |= HD_TAGMASK(rec->tag);
    if (hd_enc_record(&t->o, t->layout, rec) < 0) {
        fprintf(stderr, "tdump: record of tag %d is not encodable\n", rec->tag);
        abort();
    }
}

hd_record tdump_dumping_goroutine(const tdump *t)
{
    hd_record g = tdump_simple(HD_TAG_GOROUTINE);
    g.u.goroutine.addr = TD_STACK(t->ptrsize) - 0x1000;
    g.u.goroutine.sp = TD_STACK(t->ptrsize);
    g.u.goroutine.id = 1;
    g.u.goroutine.status = 4;
    g.u.goroutine.waitreason = hd_bytes_str("dumping heap");
    return g;
}

hd_record tdump_dumping_frame(const tdump *t)
{
    static const uint8_t zero[64];
    hd_record f = tdump_simple(HD_TAG_FRAME);
    f.u.frame.sp = TD_STACK(t->ptrsize);
    f.u.frame.contents = hd_bytes_of(zero, 4u * t->ptrsize);
    f.u.frame.entry = 0x401000;
    f.u.frame.pc = 0x401010;
    f.u.frame.name = hd_bytes_str("runtime/debug.WriteHeapDump");
    return f;
}

void tdump_goroutines(tdump *t)
{
    hd_record g = tdump_dumping_goroutine(t), f = tdump_dumping_frame(t);
    tdump_rec(t, &g);
    tdump_rec(t, &f);
}

void tdump_tail(tdump *t)
{
    /* sections from the goroutines on: after one of them, a goroutine would be out of order */
    const uint32_t later = HD_TAGMASK(HD_TAG_GOROUTINE) | HD_TAGMASK(HD_TAG_OSTHREAD) | HD_TAGMASK(HD_TAG_DATA) |
                           HD_TAGMASK(HD_TAG_BSS) | HD_TAGMASK(HD_TAG_FINALIZER) | HD_TAGMASK(HD_TAG_QFINAL) |
                           HD_TAGMASK(HD_TAG_OTHERROOT) | HD_TAGMASK(HD_TAG_MEMSTATS) | HD_TAGMASK(HD_TAG_MEMPROF) |
                           HD_TAGMASK(HD_TAG_ALLOCSAMPLE) | HD_TAGMASK(HD_TAG_EOF);
    hd_record d = tdump_simple(HD_TAG_DATA), b = tdump_simple(HD_TAG_BSS), m = tdump_simple(HD_TAG_MEMSTATS);
    if ((t->written & later) == 0)
        tdump_goroutines(t);
    d.u.segment.addr = 0x500000;
    b.u.segment.addr = 0x600000;
    tdump_rec(t, &d);
    tdump_rec(t, &b);
    tdump_rec(t, &m);
}

void tdump_eof(tdump *t)
{
    hd_record e = tdump_simple(HD_TAG_EOF);
    tdump_rec(t, &e);
    hd_out_flush(&t->o);
}

void tdump_finish(tdump *t)
{
    tdump_tail(t);
    tdump_eof(t);
}

void tdump_free(tdump *t)
{
    free(t->m.p);
    memset(&t->m, 0, sizeof t->m);
}

static void capture(void *ctx, const hd_diag *d)
{
    tcheck *c = ctx;
    if (c->n < TCHECK_MAX)
        c->d[c->n++] = *d;
}

void tcheck_run_opts(tcheck *c, const uint8_t *p, size_t len, const hd_options *o)
{
    hd_diag_sink s = {capture, c};
    memset(c, 0, sizeof *c);
    hd_validate_mem(p, len, o, &s, &c->res);
}

void tcheck_run(tcheck *c, const uint8_t *p, size_t len) { tcheck_run_opts(c, p, len, NULL); }

bool tcheck_same_via_pipe(const tcheck *c, const uint8_t *p, size_t len)
{
    int fds[2];
    pid_t pid;
    static tcheck s;
    hd_diag_sink sink = {capture, &s};
    bool same;

    if (pipe(fds) < 0)
        return false;
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        for (size_t off = 0; off < len;) {
            ssize_t n = write(fds[1], p + off, len - off > 4093 ? 4093 : len - off);  /* odd chunks */
            if (n <= 0)
                _exit(1);
            off += (size_t)n;
        }
        _exit(0);
    }
    close(fds[1]);
    memset(&s, 0, sizeof s);
    hd_validate_fd(fds[0], NULL, &sink, &s.res);
    close(fds[0]);
    waitpid(pid, NULL, 0);
    same = s.n == c->n && s.res.errors == c->res.errors && s.res.warnings == c->res.warnings &&
           s.res.records == c->res.records;
    for (unsigned i = 0; same && i < s.n; i++)
        same = s.d[i].rule == c->d[i].rule && s.d[i].offset == c->d[i].offset && s.d[i].record == c->d[i].record &&
               strcmp(s.d[i].message, c->d[i].message) == 0;
    if (!same) {
        fprintf(stderr, "memory path:\n");
        tcheck_dump(c);
        fprintf(stderr, "pipe path:\n");
        tcheck_dump(&s);
    }
    return same;
}

unsigned tcheck_count(const tcheck *c, hd_rule r)
{
    unsigned k = 0;
    for (unsigned i = 0; i < c->n; i++)
        k += c->d[i].rule == r;
    return k;
}

bool tcheck_only(const tcheck *c, hd_rule r)
{
    bool ok = c->n > 0 && tcheck_count(c, r) == c->n;
    if (!ok) {
        fprintf(stderr, "expected only %s (%s), got:\n", hd_rule_get(r)->id, hd_rule_get(r)->name);
        tcheck_dump(c);
    }
    return ok;
}

bool tcheck_clean(const tcheck *c)
{
    if (c->n != 0)
        tcheck_dump(c);
    return c->n == 0;
}

void tcheck_dump(const tcheck *c)
{
    for (unsigned i = 0; i < c->n; i++)
        fprintf(stderr, "  0x%llx %s[%s] %s (record %lld)\n", (unsigned long long)c->d[i].offset,
                hd_severity_name(c->d[i].severity), hd_rule_get(c->d[i].rule)->id, c->d[i].message,
                c->d[i].record == HD_NO_RECORD ? -1LL : (long long)c->d[i].record);
}
