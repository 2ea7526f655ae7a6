/* check_order.c — the emission order of FORMAT.md §4 (FS5), as a state machine over sections:
 *
 *   params itabs objects goroutines threads data bss finalizers queued-finalizers memstats memprof samples EOF
 *
 * Sections may be empty, so a record is in place when its section is not before the current one. Inside
 * the goroutines section each goroutine is followed by its frames, then its defers, then its panics. Type
 * records are not a section: a run of them belongs to the record that follows it, and the layout says
 * which records may have one (V13: objects and frames; V14: itabs, objects, frames, data, bss; V15+: itabs,
 * at most one type each). What the types of a run must be is check_types.c's (T4, T5).
 *
 * One diagnostic per misplaced record: after reporting, the machine resynchronises on the misplaced
 * record's section, so a section that came late (or one stray record that came early) gives one
 * diagnostic, not one per following record. Orphan frames/defers/panics do not resynchronise; a run of
 * them is reported once. Second params/memstats/data/bss records are S117's, and a dump that does not
 * start with params is S116's: this family does not judge those. */
#include "check_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum {
    SEC_START, SEC_PARAMS, SEC_ITABS, SEC_OBJECTS, SEC_GOROUTINES, SEC_THREADS, SEC_DATA, SEC_BSS,
    SEC_FINALIZERS, SEC_QFINAL, SEC_MEMSTATS, SEC_MEMPROF, SEC_SAMPLES, SEC_EOF, SEC_NONE
};

static const char *const section_names[] = {
    "start", "params", "itabs", "objects", "goroutines", "threads", "data", "bss", "finalizers",
    "queued finalizers", "memstats", "memprof buckets", "alloc samples", "EOF", "?",
};

/* V13's otherroot records sit between the finalizers of the spans (§4 span_roots). */
static const uint8_t section_of[HD_TAG_COUNT] = {
    [HD_TAG_EOF] = SEC_EOF,           [HD_TAG_OBJECT] = SEC_OBJECTS,     [HD_TAG_OTHERROOT] = SEC_FINALIZERS,
    [HD_TAG_TYPE] = SEC_NONE,         [HD_TAG_GOROUTINE] = SEC_GOROUTINES, [HD_TAG_FRAME] = SEC_GOROUTINES,
    [HD_TAG_PARAMS] = SEC_PARAMS,     [HD_TAG_FINALIZER] = SEC_FINALIZERS, [HD_TAG_ITAB] = SEC_ITABS,
    [HD_TAG_OSTHREAD] = SEC_THREADS,  [HD_TAG_MEMSTATS] = SEC_MEMSTATS,  [HD_TAG_QFINAL] = SEC_QFINAL,
    [HD_TAG_DATA] = SEC_DATA,         [HD_TAG_BSS] = SEC_BSS,            [HD_TAG_DEFER] = SEC_GOROUTINES,
    [HD_TAG_PANIC] = SEC_GOROUTINES,  [HD_TAG_MEMPROF] = SEC_MEMPROF,    [HD_TAG_ALLOCSAMPLE] = SEC_SAMPLES,
};

/* Where the record stream is in FORMAT.md §4's grammar. */
typedef struct {
    uint8_t  section;        /* SEC_* of the last record in place (or resynchronised on) */
    uint8_t  sub;            /* inside a goroutine group: goroutine, frames, defers, panics */
    uint8_t  bad_section;    /* section of the last misplaced record: its run is reported once */
    bool     in_bad;
    uint64_t section_first;  /* record index where `section` began */
    uint64_t g_index;        /* record index of the current goroutine */
} order_state;

/* Place inside a goroutine group, in emission order. */
enum { SUB_NONE, SUB_GOROUTINE, SUB_FRAMES, SUB_DEFERS, SUB_PANICS };
static const char *const sub_names[] = {"", "goroutine record", "frames", "defers", "panics"};

static uint8_t sub_of(hd_tag tag)
{
    return tag == HD_TAG_GOROUTINE ? SUB_GOROUTINE : tag == HD_TAG_FRAME ? SUB_FRAMES
         : tag == HD_TAG_DEFER ? SUB_DEFERS : SUB_PANICS;
}

#define BIT(t) (1u << (t))
/* Records a run of type records may precede, per layout (dumpobj/dumpframe/dumproots call dumpbvtypes
 * in go1.3/1.4, itab_callback calls dumptype from go1.4 on; go1.3 also writes the object's own type). */
static const unsigned type_run_before[HD_LAYOUT_COUNT] = {
    [HD_V13] = BIT(HD_TAG_OBJECT) | BIT(HD_TAG_FRAME),
    [HD_V14] = BIT(HD_TAG_ITAB) | BIT(HD_TAG_OBJECT) | BIT(HD_TAG_FRAME) | BIT(HD_TAG_DATA) | BIT(HD_TAG_BSS),
    [HD_V15] = BIT(HD_TAG_ITAB),
    [HD_V17] = BIT(HD_TAG_ITAB),
};
static const char *const type_run_text[HD_LAYOUT_COUNT] = {
    [HD_V13] = "go1.3 writes types only just before an object or a stackframe",
    [HD_V14] = "go1.4 writes types only just before an itab, object, stackframe, data or bss",
    [HD_V15] = "from go1.5 on types are written only just before the itab that names them",
    [HD_V17] = "from go1.5 on types are written only just before the itab that names them",
};

