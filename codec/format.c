/* format.c — names and per-version facts of the format (FORMAT.md §1–§3), expanded from the .def tables. */
#include "hd/format.h"
#include "hd/record.h"

/* tags.def numbers its tags 0..N-1 in order: the count of its lines is HD_TAG_COUNT */
enum { TAG_LINES = 0
#define HD_TAG(num, id, name) + 1
#include "hd/tags.def"
#undef HD_TAG
};
_Static_assert((int)TAG_LINES == (int)HD_TAG_COUNT, "tags.def numbers its tags 0..N-1, in order");
_Static_assert(HD_MEMSTATS_NVALUES == 281, "memstats.def describes the 281 values of FORMAT.md §3.10");

static const char *const tag_names[HD_TAG_COUNT] = {
#define HD_TAG(num, id, name) [num] = name,
#include "hd/tags.def"
#undef HD_TAG
};

static const struct {
    const char *text, *name;
    hd_layout layout;
    unsigned go_min, go_max;
} headers[HD_HEADER_COUNT] = {
#define HD_HEADER(id, text, name, layout, go_min, go_max) [HD_##id] = {text, name, HD_##layout, go_min, go_max},
#include "hd/headers.def"
#undef HD_HEADER
};

static const char *const layout_names[HD_LAYOUT_COUNT] = {
#define HD_LAYOUT_X(id, name) [HD_##id] = name,
    HD_LAYOUTS(HD_LAYOUT_X)
#undef HD_LAYOUT_X
};

const char *hd_tag_name(unsigned tag) { return tag < HD_TAG_COUNT ? tag_names[tag] : "?"; }
const char *hd_header_text(hd_header_id h) { return headers[h].text; }
const char *hd_header_name(hd_header_id h) { return headers[h].name; }
hd_layout hd_header_layout(hd_header_id h) { return headers[h].layout; }
unsigned hd_header_go_min(hd_header_id h) { return headers[h].go_min; }
unsigned hd_header_go_max(hd_header_id h) { return headers[h].go_max; }
const char *hd_layout_name(hd_layout l) { return layout_names[l]; }

hd_header_id hd_header_of_release(unsigned minor)
{
    for (int h = 0; h < HD_HEADER_COUNT; h++)
        if (minor >= headers[h].go_min && minor <= headers[h].go_max)
            return (hd_header_id)h;
    return minor < 3 ? HD_H13 : HD_H17;
}

/* ---- field kinds ---- */

typedef struct {
    const char *name;
    uint8_t words;          /* width in pointer words */
    int8_t pointer_word;    /* which word may hold a heap pointer, -1 none */
} kind_info;

static const kind_info kinds13[] = {{NULL, 0, -1}, {"ptr", 1, 0}, {"string", 2, 0}, {"slice", 3, 0},
                                    {"iface", 2, -1}, {"eface", 2, -1}};
static const kind_info kinds14[] = {{NULL, 0, -1}, {"ptr", 1, 0}, {"iface", 2, 1}, {"eface", 2, 1}};
static const kind_info kinds15[] = {{NULL, 0, -1}, {"ptr", 1, 0}};

unsigned hd_layout_max_field_kind(hd_layout l)
{
    return l == HD_V13 ? 5 : l == HD_V14 ? 3 : 1;
}

static const kind_info *kind_entry(hd_layout l, unsigned kind)
{
    if (kind == HD_FK_EOL || kind > hd_layout_max_field_kind(l))
        return NULL;
    return l == HD_V13 ? &kinds13[kind] : l == HD_V14 ? &kinds14[kind] : &kinds15[kind];
}

unsigned hd_field_kind_words(hd_layout l, unsigned kind)
{
    const kind_info *k = kind_entry(l, kind);
    return k != NULL ? k->words : 0;
}

int hd_field_kind_pointer_word(hd_layout l, unsigned kind)
{
    const kind_info *k = kind_entry(l, kind);
    return k != NULL ? k->pointer_word : -1;
}

const char *hd_field_kind_name(hd_layout l, unsigned kind)
{
    const kind_info *k = kind_entry(l, kind);
    return k != NULL ? k->name : NULL;
}

bool hd_layout_has_tag(hd_layout l, unsigned tag)
{
    return tag < HD_TAG_COUNT && (tag != HD_TAG_OTHERROOT || l == HD_V13);
}

/* ---- memstats ---- */

static const struct {
    const char *name;
    unsigned first, count;
} memstats[] = {
#define HD_MEMSTAT(id, name, n) {name, HD_MS_##id, n},
#include "hd/memstats.def"
#undef HD_MEMSTAT
};

const char *hd_memstat_name(unsigned index, unsigned *sub)
{
    for (size_t i = 0; i < sizeof memstats / sizeof memstats[0]; i++) {
        if (index >= memstats[i].first && index - memstats[i].first < memstats[i].count) {
            if (sub != NULL)
                *sub = index - memstats[i].first;
            return memstats[i].name;
        }
    }
    return NULL;
}

/* ---- bytes ---- */

int hd_bytes_word(const hd_bytes *b, uint64_t off, unsigned ptrsize, bool big_endian, uint64_t *out)
{
    uint64_t v = 0;
    if (b->p == NULL || ptrsize == 0 || off > b->kept || b->kept - off < ptrsize)
        return 0;
    if (ptrsize == 8 && !big_endian) {      /* the common case, assembled the way compilers fold into a load */
        const uint8_t *q = b->p + off;
        *out = (uint64_t)q[0] | (uint64_t)q[1] << 8 | (uint64_t)q[2] << 16 | (uint64_t)q[3] << 24 |
               (uint64_t)q[4] << 32 | (uint64_t)q[5] << 40 | (uint64_t)q[6] << 48 | (uint64_t)q[7] << 56;
        return 1;
    }
    for (unsigned i = 0; i < ptrsize; i++) {
        unsigned k = big_endian ? i : ptrsize - 1 - i;
        v = (v << 8) | b->p[off + k];
    }
    *out = v;
    return 1;
}
