/* check.h — the checker: judges a stream of decoded records.
 *
 * records ──► hd_checker ──► diagnostics
 *
 * Fed one record at a time in file order; owns the order state machine and the cross-reference
 * indexes; resolves forward references at the end. It never reads the input itself. */
#ifndef HD_CHECK_H
#define HD_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include "hd/diag.h"
#include "hd/format.h"
#include "hd/record.h"
#include "hd/validate.h"

typedef struct hd_checker hd_checker;

hd_checker *hd_checker_new(hd_header_id header, const hd_options *opts, const hd_diag_sink *sink);
void hd_checker_free(hd_checker *c);

void hd_checker_record(hd_checker *c, const hd_record *rec);

/* End of input at byte offset `end`. `complete`: decoding reached the end of input without losing
 * the record boundary (end-of-file checks such as "no EOF record" and forward references are only
 * judged then). */
void hd_checker_finish(hd_checker *c, uint64_t end, bool complete);

/* NULL, or what ran out (memory, temporary disk): checking cannot go on, and the run is an I/O-class failure. */
const char *hd_checker_failed(const hd_checker *c);

/* What the checker learnt, for the result summary. */
void hd_checker_summary(const hd_checker *c, hd_result *res);

#endif
