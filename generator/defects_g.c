/* defects_g.c — defects for goroutines, frames, defers and panics (G1xx). */
#include "defects.h"

#include <string.h>

static bool is_goroutine(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_GOROUTINE; }
static bool is_frame(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_FRAME; }
static bool is_defer(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_DEFER; }
static bool is_panic(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_PANIC; }

/* Not the dumping goroutine: it must stay waiting with "dumping heap" (G106, G107). */
static bool other_goroutine(const gen_emitter *g, const hd_record *rec)
{
    (void)g;
    return rec->tag == HD_TAG_GOROUTINE && !(rec->u.goroutine.status == 4 && rec->u.goroutine.waitreason.len == 12 &&
                                             memcmp(rec->u.goroutine.waitreason.p, "dumping heap", 12) == 0);
}
static void two_goroutines(hd_gen_config *cfg) { cfg->features &= ~HD_GF(FEW_GOROUTINES); }

/* G101: a status the writer never dumps (2 running, 6 dead, 0 idle …). */
static int bad_status(gen_emitter *g, hd_record *rec)
{
    static const uint64_t st[] = {0, 2, 5, 6, 8, 9};
    rec->u.goroutine.status = st[dx_pick(g, 60, 0, 5)];
    return GEN_EMIT;
}
const gen_defect_ops defect_goroutine_status = {.configure = two_goroutines, .candidate = other_goroutine,
                                                .apply = bad_status};

/* G102 (go1.4+): the background bool set. */
static int background(gen_emitter *g, hd_record *rec)
{
    (void)g;
    rec->u.goroutine.background = true;
    return GEN_EMIT;
}
const gen_defect_ops defect_goroutine_background = {.candidate = is_goroutine, .apply = background};

/* G103, G104: two goroutines with one G address / one id. */
static bool same_g(gm_model *m, hd_entropy *e)
{
    (void)e;
    if (m->gs.n < 2)
        return false;
    m->gs.v[1].addr = m->gs.v[0].addr;
    return true;
}
static bool same_id(gm_model *m, hd_entropy *e)
{
    (void)e;
    if (m->gs.n < 2)
        return false;
    m->gs.v[1].id = m->gs.v[0].id;
    return true;
}
const gen_defect_ops defect_goroutine_duplicate = {.configure = two_goroutines, .prepare = same_g};
const gen_defect_ops defect_goroutine_id_duplicate = {.configure = two_goroutines, .prepare = same_id};

/* G105: a goroutine's M is no thread's address (a word inside the first M). */
static int unknown_m(gen_emitter *g, hd_record *rec)
{
    rec->u.goroutine.m = g->m->ms.v[0].addr + g->m->ps;
    return GEN_EMIT;
}
const gen_defect_ops defect_goroutine_m_unknown = {.candidate = is_goroutine, .apply = unknown_m};

/* G106: nobody waits; G107 (go1.3, Go 1.20+): the dumping goroutine's reason is stale. */
static bool none_waiting(gm_model *m, hd_entropy *e)
{
    (void)e;
    for (uint32_t i = 0; i < m->gs.n; i++)
        if (m->gs.v[i].status == 4)
            m->gs.v[i].status = 1;
    return true;
}
static bool stale_reason(gm_model *m, hd_entropy *e)
{
    (void)e;
    for (uint32_t i = 0; i < m->gs.n; i++)
        if (m->gs.v[i].reason == 1)
            m->gs.v[i].reason = 2;        /* "chan receive" */
    return true;
}
static void go120(hd_gen_config *cfg)
{
    if (cfg->layout == HD_V17 && cfg->go_minor < 20)
        cfg->go_minor = 20;
}
const gen_defect_ops defect_no_waiting_goroutine = {.prepare = none_waiting};
const gen_defect_ops defect_no_dumping_heap = {.configure = go120, .prepare = stale_reason};

/* G108: no goroutine at all (nor, with them, frames, defers and panics). Their G, M and defer structs stay
 * what they are, heap objects and threads, and nothing else points into their stacks. */
static bool no_goroutines(gm_model *m, hd_entropy *e)
{
    (void)e;
    m->gs.n = 0;
    return true;
}
const gen_defect_ops defect_no_goroutines = {.prepare = no_goroutines};

