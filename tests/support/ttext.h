/* ttext.h — test helpers for the text form: a dump as text in memory, text assembled in memory, and the
 * round trip between them.
 *
 *   char *t = ttext_dump(p, len, &opts, &rc);       hd_dump into a string (free it)
 *   ttext_asm(t, strlen(t), &m, &res)               hd_asm_mem into a membuf (free m.p)
 *   assert_true(ttext_roundtrip(p, len));           hddump --contents | hdasm gives p back
 */
#ifndef HD_TTEXT_H
#define HD_TTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hd/textform.h"

/* hd_dump of p[0..len) with o (NULL: defaults); *rc gets hd_dump's status. A malloc'd string. */
char *ttext_dump(const uint8_t *p, size_t len, const hd_dump_opts *o, int *rc);
/* hd_asm_mem; m is initialised here. 0 or -1 (res says why). */
int   ttext_asm(const char *text, size_t n, hd_membuf *m, hd_asm_result *res);
/* Dump with --contents, assemble, compare; prints the first difference. */
bool  ttext_roundtrip(const uint8_t *p, size_t len);
/* Assemble text that must assemble; aborts with the error otherwise. */
hd_membuf ttext_must_asm(const char *text);
/* Lines of s that contain `needle`. */
unsigned ttext_count(const char *s, const char *needle);

#endif
