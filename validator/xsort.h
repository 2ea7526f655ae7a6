/* xsort.h — an external sort of fixed-size records, in bounded memory.
 *
 *   records ──► xsort_add ──► [batch full: radix sort, spill as a run to a temporary file] ──► xsort_next (merge)
 *
 * A record is XS_WORDS_MAX or fewer 64-bit words, ordered lexicographically (word 0 first). Records are
 * appended into an in-memory batch of a fixed size; a full batch is sorted (LSD radix sort on the bits of word
 * 0 that vary in the batch, then a comparison sort inside each run of equal word 0) and written as one sorted
 * run to an unlinked temporary file ($TMPDIR, else /tmp), word 0 delta-coded, every word as a uvarint. When
 * XS_FANIN runs have piled up they are merged into one longer run, so reading back never needs more cursors.
 * After xsort_finish, xsort_next yields every record in order: a k-way merge (a loser tree) of the runs and the
 * last batch.
 *
 * Memory: the batch, a scratch buffer of the same size, and XS_FANIN read buffers of XS_READ_BUF bytes while
 * merging; nothing grows with the number of records. A dump that fits in one batch never touches the disk.
 * Failures (no temporary file, a full disk, out of memory) are sticky: every later call returns -1 and
 * xsort_error says what happened; the caller treats it as an I/O-class failure. */
#ifndef HD_XSORT_H
#define HD_XSORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XS_WORDS_MAX 8
#define XS_FANIN     128u
#define XS_READ_BUF  (16u * 1024u)

typedef struct xsort xsort;

/* words: 1..XS_WORDS_MAX per record; batch: records per in-memory batch (>= 2). scratch, if not NULL, is a
 * buffer of at least batch * words * 8 bytes that the caller lends for sorting (it may be shared between
 * sorters that never sort at the same time); NULL: the sorter allocates its own. threaded: a second batch and
 * a background thread that sorts and writes one batch while the caller fills the other (another core's work;
 * runs come out in the same order, so results are identical); if that cannot start, the caller's thread spills.
 * NULL on out of memory. */
xsort *xsort_new(unsigned words, size_t batch, uint64_t *scratch, bool threaded);
void   xsort_free(xsort *s);

/* Append one record. 0, or -1 (sticky failure). */
int    xsort_add(xsort *s, const uint64_t *rec);

/* No more records: prepare to read them back in order. 0, or -1. */
int    xsort_finish(xsort *s);
/* The next record in order into rec: 1, 0 at the end, -1 on failure. */
int    xsort_next(xsort *s, uint64_t *rec);

const char *xsort_error(const xsort *s);      /* NULL, or what failed */
uint64_t    xsort_count(const xsort *s);      /* records added */
uint64_t    xsort_spilled(const xsort *s);    /* bytes written to the temporary file so far */

/* Sort n records of `words` words in place (the batch sort, for callers with arrays of their own); scratch
 * holds at least n * words words. */
void xsort_sort_array(uint64_t *v, size_t n, unsigned words, uint64_t *scratch);

#endif
