/* check_goroutines.c — goroutines, stack frames, defers and panics (FORMAT.md §5.5: G1–G5, S1–S9, D1–D5,
 * and the goroutine/defer/panic part of L1).
 *
 * A goroutine record opens a group that its frames, defers and panics follow (V13/V14 also type records
 * before frames); the first other record closes it, and only then can "the defer chain goes on but no record
 * follows" be judged. Uniqueness, the M field (threads come later) and "lives in dumped memory" go to the
 * cross-reference ledger; so does each goroutine's stack, the hull of its frames, for pointers into stacks. */
#include "check_internal.h"
#include "xref.h"

#include <inttypes.h>
#include <string.h>


/* The goroutine whose frames, defers and panics are being read. */
typedef struct {
    bool     open;
    uint64_t addr, sp, pos, index;
    uint64_t nframes;
    uint64_t prev_sp, prev_len;      /* the previous frame of this goroutine */
    uint64_t prev_ret;               /* its saved return address, when prev_has_ret */
    bool     prev_has_ret;
    bool     prev_zero_ok;           /* it is a frame of length 0 that may hold none (see note_return_address) */
    ck_range stack;                  /* hull of its frames */
    uint64_t next_defer, next_panic; /* the chain's next address: goroutine field, then links */
} cur_g;

typedef struct {
    cur_g g;
    bool  any_waiting, dumping_heap;
} goroutines_state;

static bool in_own_stack(const cur_g *g, uint64_t a)
{
    return g->nframes > 0 && a >= g->stack.lo && a < g->stack.hi;
}

/* ---- the goroutine group ---------------------------------------------------------------------------- */

/* The goroutine's stack, as two ledger entries that the sweep sees as the start and the end of a range. They
 * belong to the goroutine record. */
static void stack_entries(hd_checker *c, const cur_g *g)
{
    hd_record r = hd_record_of(HD_TAG_GOROUTINE);
    const hd_record *cur = c->rec;

    r.pos = g->pos;
    r.index = g->index;
    c->rec = &r;
    xref_add(c, XK_STACK_LO, g->stack.lo);
    xref_add(c, XK_STACK_HI, g->stack.hi);
    c->rec = cur;
}

/* The group ends at the record at `pos`: judge what must have followed. */
static void group_end(hd_checker *c, cur_g *g, uint64_t pos, bool judge)
{
    if (judge && g->next_defer != 0)
        ck_report(c, HD_R_DEFER_CHAIN, pos, "the defer chain of goroutine 0x%" PRIx64 " (record at 0x%" PRIx64
                  ") goes on at 0x%" PRIx64 ", but no more defer records follow", g->addr, g->pos, g->next_defer);
    if (judge && g->next_panic != 0)
        ck_report(c, HD_R_PANIC_CHAIN, pos, "the panic chain of goroutine 0x%" PRIx64 " (record at 0x%" PRIx64
                  ") goes on at 0x%" PRIx64 ", but no more panic records follow", g->addr, g->pos, g->next_panic);
    if (judge && g->nframes == 0)
        ck_report(c, HD_R_GOROUTINE_NO_FRAMES, pos, "goroutine 0x%" PRIx64 " (record at 0x%" PRIx64 ") has no stack"
                  " frame records", g->addr, g->pos);
    if (g->nframes > 0)
        stack_entries(c, g);
    g->open = false;
}


static bool is_status(uint64_t s)
{
    return s == 1 || s == 3 || s == 4;    /* runnable, syscall, waiting: dumpgs throws on anything else */
}

static bool bytes_eq(const hd_bytes *b, const char *s)
{
    return b->kept == b->len && b->len == strlen(s) && memcmp(b->p, s, b->len) == 0;
}

