/* check_structure.c — file-level structure: params first, singletons, the EOF record (FORMAT.md FS2, FS3). */
#include "check_internal.h"

#include <inttypes.h>

static const hd_tag singletons[] = {HD_TAG_PARAMS, HD_TAG_MEMSTATS, HD_TAG_DATA, HD_TAG_BSS};

void structure_record(hd_checker *c, const hd_record *rec)
{
    if (rec->index == 0 && rec->tag != HD_TAG_PARAMS)
        ck_report(c, HD_R_PARAMS_NOT_FIRST, rec->pos, "the first record is %s; params must come first",
                  hd_tag_name(rec->tag));
    for (size_t i = 0; i < sizeof singletons / sizeof singletons[0]; i++) {
        const tag_seen *s = &c->seen[singletons[i]];
        if (rec->tag == singletons[i] && s->count == 2)
            ck_report(c, HD_R_DUPLICATE_SINGLETON, rec->pos, "second %s record (the first is record #%" PRIu64 ")",
                      hd_tag_name(rec->tag), s->first);
    }
    if (rec->tag == HD_TAG_GOROUTINE)
        c->frames_in_g = 0;
    else if (rec->tag == HD_TAG_FRAME && ++c->frames_in_g > c->max_frames)
        c->max_frames = c->frames_in_g;
}

void structure_finish(hd_checker *c, uint64_t end, bool complete)
{
    if (!complete)
        return;
    if (c->seen[HD_TAG_EOF].count == 0) {
        uint64_t n = 0;
        for (unsigned t = 0; t < HD_TAG_COUNT; t++)
            n += c->seen[t].count;
        ck_report(c, HD_R_NO_EOF, end, "truncated: no EOF record (the file ends after %" PRIu64 " complete records)", n);
        return;
    }
    for (size_t i = 1; i < sizeof singletons / sizeof singletons[0]; i++)
        if (c->seen[singletons[i]].count == 0)
            ck_report(c, HD_R_MISSING_SINGLETON, end, "the dump has no %s record", hd_tag_name(singletons[i]));
}
