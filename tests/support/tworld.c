/* tworld.c — see tworld.h. */
#include "tworld.h"

#include <assert.h>
#include <string.h>

/* ---- the heap world: amd64, go1.19.8 (tdump_params), arena [0xc000000000, 0xc004000000) ---- */

uint8_t tw_zeros[1 << 16];

hd_bytes tw_bytes(const void *p, uint64_t n) { return hd_bytes_of(p, n); }

hd_bytes tw_str(const char *s) { return hd_bytes_str(s); }

hd_record tw_object(uint64_t addr, uint64_t size)
{
    hd_record r = tdump_simple(HD_TAG_OBJECT);
    r.u.object.addr = addr;
    r.u.object.contents = tw_bytes(tw_zeros, size);
    return r;
}

hd_record tw_goroutine(uint64_t addr, uint64_t id, uint64_t status, uint64_t m, uint64_t defer, uint64_t panic)
{
    hd_record r = tdump_simple(HD_TAG_GOROUTINE);
    r.u.goroutine.addr = addr;
    r.u.goroutine.sp = STACK;
    r.u.goroutine.id = id;
    r.u.goroutine.gopc = 0x401000;
    r.u.goroutine.status = status;
    r.u.goroutine.waitreason = tw_str(status == 4 ? "dumping heap" : "");
    r.u.goroutine.m = m;
    r.u.goroutine.defer = defer;
    r.u.goroutine.panic = panic;
    return r;
}

/* A ring of buffers, so that all the frames of one test stay alive until they are written. */
hd_bytes tw_frame_contents(uint64_t len, unsigned ptrsize, bool big_endian, bool first_word, uint64_t ret)
{
    static uint8_t ring[32][256];
    static unsigned next;
    uint8_t *b = ring[next++ % 32];
    uint64_t at = first_word ? 0 : len - ptrsize;

    assert(len <= sizeof ring[0]);
    memset(b, 0, sizeof ring[0]);
    for (unsigned i = 0; len >= ptrsize && i < ptrsize; i++)
        b[at + (big_endian ? ptrsize - 1 - i : i)] = (uint8_t)(ret >> (8 * i));
    return tw_bytes(b, len);
}

/* Every frame of the heap world is in the same function at the same PC, so that any frame is a valid
 * caller of any other: tests that break one frame rule break that one only. */
hd_record tw_frame(uint64_t sp, uint64_t depth, uint64_t child, uint64_t len, const char *name)
{
    hd_record r = tdump_simple(HD_TAG_FRAME);
    r.u.frame.sp = sp;
    r.u.frame.depth = depth;
    r.u.frame.child_sp = child;
    r.u.frame.entry = TW_FRAME_ENTRY;
    r.u.frame.pc = r.u.frame.contpc = TW_FRAME_PC;
    r.u.frame.contents = tw_frame_contents(len, 8, false, false, TW_FRAME_PC);
    r.u.frame.name = tw_str(name);
    return r;
}

hd_record tw_osthread(uint64_t addr, uint64_t id)
{
    hd_record r = tdump_simple(HD_TAG_OSTHREAD);
    r.u.osthread.addr = addr;
    r.u.osthread.id = id;
    r.u.osthread.procid = 1000 + id;
    return r;
}

void tw_put(tdump *t, hd_record r) { tdump_rec(t, &r); }

uint64_t tw_put_pos(tdump *t, hd_record r)
{
    uint64_t pos = t->o.total;
    tdump_rec(t, &r);
    return pos;
}

/* G, M and OBJ objects. */
void tw_objects(tdump *t)
{
    tw_put(t, tw_object(G_ADDR, 384));
    tw_put(t, tw_object(M_ADDR, 1024));
    tw_put(t, tw_object(OBJ, OBJ_SIZE));
}