/* Report about the pending type run, attributed to its first type record (not the record after it). */
#define report_run(c, ...) \
    ck_report_at(c, HD_R_TYPE_MISPLACED, (c)->run.pos, (c)->run.first, HD_TAG_TYPE, __VA_ARGS__)

static void check_type_run(hd_checker *c, const hd_record *rec)
{
    uint64_t n = c->run.len, last = c->run.first + n - 1;

    if (c->run.first == 0)
        return;   /* the dump starts with a type: S116 */
    if ((type_run_before[c->layout] & BIT(rec->tag)) == 0 && n == 1)
        report_run(c, "type record #%" PRIu64 " comes just before record #%" PRIu64 " (%s): %s", c->run.first,
                   rec->index, hd_tag_name(rec->tag), type_run_text[c->layout]);
    else if ((type_run_before[c->layout] & BIT(rec->tag)) == 0)
        report_run(c, "type records #%" PRIu64 "..#%" PRIu64 " come just before record #%" PRIu64 " (%s): %s",
                   c->run.first, last, rec->index, hd_tag_name(rec->tag), type_run_text[c->layout]);
    else if (rec->tag == HD_TAG_ITAB && n > 1)
        report_run(c, "%" PRIu64 " type records (#%" PRIu64 "..#%" PRIu64 ") before the itab at record #%" PRIu64
                   ": an itab is preceded by at most one type, its own", n, c->run.first, last, rec->index);
}

/* Records this family does not place: params (S116/S117), records before params (S116: placing them would
 * open a late section and report every record after params as a cascade), a second singleton (S117), tags
 * the layout never writes (S108). */
static bool not_ours(const hd_checker *c, const hd_record *rec)
{
    if (c->seen[HD_TAG_PARAMS].count == 0)
        return true;
    switch (rec->tag) {
    case HD_TAG_PARAMS: return true;
    case HD_TAG_DATA: case HD_TAG_BSS: case HD_TAG_MEMSTATS: return c->seen[rec->tag].count > 1;
    default: return !hd_layout_has_tag(c->layout, rec->tag);
    }
}

static void enter(order_state *o, const hd_record *rec, uint8_t section)
{
    if (section != o->section)
        o->section_first = rec->index;
    o->section = section;
    if (section == SEC_GOROUTINES)
        o->sub = sub_of(rec->tag);
    if (rec->tag == HD_TAG_GOROUTINE)
        o->g_index = rec->index;
}

/* A misplaced record: report it unless it continues a misplaced run of the same section. */
static bool first_of_bad_run(order_state *o, uint8_t section)
{
    bool first = !(o->in_bad && o->bad_section == section);
    o->in_bad = true;
    o->bad_section = section;
    return first;
}

/* Frames, defers and panics: inside the group of the last goroutine. */
static void place_in_group(hd_checker *c, order_state *o, const hd_record *rec)
{
    uint8_t want = sub_of(rec->tag);

    if (o->section == SEC_GOROUTINES && o->sub <= want) {
        o->in_bad = false;
        o->sub = want;
    } else if (o->section == SEC_GOROUTINES) {
        if (first_of_bad_run(o, SEC_GOROUTINES))
            ck_report(c, HD_R_GOROUTINE_GROUP, rec->pos, "%s record after the %s of the goroutine at record #%" PRIu64
                      ": a goroutine's frames come before its defers, and its defers before its panics",
                      hd_tag_name(rec->tag), sub_names[o->sub], o->g_index);
        o->sub = want;
    } else if (o->section < SEC_GOROUTINES) {
        /* No goroutine yet: nothing to resynchronise on, the objects (or itabs) may well go on. */
        if (first_of_bad_run(o, SEC_GOROUTINES))
            ck_report(c, HD_R_NO_GOROUTINE, rec->pos, "%s record with no goroutine before it (in the %s section, "
                      "begun at record #%" PRIu64 "): frames, defers and panics follow their goroutine",
                      hd_tag_name(rec->tag), section_names[o->section], o->section_first);
    } else {
        if (first_of_bad_run(o, SEC_GOROUTINES))
            ck_report(c, HD_R_OUT_OF_ORDER, rec->pos, "%s record in the %s section (begun at record #%" PRIu64
                      "): the goroutines section, with its frames, defers and panics, comes before it",
                      hd_tag_name(rec->tag), section_names[o->section], o->section_first);
        enter(o, rec, SEC_GOROUTINES);
    }
}

static void place(hd_checker *c, order_state *o, const hd_record *rec)
{
    uint8_t s = section_of[rec->tag];

    if (rec->tag == HD_TAG_FRAME || rec->tag == HD_TAG_DEFER || rec->tag == HD_TAG_PANIC) {
        place_in_group(c, o, rec);
        return;
    }
    if (s >= o->section) {
        o->in_bad = false;
    } else if (first_of_bad_run(o, s)) {
        ck_report(c, HD_R_OUT_OF_ORDER, rec->pos, "%s record in the %s section (begun at record #%" PRIu64
                  "): the %s section comes before it", hd_tag_name(rec->tag), section_names[o->section],
                  o->section_first, section_names[s]);
    }
    enter(o, rec, s);
}

static void order_record(hd_checker *c, void *st, const hd_record *rec)
{
    if (rec->tag == HD_TAG_TYPE)
        return;                   /* placed with the record after its run */
    if (c->run.len > 0)
        check_type_run(c, rec);
    if (!not_ours(c, rec))
        place(c, st, rec);
}

const ck_family ck_order_family = {
    .name = "order", .tags = CK_ALL_TAGS, .size = sizeof(order_state), .on_record = order_record,
};
