/* layouts.c — every record layout of every version, as tables (FORMAT.md §3). */
#include "hd/layouts.h"

#define AT(f) offsetof(hd_record, u.f)
#define S(op, f, what) {op, AT(f), what}
#define END {ST_END, 0, NULL}

static const layout_step eof_all[] = {END};

static const layout_step object_v13[] = {
    S(ST_PTR, object.addr, "object address"), S(ST_PTR, object.type, "object type"),
    S(ST_UINT, object.kind, "object kind"), S(ST_CONTENTS, object.contents, "object contents"), END};
static const layout_step object_v14[] = {
    S(ST_PTR, object.addr, "object address"), S(ST_CONTENTS, object.contents, "object contents"),
    S(ST_FIELDS, object.fields, "object fields"), END};

static const layout_step otherroot_v13[] = {
    S(ST_STRING, otherroot.desc, "otherroot description"), S(ST_PTR, otherroot.ptr, "otherroot pointer"), END};

static const layout_step type_v13[] = {
    S(ST_PTR, type.addr, "type address"), S(ST_EXTENT, type.size, "type size"), S(ST_STRING, type.name, "type name"),
    S(ST_BOOL, type.indirect, "type pointer bool"), S(ST_FIELDS, type.fields, "type fields"), END};
static const layout_step type_v14[] = {
    S(ST_PTR, type.addr, "type address"), S(ST_UINT, type.size, "type size"), S(ST_STRING, type.name, "type name"),
    S(ST_BOOL, type.indirect, "type pointer bool"), END};

static const layout_step goroutine_all[] = {
    S(ST_PTR, goroutine.addr, "goroutine address"), S(ST_PTR, goroutine.sp, "goroutine sp"),
    S(ST_UINT, goroutine.id, "goroutine id"), S(ST_PTR, goroutine.gopc, "goroutine go pc"),
    S(ST_UINT, goroutine.status, "goroutine status"), S(ST_BOOL, goroutine.system, "goroutine system bool"),
    S(ST_BOOL, goroutine.background, "goroutine background bool"),
    S(ST_UINT, goroutine.waitsince, "goroutine wait since"), S(ST_STRING, goroutine.waitreason, "goroutine wait reason"),
    S(ST_PTR, goroutine.ctxt, "goroutine context"), S(ST_PTR, goroutine.m, "goroutine M"),
    S(ST_PTR, goroutine.defer, "goroutine defer"), S(ST_PTR, goroutine.panic, "goroutine panic"), END};

static const layout_step frame_all[] = {
    S(ST_PTR, frame.sp, "frame sp"), S(ST_UINT, frame.depth, "frame depth"), S(ST_PTR, frame.child_sp, "frame child sp"),
    S(ST_CONTENTS, frame.contents, "frame contents"), S(ST_PTR, frame.entry, "frame entry pc"),
    S(ST_PTR, frame.pc, "frame pc"), S(ST_PTR, frame.contpc, "frame continuation pc"),
    S(ST_STRING, frame.name, "frame function name"), S(ST_FIELDS, frame.fields, "frame fields"), END};

static const layout_step params_v13[] = {
    S(ST_BOOL, params.big_endian, "params big-endian bool"), S(ST_PTRSIZE, params.ptrsize, "params pointer size"),
    S(ST_UINT, params.chansize, "params channel header size"), S(ST_PTR, params.arena_start, "params arena start"),
    S(ST_PTR, params.arena_end, "params arena end"), S(ST_UINT, params.arch_code, "params architecture"),
    S(ST_STRING, params.experiment, "params GOEXPERIMENT"), S(ST_UINT, params.ncpu, "params ncpu"), END};
static const layout_step params_v14[] = {
    S(ST_BOOL, params.big_endian, "params big-endian bool"), S(ST_PTRSIZE, params.ptrsize, "params pointer size"),
    S(ST_PTR, params.arena_start, "params arena start"), S(ST_PTR, params.arena_end, "params arena end"),
    S(ST_UINT, params.arch_code, "params architecture"), S(ST_STRING, params.experiment, "params GOEXPERIMENT"),
    S(ST_UINT, params.ncpu, "params ncpu"), END};
static const layout_step params_v17[] = {
    S(ST_BOOL, params.big_endian, "params big-endian bool"), S(ST_PTRSIZE, params.ptrsize, "params pointer size"),
    S(ST_PTR, params.arena_start, "params arena start"), S(ST_PTR, params.arena_end, "params arena end"),
    S(ST_ARCH_STRING, params.arch, "params GOARCH"), S(ST_STRING, params.experiment, "params version"),
    S(ST_UINT, params.ncpu, "params ncpu"), END};

