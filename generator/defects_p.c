/* defects_p.c — defects for params (P1xx), producer profiles (X1xx) and record order (O1xx). */
#include "defects.h"

#include <string.h>

static bool is_params(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_PARAMS; }

/* P101: start above end. The object checks need a sane arena and skip an inverted one. */
static int inverted(gen_emitter *g, hd_record *rec)
{
    uint64_t t = rec->u.params.arena_start;
    (void)g;
    rec->u.params.arena_start = rec->u.params.arena_end;
    rec->u.params.arena_end = t;
    return GEN_EMIT;
}
const gen_defect_ops defect_arena_inverted = {.candidate = is_params, .apply = inverted};

/* P102: Go 1.11+ (the dump must say so: a go1.17+ build version) with an arena start 8 KiB short of a heap
 * arena boundary; every object stays inside. */
static void go117(hd_gen_config *cfg)
{
    if (cfg->go_minor < 17)
        cfg->go_minor = 17;
}
static int unaligned(gen_emitter *g, hd_record *rec)
{
    (void)g;
    rec->u.params.arena_start -= 8192;
    return GEN_EMIT;
}
const gen_defect_ops defect_arena_unaligned = {.configure = go117, .candidate = is_params, .apply = unaligned};

/* P103: an 8-byte dump that names a 4-byte port (386 is known to every release). */
static int mismatch(gen_emitter *g, hd_record *rec)
{
    rec->u.params.arch_code = '8';
    rec->u.params.arch = hd_bytes_str(g->layout == HD_V17 ? "386" : "");
    return GEN_EMIT;
}
const gen_defect_ops defect_arch_mismatch = {.candidate = is_params, .apply = mismatch};

/* P104: a char code or GOARCH no port ever had. */
static int unknown_arch(gen_emitter *g, hd_record *rec)
{
    static const char *const names[] = {"vax", "pdp11", "z80", "amd65"};
    rec->u.params.arch_code = dx_pick(g, 30, 0, 1) ? 'z' : '1';
    rec->u.params.arch = hd_bytes_str(g->layout == HD_V17 ? names[dx_pick(g, 31, 0, 3)] : "");
    return GEN_EMIT;
}
const gen_defect_ops defect_arch_unknown = {.candidate = is_params, .apply = unknown_arch};

/* P105: Go 1.17+ write runtime.Version() in params: one without its "go" prefix. Such a string no longer
 * says which release wrote it, so the rule can only be judged when the validator is told (--go=1.19). */
static void go119(hd_gen_config *cfg) { cfg->go_minor = 19; }
static int version_no_go(gen_emitter *g, hd_record *rec)
{
    (void)g;
    rec->u.params.experiment = hd_bytes_str("1.19.8");
    return GEN_EMIT;
}
const gen_defect_ops defect_version_malformed = {.configure = go119, .candidate = is_params, .apply = version_no_go};

/* P106. */
static int ncpu0(gen_emitter *g, hd_record *rec)
{
    (void)g;
    rec->u.params.ncpu = 0;
    return GEN_EMIT;
}
const gen_defect_ops defect_ncpu_zero = {.candidate = is_params, .apply = ncpu0};

/* X101: the version field names a release the header was never written by. */
static int header_mismatch(gen_emitter *g, hd_record *rec)
{
    /* go1.7 header: a version below 1.17 (that field was GOEXPERIMENT then); older headers: any version */
    rec->u.params.experiment = hd_bytes_str(g->layout == HD_V17 ? (dx_pick(g, 32, 0, 1) ? "go1.12.17" : "go1.16.15")
                                                        : "go1.19.8");
    return GEN_EMIT;
}
const gen_defect_ops defect_params_header_mismatch = {.candidate = is_params, .apply = header_mismatch};

/* X102: libgo's runtime.Version() "unknown": the checker applies the gccgo profile (info). */
static int gccgo(gen_emitter *g, hd_record *rec)
{
    (void)g;
    rec->u.params.experiment = hd_bytes_str("unknown");
    return GEN_EMIT;
}
const gen_defect_ops defect_profile_applied = {.candidate = is_params, .apply = gccgo};