/* G110, G111: a frame (below the innermost) with a skipped depth / a wrong child SP. */
static bool outer_frame(const gen_emitter *g, const hd_record *rec)
{
    (void)g;
    return rec->tag == HD_TAG_FRAME && rec->u.frame.depth > 0;
}
static int skip_depth(gen_emitter *g, hd_record *rec)
{
    rec->u.frame.depth += dx_pick(g, 61, 1, 3);
    return GEN_EMIT;
}
static int wrong_child(gen_emitter *g, hd_record *rec)
{
    rec->u.frame.child_sp += g->m->ps * dx_pick(g, 62, 1, 4);
    return GEN_EMIT;
}
static void deeper(hd_gen_config *cfg) { cfg->features &= ~HD_GF(FEW_GOROUTINES); }
/* A goroutine with at least two frames; if none has, the last one gets a second frame (its stack is the
 * last region of the arena, so it grows into free space). */
static gm_g *two_frame_g(gm_model *m, hd_entropy *e)
{
    uint32_t start = (uint32_t)hd_ent_below(e, m->gs.n);
    for (uint32_t k = 0; k < m->gs.n; k++) {
        gm_g *g = &m->gs.v[(start + k) % m->gs.n];
        if (g->nframes >= 2)
            return g;
    }
    if (m->gs.n == 0)
        return NULL;
    m->gs.v[m->gs.n - 1].nframes = 2;         /* it had fewer: none has two */
    return &m->gs.v[m->gs.n - 1];
}
static bool two_frames(gm_model *m, hd_entropy *e) { return two_frame_g(m, e) != NULL; }
const gen_defect_ops defect_frame_depth = {.configure = deeper, .prepare = two_frames, .candidate = outer_frame,
                                           .apply = skip_depth};
const gen_defect_ops defect_frame_child_sp = {.configure = deeper, .prepare = two_frames, .candidate = outer_frame,
                                              .apply = wrong_child};

/* G112: the goroutine's SP is not its innermost frame's. */
static int g_sp(gen_emitter *g, hd_record *rec)
{
    rec->u.goroutine.sp -= g->m->ps * dx_pick(g, 63, 1, 8);
    return GEN_EMIT;
}
const gen_defect_ops defect_frame_sp_not_g_sp = {.candidate = is_goroutine, .apply = g_sp};

/* G113: a frame that starts one word below its callee (model_gs.c bends it; the stack range is kept). */
static bool bend(gm_model *m, hd_entropy *e)
{
    gm_g *g = two_frame_g(m, e);
    if (g == NULL)
        return false;
    g->bend = 1 + (uint32_t)hd_ent_below(e, g->nframes - 1);
    return true;
}
const gen_defect_ops defect_frame_sp_order = {.configure = deeper, .prepare = bend};

/* G128: a frame whose PC is one word past the return address its callee saved. The rule is exact where S4
 * is: on x86, and on link-register ports from Go 1.17, which only a go1.7 dump with a build version can
 * show. A little-endian dump is given the x86 port of its pointer size; a big-endian one (there is no
 * big-endian x86) must be go1.7 with a Go 1.17+ build version. */
static bool ret_fits(const hd_gen_config *cfg) { return !cfg->big_endian || cfg->layout == HD_V17; }
static void ret_configure(hd_gen_config *cfg)
{
    deeper(cfg);
    if (cfg->layout == HD_V17 && cfg->go_minor < 17)
        cfg->go_minor = 17;
}
static bool ret_port(gm_model *m, hd_entropy *e)
{
    if (!m->cfg.big_endian)
        gm_set_arch(m, m->ps == 8 ? "amd64" : "386");
    return two_frames(m, e);
}
static int pc_past_return(gen_emitter *g, hd_record *rec)
{
    rec->u.frame.pc += g->m->ps;
    return GEN_EMIT;
}
const gen_defect_ops defect_frame_return_address = {.fits = ret_fits, .configure = ret_configure, .prepare = ret_port,
                                                    .candidate = outer_frame, .apply = pc_past_return};

