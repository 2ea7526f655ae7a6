/* format.h — the vocabulary of the Go heap dump format: tags, headers, layouts, field kinds, architectures,
 * memstats values. Facts only, each list written once in a .def table; see docs/FORMAT.md for where each
 * fact comes from. */
#ifndef HD_FORMAT_H
#define HD_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hd/api.h"

/* ---- record tags (tags.def; numbered 0..HD_TAG_COUNT-1 in every version) ---- */
typedef enum {
#define HD_TAG(num, id, name) HD_TAG_##id = num,
#include "hd/tags.def"
#undef HD_TAG
    HD_TAG_COUNT          /* one past the last line of tags.def (format.c asserts the numbering is dense) */
} hd_tag;
#define HD_TAGMASK(t) (UINT32_C(1) << (t))

/* ---- layouts: go1.5 and go1.6 headers share one (HD_V15); every release from Go 1.7 writes HD_V17 ---- */
#define HD_LAYOUTS(X) X(V13, "go1.3") X(V14, "go1.4") X(V15, "go1.5") X(V17, "go1.7")
typedef enum {
#define HD_LAYOUT_X(id, name) HD_##id,
    HD_LAYOUTS(HD_LAYOUT_X)
#undef HD_LAYOUT_X
    HD_LAYOUT_COUNT
} hd_layout;
#define HD_LAYOUT_MASK_ALL ((1u << HD_LAYOUT_COUNT) - 1u)

/* ---- headers (headers.def) ---- */
#define HD_GO_OPEN 999u   /* "and every later release" */
typedef enum {
#define HD_HEADER(id, text, name, layout, go_min, go_max) HD_##id,
#include "hd/headers.def"
#undef HD_HEADER
    HD_HEADER_COUNT
} hd_header_id;
#define HD_HEADER_LEN 16  /* every header, '\n' included */

HD_API const char *hd_header_text(hd_header_id h);       /* "go1.4 heap dump\n" */
HD_API const char *hd_header_name(hd_header_id h);       /* "go1.4" */
HD_API hd_layout   hd_header_layout(hd_header_id h);
/* Go 1.x releases that wrote the header: [go_min, go_max], go_max HD_GO_OPEN for go1.7. */
HD_API unsigned    hd_header_go_min(hd_header_id h);
HD_API unsigned    hd_header_go_max(hd_header_id h);
/* The header a Go 1.minor release writes (minor >= 3). */
HD_API hd_header_id hd_header_of_release(unsigned minor);

HD_API const char *hd_tag_name(unsigned tag);            /* "object", … ; "?" when tag >= HD_TAG_COUNT */
HD_API const char *hd_layout_name(hd_layout l);          /* "go1.3", "go1.4", "go1.5", "go1.7" */

/* ---- field lists: kinds differ between V13 and V14+; 0 ends every list ---- */
enum {
    HD_FK_EOL = 0,
    HD_FK_PTR = 1,
    HD_FK13_STRING = 2, HD_FK13_SLICE = 3, HD_FK13_IFACE = 4, HD_FK13_EFACE = 5,
    HD_FK14_IFACE = 2, HD_FK14_EFACE = 3
};
#define HD_FK_MAX 5       /* no version writes a higher kind */
/* Highest field kind the layout writes (5, 3, 1, 1). */
HD_API unsigned    hd_layout_max_field_kind(hd_layout l);
/* Width in pointer words of a field of this kind in this layout (1..3), 0 for an invalid kind. */
HD_API unsigned    hd_field_kind_words(hd_layout l, unsigned kind);
/* Which word of such a field may hold a heap pointer: the first for Ptr and go1.3 String and Slice, the data
 * word for go1.4 Iface/Eface; -1 when none can (go1.3 interfaces may hold a scalar there). */
HD_API int         hd_field_kind_pointer_word(hd_layout l, unsigned kind);
/* Does the layout write this tag at all? (tag 2 only in V13) */
HD_API bool        hd_layout_has_tag(hd_layout l, unsigned tag);
/* Field names of a kind for text forms: "ptr", "string", "slice", "iface", "eface"; NULL if invalid. */
HD_API const char *hd_field_kind_name(hd_layout l, unsigned kind);

/* ---- architectures (arch.def) ---- */
typedef enum { HD_BO_LITTLE = 0, HD_BO_BIG = 1, HD_BO_EITHER = -1 } hd_byte_order;
enum { HD_AF_GCCGO = 1, HD_AF_X86 = 2, HD_AF_LR = 4 };
typedef struct {
    char          code;      /* go1.3-go1.6 char code, 0 for a GOARCH line */
    const char   *name;      /* GOARCH, or the ports a char code stands for */
    uint8_t       ptrsize;   /* 4 or 8; 0 when the code stands for both */
    hd_byte_order order;
    uint8_t       since, until;  /* Go 1.x releases of the port; until 0: still there */
    unsigned      flags;     /* HD_AF_* */
    uint8_t       injected_gap;   /* link register: bytes between an injected frame and its caller */
    uint8_t       heap_arena_mb;  /* Go 1.11+: the unit the arena bounds come in */
} hd_arch;

/* The line for a go1.7+ GOARCH string (len bytes at s) / a go1.3-go1.6 char code; NULL if unknown. */
HD_API const hd_arch *hd_arch_by_goarch(const uint8_t *s, size_t len);
HD_API const hd_arch *hd_arch_by_code(uint64_t code);
HD_API const hd_arch *hd_arch_by_name(const char *goarch);

/* ---- memstats (memstats.def): HD_MS_<IDENT> is the index of the field's first value ---- */
enum {
#define HD_MEMSTAT(id, name, n) HD_MS_##id, HD_MS_END_##id = HD_MS_##id + (n) - 1,
#include "hd/memstats.def"
#undef HD_MEMSTAT
    HD_MEMSTATS_NVALUES
};
/* "PauseNs" for any index of the ring; *sub gets the index inside a multi-value field (0 otherwise). */
HD_API const char *hd_memstat_name(unsigned index, unsigned *sub);

#endif
