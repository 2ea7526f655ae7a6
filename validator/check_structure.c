/* check_structure.c — file-level structure: params first, singletons, the EOF record (FORMAT.md FS2, FS3),
 * and the deepest goroutine for the summary. */
#include "check_internal.h"

#include <inttypes.h>

typedef struct {
    uint64_t frames_in_g;    /* frames since the last goroutine */
} structure_state;

static const hd_tag singletons[] = {HD_TAG_PARAMS, HD_TAG_MEMSTATS, HD_TAG_DATA, HD_TAG_BSS};

static void structure_record(hd_checker *c, void *st, const hd_record *rec)
{
    structure_state *s = st;

    if (rec->index == 0 && rec->tag != HD_TAG_PARAMS)
        ck_report(c, HD_R_PARAMS_NOT_FIRST, rec->pos, "the first record is %s; params must come first",
                  hd_tag_name(rec->tag));
    for (size_t i = 0; i < sizeof singletons / sizeof singletons[0]; i++) {
        const tag_seen *seen = &c->seen[singletons[i]];
        if (rec->tag == singletons[i] && seen->count == 2)
            ck_report(c, HD_R_DUPLICATE_SINGLETON, rec->pos, "second %s record (the first is record #%" PRIu64 ")",
                      hd_tag_name(rec->tag), seen->first);
    }
    if (rec->tag == HD_TAG_GOROUTINE)
        s->frames_in_g = 0;
    else if (rec->tag == HD_TAG_FRAME && ++s->frames_in_g > c->max_frames)
        c->max_frames = s->frames_in_g;
}

static void structure_finish(hd_checker *c, void *st, uint64_t end, bool complete)
{
    (void)st;
    if (!complete)
        return;
    if (c->seen[HD_TAG_EOF].count == 0) {
        ck_report(c, HD_R_NO_EOF, end, "truncated: no EOF record (the file ends after %" PRIu64 " complete records)",
                  c->nrecords);
        return;
    }
    for (size_t i = 1; i < sizeof singletons / sizeof singletons[0]; i++)
        if (c->seen[singletons[i]].count == 0)
            ck_report(c, HD_R_MISSING_SINGLETON, end, "the dump has no %s record", hd_tag_name(singletons[i]));
}

const ck_family ck_structure_family = {
    .name = "structure", .tags = CK_ALL_TAGS, .size = sizeof(structure_state),
    .on_record = structure_record, .on_finish = structure_finish,
};