/* G114, G115: a frame's entry above its PC / an empty function name. */
static int entry_after_pc(gen_emitter *g, hd_record *rec)
{
    (void)g;
    rec->u.frame.entry = rec->u.frame.pc + 1;
    return GEN_EMIT;
}
static int no_name(gen_emitter *g, hd_record *rec)
{
    (void)g;
    rec->u.frame.name.len = rec->u.frame.name.kept = 0;
    return GEN_EMIT;
}
const gen_defect_ops defect_frame_entry_after_pc = {.candidate = is_frame, .apply = entry_after_pc};
const gen_defect_ops defect_frame_name_empty = {.candidate = is_frame, .apply = no_name};

/* G116: one more frame field, past the frame's contents. G117: a frame field entry written twice in a row. */
static bool frame_mut(const gen_emitter *g, const hd_record *rec)
{
    return rec->tag == HD_TAG_FRAME && rec->u.frame.fields.v == g->co.fields;
}
static int frame_past_end(gen_emitter *g, hd_record *rec)
{
    hd_fields *f = &rec->u.frame.fields;
    g->co.fields[f->count].kind = HD_FK_PTR;
    g->co.fields[f->count].offset = rec->u.frame.contents.len + g->m->ps * dx_pick(g, 64, 0, 3);
    f->count++;
    f->nkept++;
    return GEN_EMIT;
}
const gen_defect_ops defect_frame_field_outside = {.configure = dx_fields_on, .candidate = frame_mut, .apply = frame_past_end};

/* G119: one frame field half a word off, still inside the contents and in order: a Ptr field whose next
 * word is free moved up by half a word, or a new Ptr field half a word into two free words. Both words
 * are zeroed, so the pointer the field now reads is 0 (never dangling, H111). */
typedef struct { uint64_t index, offset; bool insert; } half_slot;

static bool frame_half_slot(const gen_emitter *g, const hd_record *rec, half_slot *out)
{
    const hd_fields *f = &rec->u.frame.fields;
    uint64_t ps = g->m->ps, len = rec->u.frame.contents.len, end = 0;
    if (!frame_mut(g, rec) || rec->u.frame.contents.p != g->co.buf || f->count != f->nkept)
        return false;
    for (uint64_t i = 0; i <= f->count; i++) {
        uint64_t next = i < f->count ? f->v[i].offset : len;
        if (next >= end + 2 * ps) {                     /* two free words before field i (or the end) */
            *out = (half_slot){i, end, true};
            return true;
        }
        if (i == f->count)
            break;
        if (f->v[i].kind == HD_FK_PTR && f->v[i].offset + 2 * ps <= (i + 1 < f->count ? f->v[i + 1].offset : len)) {
            *out = (half_slot){i, f->v[i].offset, false};
            return true;
        }
        end = f->v[i].offset + ps * hd_field_kind_words(g->layout, f->v[i].kind);
    }
    return false;
}
static bool frame_can_misalign(const gen_emitter *g, const hd_record *rec)
{
    half_slot h;
    return frame_half_slot(g, rec, &h);
}
static int frame_misalign(gen_emitter *g, hd_record *rec)
{
    hd_fields *f = &rec->u.frame.fields;
    half_slot h = {0, 0, false};
    if (!frame_half_slot(g, rec, &h))     /* cannot happen: the candidate hook asked the same */
        return GEN_EMIT;
    if (h.insert) {
        memmove(g->co.fields + h.index + 1, g->co.fields + h.index, (f->count - h.index) * sizeof *g->co.fields);
        f->count++;
        f->nkept++;
    }
    memset(g->co.buf + h.offset, 0, 2 * g->m->ps);
    g->co.fields[h.index].kind = HD_FK_PTR;
    g->co.fields[h.index].offset = h.offset + g->m->ps / 2;
    return GEN_EMIT;
}
const gen_defect_ops defect_frame_field_misaligned = {.configure = dx_fields_on, .prepare = dx_more_frames,
                                                      .candidate = frame_can_misalign, .apply = frame_misalign};

static bool frame_has_field(const gen_emitter *g, const hd_record *rec)
{
    return frame_mut(g, rec) && rec->u.frame.fields.count > 0;
}
static int frame_repeat(gen_emitter *g, hd_record *rec)
{
    hd_fields *f = &rec->u.frame.fields;
    uint64_t i = dx_pick(g, 65, 0, f->count - 1);
    memmove(g->co.fields + i + 1, g->co.fields + i, (f->count - i) * sizeof *g->co.fields);
    f->count++;
    f->nkept++;
    return GEN_EMIT;
}
const gen_defect_ops defect_frame_fields_unsorted = {.configure = dx_fields_on, .prepare = dx_more_frames, .candidate = frame_has_field, .apply = frame_repeat};