static void on_goroutine(hd_checker *c, goroutines_state *h, const hd_record *rec)
{
    uint64_t addr = rec->u.goroutine.addr, status = rec->u.goroutine.status, m = rec->u.goroutine.m;
    cur_g *g = &h->g;

    if (!is_status(status))
        ck_report(c, HD_R_GOROUTINE_STATUS, rec->pos, "goroutine 0x%" PRIx64 " has status %" PRIu64
                  " (only 1, 3 and 4 are dumped)", addr, status);
    if (c->layout != HD_V13 && rec->u.goroutine.background)
        ck_report(c, HD_R_GOROUTINE_BACKGROUND, rec->pos, "goroutine 0x%" PRIx64 " is marked background; %s dumps"
                  " always write 0", addr, hd_layout_name(c->layout));
    xref_add(c, XK_G_ADDR, addr);
    xref_add(c, XK_G_ID, rec->u.goroutine.id);
    if (m != 0)
        xref_add(c, XK_G_M, m);
    h->any_waiting |= status == 4;
    h->dumping_heap |= status == 4 && bytes_eq(&rec->u.goroutine.waitreason, "dumping heap");

    memset(g, 0, sizeof *g);
    g->open = true;
    g->addr = addr;
    g->sp = rec->u.goroutine.sp;
    g->pos = rec->pos;
    g->index = rec->index;
    g->next_defer = rec->u.goroutine.defer;
    g->next_panic = rec->u.goroutine.panic;
}

/* ---- frames --------------------------------------------------------------------------------------- */

/* Where frames sit (S4): on x86 the caller's frame starts where its callee's ends (the return address is the
 * last word of the callee's contents); on a link-register machine too (the return address is the first word of
 * the callee), except after a frame the runtime injected, which the unwinder leaves the port's minimum frame
 * below its caller. Exact from Go 1.17 on (checked on real dumps of every port); before, and for ports not in
 * arch.def, only "not below". */
static bool contiguous_rule(const hd_checker *c)
{
    return c->arch != NULL && ((c->arch->flags & HD_AF_X86) ||
                               ((c->arch->flags & HD_AF_LR) && c->arch->injected_gap != 0 && ck_go_surely_ge(c, 17)));
}

/* The saved return address (S10): where the unwinder reads a frame's caller PC from, on x86 the last word of
 * the frame (CALL pushed it), on link-register machines the first (the prologue saves LR at 0(SP)). Checked
 * where S4 is exact, when the return address is a pointer-sized word: the port's pointer size is the dump's,
 * or the go1.3-go1.6 code '6' (amd64 or amd64p32) comes with 8-byte pointers, so amd64 (amd64p32 pushes
 * 8-byte return addresses with 4-byte pointers). Not for gccgo, whose unwinder is another. */
static bool ret_rule(const hd_checker *c)
{
    if (!contiguous_rule(c) || c->ptrsize == 0 || c->prof.gccgo)
        return false;            /* (contiguous_rule: the port is known) */
    return c->arch->ptrsize == c->ptrsize || (c->arch->ptrsize == 0 && c->ptrsize == 8);
}

/* Remember the frame's saved return address for the check at its caller. */
static void note_return_address(const hd_checker *c, cur_g *g, const hd_record *rec)
{
    const hd_bytes *b = &rec->u.frame.contents;
    bool x86 = (c->arch->flags & HD_AF_X86) != 0;

    g->prev_has_ret = false;
    /* A frame of length 0 holds none where the unwinder takes the caller PC from elsewhere (link register
     * only): the innermost frame (stopped at its entry or in the stack-growth stub: the PC is in sched.lr)
     * and the function an injected call interrupted (its LR was pushed with the injected frame). */
    g->prev_zero_ok = b->len == 0 && !x86 && (rec->u.frame.depth == 0 || c->frame.after_injected);
    if (b->len < c->ptrsize)
        return;
    g->prev_has_ret = hd_bytes_word(b, x86 ? b->len - c->ptrsize : 0, c->ptrsize, c->big_endian, &g->prev_ret) != 0;
    if (!g->prev_has_ret)
        g->prev_zero_ok = true;      /* the word is past what the reader kept: nothing to compare */
}

