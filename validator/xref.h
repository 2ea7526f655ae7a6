/* xref.h — the cross-reference ledger: every check that needs the whole file, judged once at the end.
 *
 *   families ──► xref_add(kind, key, record) ──► ledger (xsort: bounded memory, spills to a temporary file)
 *   end of input ──► xref_resolve: one sort-merge sweep of the ledger against the object index ──► diagnostics
 *
 * An entry is a key (an address, a goroutine id, a thread id), the record it comes from, and a kind. The kind
 * says what must hold for the key (xref.c's table): lie inside an object (or a stack, or data/bss), be unique
 * among entries of its kind, name a fact of another kind (an OS thread for a goroutine's M, an earlier
 * memprof bucket for a sample). The sweep walks the ledger in key order beside the object index in address
 * order, so every question costs O(1) amortised after one sort, however the file orders things: forward
 * references, pointers into objects that come later, a million goroutines, 10^7 pointers into one object.
 * Findings are reported at the end, in file order. */
#ifndef HD_XREF_H
#define HD_XREF_H

#include <stdbool.h>
#include <stdint.h>
#include "check_internal.h"
#include "objindex.h"

/* Entry kinds (xref.c has what each one means). */
#define XREF_KINDS(X)                                                                                          \
    X(STACK_HI) X(STACK_LO)                                    /* a goroutine's frames: [lo, hi) */            \
    X(M_ADDR) X(BUCKET)                                        /* facts others refer to (and unique) */        \
    X(PTR_OBJECT) X(PTR_DATA) X(PTR_BSS) X(PTR_FRAME)          /* arena pointers: in an object or a stack */   \
    X(G_ADDR) X(G_ID) X(G_M)                                   /* goroutines: unique, in an object, M known */ \
    X(DEFER) X(DEFER_OUT) X(PANIC) X(PANIC_OUT)                /* unique; _OUT: not in its stack, so in an object */ \
    X(M_ID) X(FINALIZER) X(QFINAL)                             /* threads; finalizer objects */                \
    X(SAMPLE) X(SAMPLE_BUCKET)                                 /* alloc samples: unique, in an object, bucket */

typedef enum {
#define XREF_X(id) XK_##id,
    XREF_KINDS(XREF_X)
#undef XREF_X
    XK_COUNT
} xref_kind;

struct xref;

/* NULL on out of memory. scratch: the checker's sort buffer, XREF_SCRATCH_WORDS words. */
#define XREF_BATCH (256u * 1024u)
#define XREF_SCRATCH_WORDS (2u * (XREF_BATCH > OI_CHUNK ? XREF_BATCH : OI_CHUNK))
struct xref *xref_new(uint64_t *scratch, bool threaded);
void xref_free(struct xref *x);

/* One entry for the record being checked (c->rec). Failure to keep it is ck_fail. */
void xref_add(hd_checker *c, xref_kind kind, uint64_t key);

/* The objects, in the index; called by the objects family. */
void xref_add_object(hd_checker *c, uint64_t addr, uint64_t size);

/* End of input: the sweep. complete: the dump was read to its end (containment and references are judged
 * only then: a truncated dump lacks what they may name). */
void xref_resolve(hd_checker *c, bool complete);

/* Entries kept, and bytes spilled to the temporary file (for the benchmark). */
uint64_t xref_entries(const struct xref *x);
uint64_t xref_spilled(const struct xref *x);

#endif
