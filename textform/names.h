/* names.h — the text form's vocabulary: a name for every part of every record layout (the field names of
 * hddump's lines and JSON objects, the names hdasm accepts), and the reverse lookups of tags and headers.
 * Field names are keyed by tag and by the step's place in hd_record, so one table serves every layout. */
#ifndef TF_NAMES_H
#define TF_NAMES_H

#include <stddef.h>
#include "hd/format.h"
#include "hd/layouts.h"

/* The name of layout step `st` of `tag` in `layout` ("addr", "contents", "fields", …); NULL if the table has
 * none (a unit test asserts every step of every layout is named). */
const char *tf_step_name(hd_layout layout, unsigned tag, const layout_step *st);

/* The steps the text form uses for a tag: the layout's, or go1.3's for a tag the layout never writes (as the
 * reader and the encoder do). NULL for an unknown tag. */
const layout_step *tf_steps(hd_layout layout, unsigned tag);

/* Index (0-based) in tf_steps(layout, tag) of the step named s[0..n); -1 if none. */
int tf_step_index(hd_layout layout, unsigned tag, const char *s, size_t n);

/* Number of steps (ST_END excluded). */
unsigned tf_nsteps(const layout_step *st);

/* Tag by text name ("stackframe"); -1 if none. */
int tf_tag_by_name(const char *s, size_t n);
/* Header by name ("go1.4"); -1 if none. */
int tf_header_by_name(const char *s, size_t n);
/* Layout by name ("go1.5"; "go1.6" is accepted for the go1.5 layout); -1 if none. */
int tf_layout_by_name(const char *s, size_t n);
/* Memstats value index of a name ("Alloc"); -1 if none. PauseNs is the first of its 256 values. */
int tf_memstat_by_name(const char *s, size_t n);
/* Field kind by name in the layout ("eface"); -1 if the layout names no such kind. */
int tf_kind_by_name(hd_layout layout, const char *s, size_t n);

/* The first pointer step of a tag: its key address (object addr, frame sp, finalizer obj, …); -1 if none.
 * hdasm binds a record's label to it; hddump --object looks for what points at it everywhere else. */
int tf_key_step(hd_layout layout, unsigned tag);

#endif
