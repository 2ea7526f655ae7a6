/* cases.h — hand-built conformance cases: each builds one small dump and names the verdict it must get.
 * Used twice: the unit tests check every case in memory and through a pipe, and mkcases writes them to
 * corpus/conformance/ (a test regenerates them and compares, so the files cannot drift). */
#ifndef HD_CASES_H
#define HD_CASES_H

#include <stddef.h>
#include "tdump.h"

typedef struct {
    const char *name;            /* file name without prefix/rule: "go17_bool_in_params" */
    int         rule;            /* expected rule (n_ case), or -1 for a valid dump (y_ case) */
    void      (*build)(tdump *t);/* writes the whole dump (header included) into t */
} tcase;

extern const tcase hd_cases[];
extern const size_t hd_ncases;

/* File name of case c: "y_<name>.hd" or "n_<RULEID>_<name>.hd". */
void tcase_filename(const tcase *c, char *buf, size_t n);

#endif