/* G118: a goroutine without frames (its defers and panics then live in no dumped stack, which the checker
 * cannot judge and does not). */
static bool frameless(gm_model *m, hd_entropy *e)
{
    m->gs.v[hd_ent_below(e, m->gs.n)].nframes = 0;
    return true;
}
const gen_defect_ops defect_goroutine_no_frames = {.prepare = frameless};

/* G120, G122: the goroutine's defer / panic field off the chain (or a chain where there is none). */
static int defer_head(gen_emitter *g, hd_record *rec)
{
    uint64_t *p = &rec->u.goroutine.defer;
    *p = *p != 0 ? *p + g->m->ps : g->m->spans.v[0].base + g->m->ps;
    return GEN_EMIT;
}
static int panic_head(gen_emitter *g, hd_record *rec)
{
    uint64_t *p = &rec->u.goroutine.panic;
    *p = *p != 0 ? *p + g->m->ps : rec->u.goroutine.sp;
    return GEN_EMIT;
}
const gen_defect_ops defect_defer_chain = {.candidate = is_goroutine, .apply = defer_head};
const gen_defect_ops defect_panic_chain = {.candidate = is_goroutine, .apply = panic_head};

/* G121, G123: a defer / panic that names another goroutine. */
static bool need_defer(gm_model *m, hd_entropy *e)
{
    return m->defers.n > 0 || dx_add_defers(m, e, 1, false);
}
static bool need_panic(gm_model *m, hd_entropy *e)
{
    (void)e;
    return m->panics.n > 0 || dx_add_panics(m, 1, false);
}
static int defer_other_g(gen_emitter *g, hd_record *rec)
{
    rec->u.defer.g += g->m->ps;
    return GEN_EMIT;
}
static int panic_other_g(gen_emitter *g, hd_record *rec)
{
    rec->u.panic.g += g->m->ps;
    return GEN_EMIT;
}
const gen_defect_ops defect_defer_goroutine = {.prepare = need_defer, .candidate = is_defer, .apply = defer_other_g};
const gen_defect_ops defect_panic_goroutine = {.prepare = need_panic, .candidate = is_panic, .apply = panic_other_g};

/* G124 (go1.4+): a panic's defer field set. */
static int panic_defer(gen_emitter *g, hd_record *rec)
{
    rec->u.panic.defer = g->m->spans.v[0].base;
    return GEN_EMIT;
}
const gen_defect_ops defect_panic_defer_set = {.prepare = need_panic, .candidate = is_panic, .apply = panic_defer};

/* G125: a defer with no fn but a code PC (wrong in every release). */
static int fn_code(gen_emitter *g, hd_record *rec)
{
    rec->u.defer.fn = 0;
    if (rec->u.defer.code == 0)
        rec->u.defer.code = g->m->funcs.v[0].entry;
    return GEN_EMIT;
}
const gen_defect_ops defect_defer_fn_code = {.prepare = need_defer, .candidate = is_defer, .apply = fn_code};

/* G126, G127: a chain of two defers / panics at one address (links stay consistent). */
static bool two_defers(gm_model *m, hd_entropy *e) { return dx_add_defers(m, e, 2, true); }
static bool two_panics(gm_model *m, hd_entropy *e)
{
    (void)e;
    return dx_add_panics(m, 2, true);
}
const gen_defect_ops defect_defer_duplicate = {.configure = two_goroutines, .prepare = two_defers};
const gen_defect_ops defect_panic_duplicate = {.prepare = two_panics};

/* G130: an OS thread outside dumped memory (off the heap), with the goroutines that name it following. */
static bool m_off_heap(gm_model *m, hd_entropy *e)
{
    gm_m *mm;
    uint64_t old;
    (void)e;
    if (m->ms.n == 0)
        return false;
    mm = &m->ms.v[m->ms.n - 1];
    old = mm->addr;
    mm->addr = m->offheap_lo + 0x800;
    for (uint32_t i = 0; i < m->gs.n; i++)
        if (m->gs.v[i].m == old)
            m->gs.v[i].m = mm->addr;
    return true;
}
const gen_defect_ops defect_outside_dump = {.prepare = m_off_heap};
