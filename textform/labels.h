/* labels.h — symbolic addresses for hand-written text: labels and their arithmetic.
 *
 *   set heap = 0xc000000000
 *   g1: goroutine addr=heap+0x100 …       a label names the record's key address (its first pointer field)
 *   object addr=g1 …   defer … g=g1 link=d2+8 …
 *
 * Pass 1 collects each label's defining expression as text; pass 2 evaluates a label the first time it is
 * used (so a label may be used before the line that defines it), with a depth limit that also catches
 * cycles. Arithmetic is modulo 2^64. Memory grows with the number of labels, never with the rest of the text. */
#ifndef TF_LABELS_H
#define TF_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lex.h"

typedef struct tf_labels tf_labels;

tf_labels *tf_labels_new(void);
void       tf_labels_free(tf_labels *t);
/* Define name[0..n) as the expression text def[0..dn). -1 if already defined (or out of memory). */
int        tf_labels_define(tf_labels *t, const char *name, size_t n, const char *def, size_t dn);

/* Parse an expression at the lexer's current token:  ['-'] term { ('+'|'-') term },  term = number |
 * label | '(' expr ')'. With t == NULL it is only checked (pass 1: labels may not be known yet). 0 with *v,
 * or -1 with *err and *at (where in the line). */
int        tf_expr(lexer *l, tf_labels *t, uint64_t *v, const char **err, const char **at);

/* A word that cannot be an expression's first token's label: keywords of the value syntax. */
bool       tf_is_keyword(const token *tok);

#endif