/* O101: the last OS thread record held back until after memstats. */
static bool is_thread(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_OSTHREAD; }
static int hold(gen_emitter *g, hd_record *rec)
{
    g->held = *rec;
    g->dstate[1] = 1;
    return GEN_SKIP;
}
static void after_memstats(gen_emitter *g, const hd_record *rec)
{
    if (g->dstate[1] == 1 && rec->tag == HD_TAG_MEMSTATS) {
        g->dstate[1] = 0;
        gen_put(g, &g->held);
    }
}
const gen_defect_ops defect_record_out_of_order = {.candidate = is_thread, .apply = hold, .after = after_memstats};

/* O102: a defect record among the objects, before any goroutine. Its address is the first span's first
 * object (a G's), which no defect uses; its fields are those of a plain heap defer. */
static bool first_goroutine(const gen_emitter *g, const hd_record *rec)
{
    return rec->tag == HD_TAG_GOROUTINE && g->count[HD_TAG_GOROUTINE] == 0;
}
static int orphan_defer(gen_emitter *g, hd_record *rec)
{
    hd_record d;
    (void)rec;
    memset(&d, 0, sizeof d);
    d.tag = HD_TAG_DEFER;
    d.u.defer.addr = g->m->spans.v[0].base;
    d.u.defer.g = rec->u.goroutine.addr;
    d.u.defer.argp = rec->u.goroutine.sp;
    d.u.defer.pc = g->m->funcs.v[1].entry + 1;
    d.u.defer.fn = g->m->funcvals.v[0];
    d.u.defer.code = g->m->funcs.v[0].entry;
    gen_put(g, &d);
    return GEN_EMIT;
}
const gen_defect_ops defect_no_goroutine = {.candidate = first_goroutine, .apply = orphan_defer};

/* O103: a goroutine's first defer written before its frames (right after the goroutine record; it is
 * left out of its usual place). The chain is intact; a defer before any frame is not judged for L1. */
static bool g_with_defers(const gen_emitter *g, const hd_record *rec)
{
    return rec->tag == HD_TAG_GOROUTINE && g->cur_g != NULL && g->cur_g->nd > 0 && g->cur_g->nframes > 0;
}
static int defer_first(gen_emitter *g, hd_record *rec)
{
    hd_record d;
    gen_put(g, rec);
    gen_defer_record(g, g->cur_g, 0, &d);
    gen_put(g, &d);
    g->dstate[1] = d.u.defer.addr;
    g->dstate[2] = 1;
    return GEN_SKIP;
}
static bool drop_moved_defer(gen_emitter *g, const hd_record *rec)
{
    if (g->dstate[2] == 1 && rec->tag == HD_TAG_DEFER && rec->u.defer.addr == g->dstate[1]) {
        g->dstate[2] = 0;
        return true;
    }
    return false;
}
static bool with_defers(gm_model *m, hd_entropy *e)
{
    for (uint32_t i = 0; i < m->gs.n; i++)
        if (m->gs.v[i].nd > 0 && m->gs.v[i].nframes > 0)
            return true;
    return dx_add_defers(m, e, 1, false);
}
const gen_defect_ops defect_goroutine_group_order = {.prepare = with_defers, .candidate = g_with_defers,
                                                     .apply = defer_first, .drop = drop_moved_defer};

/* O104: a type record (identical to the model's, so T1 holds) just before memstats, where no version
 * writes types. */
static bool is_memstats(const gen_emitter *g, const hd_record *rec) { (void)g; return rec->tag == HD_TAG_MEMSTATS; }
static int type_before(gen_emitter *g, hd_record *rec)
{
    hd_record t;
    (void)rec;
    gen_type_record(g, g->nemitted > 0 ? g->emitted_list[0] : 0, &t);
    gen_put(g, &t);
    return GEN_EMIT;
}
const gen_defect_ops defect_type_misplaced = {.candidate = is_memstats, .apply = type_before};
