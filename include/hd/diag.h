/* diag.h — rules and diagnostics. The rule table is include/hd/rules.def; a diagnostic is one finding
 * at one byte offset. Everything below the reporter produces diagnostics; nothing below it prints. */
#ifndef HD_DIAG_H
#define HD_DIAG_H

#include <stdint.h>
#include "hd/api.h"

typedef enum { HD_SEV_INFO, HD_SEV_WARNING, HD_SEV_ERROR } hd_severity;

typedef enum {
#define HD_RULE(ident, id, sev, kind, name, inv, doc) HD_R_##ident,
#include "hd/rules.def"
#undef HD_RULE
    HD_RULE_COUNT
} hd_rule;

/* READ: the finding means input bytes could not be read as a dump; never a known deviation. CONTENT: a
 * finding about what was read; --known-deviations may lower it to info. */
typedef enum { HD_RK_CONTENT, HD_RK_READ } hd_rule_kind;

typedef struct {
    const char *id;          /* "S101" */
    hd_severity severity;    /* default severity */
    const char *name;        /* "bad-header" */
    const char *invariant;   /* FORMAT.md §5 id(s), e.g. "FS1" */
    const char *doc;         /* one line */
    hd_rule_kind kind;
} hd_rule_info;

HD_API const hd_rule_info *hd_rule_get(hd_rule r);
HD_API const char *hd_severity_name(hd_severity s);   /* "error", "warning", "info" */
/* Look a rule up by its ID ("S101") or its name ("bad-header"); -1 if none. */
HD_API int hd_rule_find(const char *id_or_name);

#define HD_DIAG_MSG_MAX 240
#define HD_NO_RECORD UINT64_MAX

typedef struct {
    hd_rule     rule;
    hd_severity severity;    /* usually the rule's; a producer profile may lower it */
    uint64_t    offset;      /* byte offset in the file the finding points at */
    uint64_t    record;      /* 0-based record index (header excluded), HD_NO_RECORD if none */
    int         tag;         /* tag of that record, -1 if none */
    char        message[HD_DIAG_MSG_MAX];
} hd_diag;

/* Where diagnostics go. emit is called once per diagnostic, in file order of discovery. */
typedef struct hd_diag_sink {
    void (*emit)(void *ctx, const hd_diag *d);
    void *ctx;
} hd_diag_sink;

#endif