/* The two frames of the goroutine: [STACK, +32) and [STACK+32, +48). */
void tw_frames(tdump *t)
{
    tw_put(t, tw_frame(STACK, 0, 0, 32, "runtime.gopark"));
    tw_put(t, tw_frame(STACK + 32, 1, STACK, 48, "main.main"));
}

/* Validate; true if only `rule` fired (rule < 0: nothing fired) and the pipe path agrees. */
bool tw_verdict(tdump *t, int rule)
{
    tcheck c;
    bool ok;
    hd_out_flush(&t->o);
    tcheck_run(&c, t->m.p, t->m.len);
    ok = rule < 0 ? tcheck_clean(&c) : tcheck_only(&c, (hd_rule)rule);
    ok = ok && tcheck_same_via_pipe(&c, t->m.p, t->m.len);
    tdump_free(t);
    return ok;
}

/* ---- the mini world ---- */

uint64_t tw_base(const tdump *t) { return TD_ARENA_LO(t->ptrsize); }

void tw_w_object(tdump *t)
{
    hd_record o = tdump_simple(HD_TAG_OBJECT);
    o.u.object.addr = tw_base(t);
    o.u.object.contents = tw_bytes(tw_zeros, 512);
    tdump_rec(t, &o);
}

hd_record tw_goroutine_rec(const tdump *t)
{
    hd_record g = tdump_simple(HD_TAG_GOROUTINE);
    g.u.goroutine.addr = tw_base(t);
    g.u.goroutine.sp = tw_base(t) + 0x100000;
    g.u.goroutine.id = 1;
    g.u.goroutine.gopc = 0x401000;
    g.u.goroutine.status = 4;
    g.u.goroutine.waitreason = tw_str("dumping heap");
    g.u.goroutine.m = tw_base(t) + 256;
    return g;
}

hd_record tw_frame_rec(const tdump *t, uint64_t depth)
{
    hd_record f = tdump_simple(HD_TAG_FRAME);
    f.u.frame.sp = tw_base(t) + 0x100000 + 32 * depth;
    f.u.frame.depth = depth;
    f.u.frame.child_sp = depth == 0 ? 0 : f.u.frame.sp - 32;
    f.u.frame.entry = 0x401000;
    f.u.frame.pc = 0x401010;
    f.u.frame.contents = tw_frame_contents(32, t->ptrsize, false, false, f.u.frame.pc);   /* tdump_params: LE x86 */
    f.u.frame.name = tw_str("main.main");
    return f;
}

void tw_w_goroutine(tdump *t)
{
    hd_record g = tw_goroutine_rec(t), f = tw_frame_rec(t, 0);
    tdump_rec(t, &g);
    tdump_rec(t, &f);
}

void tw_w_thread(tdump *t)
{
    hd_record m = tdump_simple(HD_TAG_OSTHREAD);
    m.u.osthread.addr = tw_base(t) + 256;
    m.u.osthread.procid = 1;
    tdump_rec(t, &m);
}

void tw_w_data_bss(tdump *t)
{
    hd_record d = tdump_simple(HD_TAG_DATA), b = tdump_simple(HD_TAG_BSS);
    d.u.segment.addr = 0x500000;
    b.u.segment.addr = 0x600000;
    tdump_rec(t, &d);
    tdump_rec(t, &b);
}

void tw_w_memstats(tdump *t)
{
    hd_record m = tdump_simple(HD_TAG_MEMSTATS);
    tdump_rec(t, &m);
}

hd_record tw_type_rec(uint64_t addr, const char *name)
{
    hd_record r = tdump_simple(HD_TAG_TYPE);
    r.u.type.addr = addr;
    r.u.type.size = 8;
    r.u.type.name = tw_str(name);
    r.u.type.indirect = true;
    return r;
}

hd_record tw_itab_rec(uint64_t addr, uint64_t type)
{
    hd_record r = tdump_simple(HD_TAG_ITAB);
    r.u.itab.addr = addr;
    r.u.itab.type = type;
    r.u.itab.ptrdata = true;
    return r;
}