static const layout_step finalizer_all[] = {
    S(ST_PTR, finalizer.obj, "finalizer object"), S(ST_PTR, finalizer.fn, "finalizer funcval"),
    S(ST_PTR, finalizer.code, "finalizer code pc"), S(ST_PTR, finalizer.fint, "finalizer argument type"),
    S(ST_PTR, finalizer.ot, "finalizer object type"), END};

static const layout_step itab_v13[] = {
    S(ST_PTR, itab.addr, "itab address"), S(ST_BOOL, itab.ptrdata, "itab pointer bool"), END};
static const layout_step itab_v14[] = {
    S(ST_PTR, itab.addr, "itab address"), S(ST_PTR, itab.type, "itab type"), END};

static const layout_step osthread_all[] = {
    S(ST_PTR, osthread.addr, "osthread address"), S(ST_UINT, osthread.id, "osthread id"),
    S(ST_UINT, osthread.procid, "osthread procid"), END};

static const layout_step memstats_all[] = {S(ST_MEMSTATS, memstats.v, "memstats"), END};

static const layout_step segment_all[] = {
    S(ST_PTR, segment.addr, "segment address"), S(ST_CONTENTS, segment.contents, "segment contents"),
    S(ST_FIELDS, segment.fields, "segment fields"), END};

static const layout_step defer_all[] = {
    S(ST_PTR, defer.addr, "defer address"), S(ST_PTR, defer.g, "defer goroutine"), S(ST_PTR, defer.argp, "defer argp/sp"),
    S(ST_PTR, defer.pc, "defer pc"), S(ST_PTR, defer.fn, "defer funcval"), S(ST_PTR, defer.code, "defer code pc"),
    S(ST_PTR, defer.link, "defer link"), END};

static const layout_step panic_all[] = {
    S(ST_PTR, panic.addr, "panic address"), S(ST_PTR, panic.g, "panic goroutine"), S(ST_PTR, panic.type, "panic type"),
    S(ST_PTR, panic.data, "panic data"), S(ST_PTR, panic.defer, "panic defer"), S(ST_PTR, panic.link, "panic link"), END};

static const layout_step memprof_all[] = {
    S(ST_PTR, memprof.addr, "memprof bucket address"), S(ST_UINT, memprof.size, "memprof size"),
    S(ST_MPFRAMES, memprof.nframes, "memprof frames"), S(ST_UINT, memprof.allocs, "memprof allocs"),
    S(ST_UINT, memprof.frees, "memprof frees"), END};

static const layout_step sample_all[] = {
    S(ST_PTR, sample.addr, "alloc sample address"), S(ST_PTR, sample.bucket, "alloc sample bucket"), END};

/* [tag][layout]: V13, V14, V15, V17 */
static const layout_step *const table[HD_TAG_COUNT][HD_LAYOUT_COUNT] = {
    [HD_TAG_EOF] = {eof_all, eof_all, eof_all, eof_all},
    [HD_TAG_OBJECT] = {object_v13, object_v14, object_v14, object_v14},
    [HD_TAG_OTHERROOT] = {otherroot_v13, NULL, NULL, NULL},
    [HD_TAG_TYPE] = {type_v13, type_v14, type_v14, type_v14},
    [HD_TAG_GOROUTINE] = {goroutine_all, goroutine_all, goroutine_all, goroutine_all},
    [HD_TAG_FRAME] = {frame_all, frame_all, frame_all, frame_all},
    [HD_TAG_PARAMS] = {params_v13, params_v14, params_v14, params_v17},
    [HD_TAG_FINALIZER] = {finalizer_all, finalizer_all, finalizer_all, finalizer_all},
    [HD_TAG_ITAB] = {itab_v13, itab_v14, itab_v14, itab_v14},
    [HD_TAG_OSTHREAD] = {osthread_all, osthread_all, osthread_all, osthread_all},
    [HD_TAG_MEMSTATS] = {memstats_all, memstats_all, memstats_all, memstats_all},
    [HD_TAG_QFINAL] = {finalizer_all, finalizer_all, finalizer_all, finalizer_all},
    [HD_TAG_DATA] = {segment_all, segment_all, segment_all, segment_all},
    [HD_TAG_BSS] = {segment_all, segment_all, segment_all, segment_all},
    [HD_TAG_DEFER] = {defer_all, defer_all, defer_all, defer_all},
    [HD_TAG_PANIC] = {panic_all, panic_all, panic_all, panic_all},
    [HD_TAG_MEMPROF] = {memprof_all, memprof_all, memprof_all, memprof_all},
    [HD_TAG_ALLOCSAMPLE] = {sample_all, sample_all, sample_all, sample_all},
};

const layout_step *hd_layout_steps(hd_layout layout, unsigned tag)
{
    if (tag >= HD_TAG_COUNT || layout >= HD_LAYOUT_COUNT)
        return NULL;
    return table[tag][layout];
}
