/* format.c — names and per-version facts of the format (FORMAT.md §1–§3). */
#include "hd/format.h"
#include "hd/record.h"

static const char *const tag_names[HD_TAG_COUNT] = {
#define HD_TAG(num, id, name) [num] = name,
#include "hd/tags.def"
#undef HD_TAG
};

static const struct {
    const char *text, *name;
    hd_layout layout;
} headers[HD_HEADER_COUNT] = {
    [HD_H13] = {"go1.3 heap dump\n", "go1.3", HD_V13},
    [HD_H14] = {"go1.4 heap dump\n", "go1.4", HD_V14},
    [HD_H15] = {"go1.5 heap dump\n", "go1.5", HD_V15},
    [HD_H16] = {"go1.6 heap dump\n", "go1.6", HD_V15},
    [HD_H17] = {"go1.7 heap dump\n", "go1.7", HD_V17},
};

static const char *const layout_names[HD_LAYOUT_COUNT] = {"go1.3", "go1.4", "go1.5", "go1.7"};

const char *hd_tag_name(unsigned tag) { return tag < HD_TAG_COUNT ? tag_names[tag] : "?"; }
const char *hd_header_text(hd_header_id h) { return headers[h].text; }
const char *hd_header_name(hd_header_id h) { return headers[h].name; }
hd_layout hd_header_layout(hd_header_id h) { return headers[h].layout; }
const char *hd_layout_name(hd_layout l) { return layout_names[l]; }

unsigned hd_layout_max_field_kind(hd_layout l)
{
    return l == HD_V13 ? 5 : l == HD_V14 ? 3 : 1;
}

unsigned hd_field_kind_words(hd_layout l, unsigned kind)
{
    /* V13: ptr, string (ptr,len), slice (ptr,len,cap), iface, eface. V14: ptr, iface, eface. */
    static const unsigned v13[6] = {0, 1, 2, 3, 2, 2};
    static const unsigned v14[4] = {0, 1, 2, 2};
    if (kind > hd_layout_max_field_kind(l))
        return 0;
    return l == HD_V13 ? v13[kind] : l == HD_V14 ? v14[kind] : 1;
}

int hd_layout_has_tag(hd_layout l, unsigned tag)
{
    if (tag >= HD_TAG_COUNT)
        return 0;
    return tag != HD_TAG_OTHERROOT || l == HD_V13;
}

int hd_bytes_word(const hd_bytes *b, uint64_t off, unsigned ptrsize, bool big_endian, uint64_t *out)
{
    uint64_t v = 0;
    if (b->p == NULL || ptrsize == 0 || off > b->kept || b->kept - off < ptrsize)
        return 0;
    for (unsigned i = 0; i < ptrsize; i++) {
        unsigned k = big_endian ? i : ptrsize - 1 - i;
        v = (v << 8) | b->p[off + k];
    }
    *out = v;
    return 1;
}
