/* format.h — the vocabulary of the Go heap dump format: tags, format versions, field kinds.
 * Facts only; see docs/FORMAT.md for where each comes from. */
#ifndef HD_FORMAT_H
#define HD_FORMAT_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
#define HD_TAG(num, id, name) HD_TAG_##id = num,
#include "hd/tags.def"
#undef HD_TAG
    HD_TAG_COUNT = 18
} hd_tag;

/* Record layouts. go1.5 and go1.6 headers share one layout (HD_V15); every release from Go 1.7 on writes
 * the go1.7 header and the V17 layout. */
typedef enum { HD_V13, HD_V14, HD_V15, HD_V17, HD_LAYOUT_COUNT } hd_layout;

/* The five headers, in the order of hd_header_id. Each is exactly HD_HEADER_LEN bytes, '\n' included. */
typedef enum { HD_H13, HD_H14, HD_H15, HD_H16, HD_H17, HD_HEADER_COUNT } hd_header_id;
#define HD_HEADER_LEN 16

/* Field-list kinds. Numbering differs between V13 and V14+; 0 ends every list. */
enum {
    HD_FK_EOL = 0,
    HD_FK_PTR = 1,
    HD_FK13_STRING = 2, HD_FK13_SLICE = 3, HD_FK13_IFACE = 4, HD_FK13_EFACE = 5,
    HD_FK14_IFACE = 2, HD_FK14_EFACE = 3
};

/* memstats holds exactly this many uvarints after its tag, in every version. */
#define HD_MEMSTATS_NVALUES 281

const char *hd_tag_name(unsigned tag);            /* "object", … ; "?" when tag >= HD_TAG_COUNT */
const char *hd_header_text(hd_header_id h);       /* "go1.4 heap dump\n" */
const char *hd_header_name(hd_header_id h);       /* "go1.4" */
hd_layout   hd_header_layout(hd_header_id h);
const char *hd_layout_name(hd_layout l);          /* "go1.3", "go1.4", "go1.5", "go1.7" */
/* Highest field kind the layout writes (5, 3, 1, 1). */
unsigned    hd_layout_max_field_kind(hd_layout l);
/* Width in pointer words of a field of this kind in this layout (1..3), 0 for an invalid kind. */
unsigned    hd_field_kind_words(hd_layout l, unsigned kind);
/* Does the layout write this tag at all? (tag 2 only in V13) */
int         hd_layout_has_tag(hd_layout l, unsigned tag);

#endif
