/* expect.h — "KEY OP N" expectations on a result, for producer regression tests:
 *   goroutine >= 80    max_frames > 400    errors == 0    allocsample > 0
 * KEY is a record tag name (counts), or records, errors, warnings, max_frames, ptrsize, size.
 * OP is one of >= > == != <= <. */
#ifndef HD_EXPECT_H
#define HD_EXPECT_H

#include <stddef.h>
#include "hd/validate.h"

/* 1 holds, 0 does not (then `got` is the value found), -1 the expression is malformed. */
int hd_expect_eval(const char *expr, const hd_result *res, uint64_t *got);

#endif