/* S10: the frame's PC is what its callee saved. */
static void frame_return(hd_checker *c, const hd_record *rec, const cur_g *g)
{
    if (g->prev_has_ret && g->prev_ret != rec->u.frame.pc)
        ck_report(c, HD_R_FRAME_RETURN_ADDRESS, rec->pos, "frame PC 0x%" PRIx64 " is not the return address 0x%" PRIx64
                  " its callee (the frame at 0x%" PRIx64 ") saved", rec->u.frame.pc, g->prev_ret, g->prev_sp);
    else if (!g->prev_has_ret && !g->prev_zero_ok)
        ck_report(c, HD_R_FRAME_RETURN_ADDRESS, rec->pos, "the callee frame [0x%" PRIx64 ", +%" PRIu64 ") is too short "
                  "to hold the return address to this frame", g->prev_sp, g->prev_len);
}

/* S1–S4: how the frame follows the one before it (or the goroutine, at depth 0). */
static void frame_links(hd_checker *c, const hd_record *rec, const cur_g *g)
{
    uint64_t sp = rec->u.frame.sp, child = rec->u.frame.child_sp, depth = rec->u.frame.depth, want;
    bool first = g->nframes == 0;

    if (depth != g->nframes)
        ck_report(c, HD_R_FRAME_DEPTH, rec->pos, "frame depth %" PRIu64 " where %" PRIu64 " comes next", depth,
                  g->nframes);
    if (first && child != 0)
        ck_report(c, HD_R_FRAME_CHILD_SP, rec->pos, "the innermost frame has child SP 0x%" PRIx64 ", not 0", child);
    else if (!first && child != g->prev_sp)
        ck_report(c, HD_R_FRAME_CHILD_SP, rec->pos, "frame child SP 0x%" PRIx64 " is not the SP 0x%" PRIx64
                  " of the frame before", child, g->prev_sp);
    if (first && sp != g->sp)
        ck_report(c, HD_R_FRAME_SP_NOT_G_SP, rec->pos, "the innermost frame's SP 0x%" PRIx64 " is not the"
                  " goroutine's SP 0x%" PRIx64, sp, g->sp);
    if (first)
        return;
    want = g->prev_sp + g->prev_len + (c->frame.after_injected && (c->arch->flags & HD_AF_LR) ? c->arch->injected_gap : 0);
    if (sp < g->prev_sp)
        ck_report(c, HD_R_FRAME_SP_ORDER, rec->pos, "frame SP 0x%" PRIx64 " is below the SP 0x%" PRIx64
                  " of its callee", sp, g->prev_sp);
    else if (contiguous_rule(c) && sp != want)
        ck_report(c, HD_R_FRAME_SP_ORDER, rec->pos, "frame SP 0x%" PRIx64 " is not 0x%" PRIx64 ", where the callee frame"
                  " [0x%" PRIx64 ", +%" PRIu64 ") puts its caller on %s", sp, want, g->prev_sp, g->prev_len, c->arch->name);
}

