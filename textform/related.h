/* related.h — for a cross-reference rule, which record a diagnostic's record refers to.
 *
 * One line per rule in related.c: the record the finding is about names another (a duplicate's twin, the
 * type an itab names, the goroutine a frame belongs to, the object that should hold an address). How to find
 * it is one of a few relations; hddump's context collector (ctx.c) resolves them in at most one more pass. */
#ifndef TF_RELATED_H
#define TF_RELATED_H

#include <stdint.h>
#include "hd/diag.h"
#include "hd/format.h"

typedef enum {
    REL_FIELD,      /* a record of `tags` whose field `to` (NULL: its key address) equals our field `from` */
    REL_CONTAINS,   /* an object/data/bss record of `tags` whose bytes hold our field `from` */
    REL_OWNER,      /* the goroutine whose group the record is in */
    REL_PREV_FRAME, /* the frame just before it in its goroutine */
    REL_PARAMS,     /* the params record */
    REL_FIRST       /* the first record of the same tag */
} tf_relation;

typedef struct {
    hd_rule     rule;
    uint32_t    on;         /* HD_TAGMASK of the records the line applies to */
    tf_relation rel;
    uint32_t    tags;       /* tags of the record looked for */
    const char *from, *to;
    const char *what;       /* "its goroutine", "the other type record with this address" */
} tf_related;

/* The relation for a diagnostic of `rule` on a record of `tag`; NULL if the rule refers to nothing. */
const tf_related *tf_related_of(hd_rule rule, unsigned tag);

#endif
