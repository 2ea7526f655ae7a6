/* stats.h — hddump --stats: the overview of a dump before opening it. Per-tag counts and bytes, objects by
 * size class, the largest types by bytes, goroutines by status and wait reason, the params and a few
 * memstats. Memory is fixed but for the type table, which is capped. */
#ifndef TF_STATS_H
#define TF_STATS_H

#include <stdio.h>
#include "pass.h"

typedef struct tf_stats tf_stats;

tf_stats *tf_stats_new(void);
void      tf_stats_add(tf_stats *s, const tf_pass *p);
/* name: the file; stop: the diagnostic that ended decoding early, or NULL; size: bytes decoded. */
void      tf_stats_print(const tf_stats *s, FILE *out, bool json, const char *name, const tf_pass *p,
                         const hd_diag *stop, uint64_t size);
void      tf_stats_free(tf_stats *s);

#endif