/* S5–S8: the frame on its own. */
static void frame_self(hd_checker *c, const hd_record *rec)
{
    const hd_fields *fl = &rec->u.frame.fields;
    const hd_field_fault *m = &fl->misaligned, *o = &fl->outside;
    const hd_field_fault *s = fl->unsorted.index != HD_NONE ? &fl->unsorted : &fl->overlap;
    uint64_t entry = rec->u.frame.entry, pc = rec->u.frame.pc;

    if (entry > pc)
        ck_report(c, HD_R_FRAME_ENTRY_AFTER_PC, rec->pos, "frame entry PC 0x%" PRIx64 " is above its PC 0x%" PRIx64,
                  entry, pc);
    if (rec->u.frame.name.len == 0)
        ck_report(c, HD_R_FRAME_NAME_EMPTY, rec->u.frame.name.pos, "frame function name is empty");
    if (m->index != HD_NONE)
        ck_report(c, HD_R_FRAME_FIELD_MISALIGNED, m->pos, "frame field #%" PRIu64 " offset %" PRIu64 " is not a multiple"
                  " of the pointer size %u", m->index, m->offset, c->ptrsize != 0 ? c->ptrsize : 8);
    if (o->index != HD_NONE)
        ck_report(c, HD_R_FRAME_FIELD_OUTSIDE, o->pos, "frame field #%" PRIu64 " offset %" PRIu64 " is past the %" PRIu64
                  "-byte frame contents", o->index, o->offset, rec->u.frame.contents.len);
    if (s->index != HD_NONE)
        ck_report(c, HD_R_FRAME_FIELDS_UNSORTED, s->pos, "frame field #%" PRIu64 " offset %" PRIu64 " does not come"
                  " after the previous field", s->index, s->offset);
}

static void on_frame(hd_checker *c, cur_g *g, const hd_record *rec)
{
    uint64_t sp = rec->u.frame.sp, len = rec->u.frame.contents.len;
    uint64_t end = sp + len < sp ? UINT64_MAX : sp + len;

    frame_self(c, rec);
    if (!g->open)
        return;                       /* no goroutine before it: the order rules say so */
    frame_links(c, rec, g);
    if (ret_rule(c)) {
        if (g->nframes > 0)
            frame_return(c, rec, g);
        note_return_address(c, g, rec);
    }
    if (g->nframes == 0 || sp < g->stack.lo)
        g->stack.lo = sp;
    if (end > g->stack.hi)
        g->stack.hi = end;
    g->nframes++;
    g->prev_sp = sp;
    g->prev_len = len;
}

/* ---- defers and panics ------------------------------------------------------------------------------ */

/* D1/D2: the record at `addr` must be the chain's next; its link is the one after. */
static void chain_step(hd_checker *c, const hd_record *rec, uint64_t *next, hd_rule rule, const char *what,
                       uint64_t addr, uint64_t link)
{
    if (*next == 0)
        ck_report(c, rule, rec->pos, "%s record 0x%" PRIx64 " after the goroutine's %s chain ended", what, addr, what);
    else if (addr != *next)
        ck_report(c, rule, rec->pos, "%s record 0x%" PRIx64 " where the %s chain goes on at 0x%" PRIx64, what, addr,
                  what, *next);
    *next = link;
}

/* L1: a defer or panic lives in a heap object or in its goroutine's frames. Without frames (gccgo) the
 * stack is not in the dump, so nothing can be said. */
static xref_kind lives_in_dump(const cur_g *g, xref_kind kind, xref_kind out, uint64_t addr)
{
    return g->nframes == 0 || in_own_stack(g, addr) ? kind : out;
}

/* A defer or panic of the open goroutine (D1/D2): the next link of its chain, naming that goroutine, and
 * living in dumped memory. Outside a goroutine group (order error, reported there) nothing is judged. */
static void chain_member(hd_checker *c, cur_g *g, const hd_record *rec, uint64_t *next, hd_rule chain_rule,
                         hd_rule g_rule, const char *kind, uint64_t addr, uint64_t link, uint64_t owner)
{
    if (!g->open)
        return;
    chain_step(c, rec, next, chain_rule, kind, addr, link);
    if (owner != g->addr)
        ck_report(c, g_rule, rec->pos, "%s 0x%" PRIx64 " names goroutine 0x%" PRIx64 " but follows goroutine 0x%" PRIx64,
                  kind, addr, owner, g->addr);
}

