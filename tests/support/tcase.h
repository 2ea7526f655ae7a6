/* tcase.h — a conformance case written in the text form (the .hdt files of corpus/conformance): the verdict
 * and rules it expects, from its header comment, and its bytes, assembled by libhdtext.
 *
 *   ;; expect: y              valid, no diagnostic at all
 *   ;; expect: n S105         invalid; every diagnostic is one of the rules listed, and each of them fires
 *   ;; expect: i G107 X102    valid (no error); its warnings and infos are of the rules listed, each fires
 */
#ifndef HD_TCASE_H
#define HD_TCASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hd/diag.h"
#include "hd/encode.h"

#define TCASE_RULES 8

typedef struct {
    char      verdict;                /* 'y', 'n' or 'i' */
    int       rules[TCASE_RULES];
    unsigned  nrules;
    hd_membuf bytes;
    char      error[320];             /* why loading failed */
} tcase;

/* What a validation said: diagnostics per rule. */
typedef struct {
    uint64_t count[HD_RULE_COUNT];
    uint64_t total;
} tcase_tally;

/* Read, parse the expectation, assemble. 0, or -1 with c->error. */
int  tcase_load(const char *path, tcase *c);
void tcase_free(tcase *c);
/* The expectation in a file name (y_…, n_RULE_…, i_RULE_…) agrees with the header comment: -1 if not. */
int  tcase_check_name(const tcase *c, const char *name, char *why, size_t n);
/* Sink that counts diagnostics per rule into a tcase_tally. */
hd_diag_sink tcase_sink(tcase_tally *t);
/* Does what the validator said meet the expectation? false with the reason in why. */
bool tcase_judge(const tcase *c, const tcase_tally *t, bool valid, char *why, size_t n);

#endif