static void on_defer(hd_checker *c, cur_g *g, const hd_record *rec)
{
    uint64_t addr = rec->u.defer.addr, fn = rec->u.defer.fn, code = rec->u.defer.code;

    xref_add(c, g->open ? lives_in_dump(g, XK_DEFER, XK_DEFER_OUT, addr) : XK_DEFER, addr);
    /* D4: open-coded defers (1.14+) have no funcval and then no code PC; before, both are set */
    if (!ck_go_maybe_ge(c, 14) && (fn == 0 || code == 0))
        ck_report(c, HD_R_DEFER_FN_CODE, rec->pos, "defer 0x%" PRIx64 " has fn 0x%" PRIx64 " and code 0x%" PRIx64
                  "; before Go 1.14 both are non-zero", addr, fn, code);
    else if (fn == 0 && code != 0)
        ck_report(c, HD_R_DEFER_FN_CODE, rec->pos, "defer 0x%" PRIx64 " has no fn but code PC 0x%" PRIx64
                  " (the writer writes 0 then)", addr, code);
    chain_member(c, g, rec, &g->next_defer, HD_R_DEFER_CHAIN, HD_R_DEFER_GOROUTINE, "defer", addr, rec->u.defer.link,
                 rec->u.defer.g);
}

static void on_panic(hd_checker *c, cur_g *g, const hd_record *rec)
{
    uint64_t addr = rec->u.panic.addr;

    xref_add(c, g->open ? lives_in_dump(g, XK_PANIC, XK_PANIC_OUT, addr) : XK_PANIC, addr);
    if (c->layout != HD_V13 && rec->u.panic.defer != 0)
        ck_report(c, HD_R_PANIC_DEFER_SET, rec->pos, "panic 0x%" PRIx64 " has defer 0x%" PRIx64 "; %s dumps always"
                  " write 0", addr, rec->u.panic.defer, hd_layout_name(c->layout));
    chain_member(c, g, rec, &g->next_panic, HD_R_PANIC_CHAIN, HD_R_PANIC_GOROUTINE, "panic", addr, rec->u.panic.link,
                 rec->u.panic.g);
}

/* ---- dispatch ------------------------------------------------------------------------------------------- */

static void goroutines_record(hd_checker *c, void *st, const hd_record *rec)
{
    goroutines_state *h = st;

    switch (rec->tag) {
    case HD_TAG_GOROUTINE:
        if (h->g.open)
            group_end(c, &h->g, rec->pos, true);
        on_goroutine(c, h, rec);
        break;
    case HD_TAG_FRAME: on_frame(c, &h->g, rec); break;
    case HD_TAG_DEFER: on_defer(c, &h->g, rec); break;
    case HD_TAG_PANIC: on_panic(c, &h->g, rec); break;
    case HD_TAG_TYPE: break;                 /* go1.3/1.4 write types before frames, inside the group */
    default:
        if (h->g.open)
            group_end(c, &h->g, rec->pos, true);
        break;
    }
}

/* ---- end of file ------------------------------------------------------------------------------------ */

static void goroutines_finish(hd_checker *c, void *st, uint64_t end, bool complete)
{
    goroutines_state *h = st;

    if (h->g.open)
        group_end(c, &h->g, end, complete);
    if (!complete || c->seen[HD_TAG_EOF].count == 0)
        return;                       /* a dump cut short (S112) may have lost its goroutines: nothing to say */
    if (c->seen[HD_TAG_GOROUTINE].count == 0)
        ck_report(c, HD_R_NO_GOROUTINES, end, "the dump has no goroutine record: the goroutine that writes the dump "
                  "is always in it");
    else if (!h->any_waiting)
        ck_report(c, HD_R_NO_WAITING_GOROUTINE, end, "no goroutine is waiting (status 4): the one writing the dump is");
    else if ((ck_go_surely_ge(c, 20) || c->layout == HD_V13) && !h->dumping_heap)
        ck_report(c, HD_R_NO_DUMPING_HEAP, end, "no waiting goroutine has the wait reason \"dumping heap\"");
}

const ck_family ck_goroutines_family = {
    .name = "goroutines", .tags = CK_ALL_TAGS, .size = sizeof(goroutines_state),
    .on_record = goroutines_record, .on_finish = goroutines_finish,
};
