/* test_rules.c — the rule table (include/hd/rules.def) is a contract. For every rule, walked by its enum
 * (0 .. HD_RULE_COUNT-1), this test requires, exactly:
 *
 *  1. a defect:   exactly one line of include/hd/defects.def whose first argument is the rule's identifier
 *                 (hd_defect_get(d)->rule == the rule; the table is keyed by the enum, never by "S105").
 *  2. a corpus case: a file corpus/generated/<p>_<ID>_*.hd or corpus/conformance/<p>_<ID>_*.hd, where <p> is
 *                 "n" for an ERROR rule and "i" for a WARNING or INFO one (check.sh corpus and the conformance
 *                 runner prove that the file fires that rule and only it). Every n_/i_ file of both folders
 *                 must name a rule of the table, with the prefix its severity gives.
 *  3. an invariant: every comma-separated ID of the rule's invariant column is the first cell of a table
 *                 row of docs/FORMAT.md §5 (between the "## 5." and "## 6." headings; row IDs unique there).
 *                 "-" only for the rules of `no_invariant` below.
 *  4. a unit test that fires it alone: in some C file of tests/unit/ other than this file and test_inject.c (the
 *                 generator's injections are requirement 1's), the token HD_R_<IDENT> is an argument of a call
 *                 (the innermost call whose parentheses enclose it, casts skipped) to a "fire-alone" function:
 *                 tcheck_only (tests/support/tdump.c: this rule fired and nothing else did), or a function
 *                 defined in a C file of tests/support/ or in that same unit file whose body calls a fire-alone function
 *                 (found to a fixed point: tw_verdict, with_objects, expect_only, …). The hand-written text
 *                 cases the .hdt files of corpus/conformance count for their rule when their header names exactly one
 *                 (`;; expect: n S105`) and a unit file calls tcase_judge (test_structural.c does, for every
 *                 case, in memory and through a pipe: the listed rule fired and nothing else did).
 *
 * Each exemption is listed below with its reason; an exemption that is no longer needed, or names no rule,
 * fails too. The counts are exact: with E exemptions of a requirement, exactly HD_RULE_COUNT - E rules
 * meet it. The source tree is found through HD_SOURCE_DIR (tests/gen.cmake). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hd/diag.h"
#include "hd/gen.h"

#ifndef HD_SOURCE_DIR
#error "HD_SOURCE_DIR (the project's source folder) must be defined"
#endif

/* ---- exemptions: one list per requirement, each with its reason ---------------------------------------- */

typedef struct {
    const char *id;
    const char *why;
} exemption;

/* 1. Rules without a defect: none. */
static const exemption no_defect[] = {{NULL, NULL}};

/* 2. Rules without a corpus case. */
static const exemption no_corpus[] = {
    {"P105", "judged only when the producer is surely Go 1.17+, and a malformed version string is exactly what the "
             "release is detected from: only `hdvalidate --go=1.17` (or later) fires it, and the corpus runners "
             "(check.sh corpus, tests/conformance/runner.c) validate without options. test_inject and "
             "test_params.c fire it with the option."},
    {NULL, NULL},
};

/* 3. Rules whose invariant column is "-". */
static const exemption no_invariant[] = {
    {"X102", "info: says that a producer profile (gccgo) was applied; it judges no property of the dump"},
    {"H111", "a heuristic, not a writer invariant: a pointer word into the arena but into no dumped object or "
             "stack (FORMAT.md §5 has no row for it; warning level)"},
    {NULL, NULL},
};

/* 4. Rules without a unit test that fires them alone: none. */
static const exemption no_unit_test[] = {{NULL, NULL}};

/* ---- helpers ---------------------------------------------------------------------------------------------- */

static const char *const idents[HD_RULE_COUNT] = {
#define HD_RULE(ident, id, sev, kind, name, inv, doc) [HD_R_##ident] = #ident,
#include "hd/rules.def"
#undef HD_RULE
};

static const char *rid(unsigned r) { return hd_rule_get((hd_rule)r)->id; }

/* Failures are collected and printed together, so one run names every gap. */
static unsigned nfail;

static void gap(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("  ", stdout);
    vprintf(fmt, ap);
    fputs("\n", stdout);
    va_end(ap);
    nfail++;
}

static const exemption *exempt(const exemption *list, unsigned r)
{
    for (; list->id != NULL; list++)
        if (strcmp(list->id, rid(r)) == 0)
            return list;
    return NULL;
}

static unsigned nexempt(const exemption *list, const char *what)
{
    unsigned n = 0;
    for (; list->id != NULL; list++, n++) {
        if (hd_rule_find(list->id) < 0)
            gap("exemption from %s names %s, which is not a rule of include/hd/rules.def", what, list->id);
        if (list->why == NULL || strlen(list->why) < 20)
            gap("exemption of %s from %s gives no reason", list->id, what);
    }
    return n;
}

/* Per rule: met the requirement? Then the exemptions and the exact count. */
static void judge(const bool *met, const exemption *list, const char *what, const char *missing)
{
    unsigned n = 0, e = nexempt(list, what);
    for (unsigned r = 0; r < HD_RULE_COUNT; r++) {
        const exemption *x = exempt(list, r);
        n += met[r];
        if (!met[r] && x == NULL)
            gap("rule %s (%s, HD_R_%s): %s", rid(r), hd_rule_get((hd_rule)r)->name, idents[r], missing);
        if (met[r] && x != NULL)
            gap("rule %s now has %s: remove it from the exemptions of test_rules.c", rid(r), what);
    }
    if (n != HD_RULE_COUNT - e)
        gap("%u of %u rules have %s; with %u exemption(s) exactly %u must", n, (unsigned)HD_RULE_COUNT, what, e,
            (unsigned)HD_RULE_COUNT - e);
}

static void verdict(const char *what)
{
    fflush(stdout);
    if (nfail > 0)
        fail_msg("%u gap(s) in %s (listed above)", nfail, what);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p = NULL;
    size_t n = 0, cap = 0;
    if (f == NULL)
        fail_msg("cannot open %s", path);
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = 2 * cap + 8192;
            p = realloc(p, cap);
            assert_non_null(p);
        }
        size_t k = fread(p + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0)
            break;
    }
    fclose(f);
    p[n] = '\0';
    if (len != NULL)
        *len = n;
    return p;
}

/* ---- 1. defects ------------------------------------------------------------------------------------------- */

static void test_defects(void **state)
{
    bool met[HD_RULE_COUNT] = {false};
    unsigned per[HD_RULE_COUNT] = {0};
    (void)state;
    nfail = 0;
    for (unsigned d = 0; d < hd_defect_count(); d++) {
        const hd_defect_info *info = hd_defect_get(d);
        if ((unsigned)info->rule >= HD_RULE_COUNT) {
            gap("defect %s names no rule", info->name);
            continue;
        }
        per[info->rule]++;
        if (strcmp(info->rule_id, rid(info->rule)) != 0)
            gap("defect %s: rule_id %s is not the ID of its rule %s", info->name, info->rule_id, rid(info->rule));
    }
    for (unsigned r = 0; r < HD_RULE_COUNT; r++) {
        met[r] = per[r] > 0;
        if (per[r] > 1)
            gap("rule %s has %u defects in include/hd/defects.def; --inject %s must mean one", rid(r), per[r], rid(r));
    }
    judge(met, no_defect, "a defect", "no HD_DEFECT(<IDENT>, …) line in include/hd/defects.def names it");
    if (hd_defect_count() != HD_RULE_COUNT - nexempt(no_defect, "a defect"))
        gap("%u defects for %u rules", hd_defect_count(), (unsigned)HD_RULE_COUNT);
    verdict("defects");
}

/* ---- 2. corpus cases -------------------------------------------------------------------------------------- */

static void scan_corpus(const char *dir, bool *met)
{
    char path[1024];
    DIR *d;
    struct dirent *e;
    snprintf(path, sizeof path, "%s/corpus/%s", HD_SOURCE_DIR, dir);
    d = opendir(path);
    if (d == NULL)
        fail_msg("cannot list %s", path);
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name, *end;
        char id[16];
        size_t len = strlen(n);
        if ((n[0] != 'n' && n[0] != 'i') || n[1] != '_' || len < 4 || strcmp(n + len - 3, ".hd") != 0)
            continue;
        end = strchr(n + 2, '_');
        if (end == NULL || (size_t)(end - (n + 2)) >= sizeof id) {
            gap("corpus/%s/%s: an n_/i_ case must be named <n|i>_<RULE>_<what>.hd", dir, n);
            continue;
        }
        memcpy(id, n + 2, (size_t)(end - (n + 2)));
        id[end - (n + 2)] = '\0';
        int r = hd_rule_find(id);
        if (r < 0 || strcmp(rid((unsigned)r), id) != 0) {
            gap("corpus/%s/%s: %s is not a rule ID of include/hd/rules.def", dir, n, id);
            continue;
        }
        char want = hd_rule_get((hd_rule)r)->severity == HD_SEV_ERROR ? 'n' : 'i';
        if (n[0] != want)
            gap("corpus/%s/%s: %s is %s-level, so its cases are named %c_%s_*.hd", dir, n, id,
                hd_severity_name(hd_rule_get((hd_rule)r)->severity), want, id);
        else
            met[r] = true;
    }
    closedir(d);
}

static void test_corpus(void **state)
{
    bool met[HD_RULE_COUNT] = {false};
    (void)state;
    nfail = 0;
    scan_corpus("generated", met);
    scan_corpus("conformance", met);
    judge(met, no_corpus, "a corpus case",
          "no corpus/generated or corpus/conformance file n_<ID>_*.hd (error) / i_<ID>_*.hd (warning, info): "
          "add one to corpus/generated/MANIFEST and run check.sh regen");
    verdict("corpus cases");
}

/* ---- 3. FORMAT.md §5 invariants --------------------------------------------------------------------------- */

#define MAXINV 256
static char invariants[MAXINV][16];
static unsigned ninvariants;

static void trim(char *s)
{
    size_t n = strlen(s), i = 0;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    memmove(s, s + i, n - i + 1);
}

/* The first cells of the table rows of §5 (between "## 5." and "## 6."). */
static void read_invariants(void)
{
    char path[1024], *text, *line, *save = NULL;
    bool in5 = false;
    snprintf(path, sizeof path, "%s/docs/FORMAT.md", HD_SOURCE_DIR);
    text = slurp(path, NULL);
    ninvariants = 0;
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "## ", 3) == 0)
            in5 = strncmp(line, "## 5.", 5) == 0;
        if (!in5 || line[0] != '|')
            continue;
        char cell[64];
        const char *bar = strchr(line + 1, '|');
        size_t n = bar != NULL ? (size_t)(bar - (line + 1)) : 0;
        if (n == 0 || n >= sizeof cell)
            continue;
        memcpy(cell, line + 1, n);
        cell[n] = '\0';
        trim(cell);
        if (cell[0] == '\0' || cell[0] == '-' || strcmp(cell, "id") == 0)
            continue;                                   /* the header row and its --- separator */
        for (unsigned i = 0; i < ninvariants; i++)
            if (strcmp(invariants[i], cell) == 0)
                gap("docs/FORMAT.md §5: invariant %s has two rows", cell);
        if (ninvariants < MAXINV && strlen(cell) < sizeof invariants[0])
            strcpy(invariants[ninvariants++], cell);
    }
    free(text);
}

static bool is_invariant(const char *id)
{
    for (unsigned i = 0; i < ninvariants; i++)
        if (strcmp(invariants[i], id) == 0)
            return true;
    return false;
}

static void test_invariants(void **state)
{
    bool met[HD_RULE_COUNT] = {false};
    (void)state;
    nfail = 0;
    read_invariants();
    if (ninvariants < 2)
        gap("docs/FORMAT.md: found %u invariant rows in §5", ninvariants);
    for (unsigned r = 0; r < HD_RULE_COUNT; r++) {
        char col[64], *tok, *save = NULL;
        snprintf(col, sizeof col, "%s", hd_rule_get((hd_rule)r)->invariant);
        met[r] = strcmp(col, "-") != 0;                 /* "-": only an exemption allows it */
        for (tok = strtok_r(col, ",", &save); met[r] && tok != NULL; tok = strtok_r(NULL, ",", &save)) {
            trim(tok);
            if (!is_invariant(tok))
                gap("rule %s (%s, HD_R_%s): invariant %s is not a row of docs/FORMAT.md §5", rid(r),
                    hd_rule_get((hd_rule)r)->name, idents[r], tok);
        }
    }
    judge(met, no_invariant, "an invariant", "its invariant column is \"-\"");
    verdict("invariants");
}

/* ---- 4. unit tests that fire a rule alone ----------------------------------------------------------------- */

typedef struct {
    char  *s;        /* the file with comments, strings and character constants blanked */
    size_t n;
} csrc;

static void blank(char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != '\n')
            p[i] = ' ';
}

static csrc load_c(const char *path)
{
    csrc c;
    c.s = slurp(path, &c.n);
    for (size_t i = 0; i < c.n; i++) {
        if (c.s[i] == '/' && c.s[i + 1] == '*') {
            char *e = strstr(c.s + i + 2, "*/");
            size_t end = e != NULL ? (size_t)(e - c.s) + 2 : c.n;
            blank(c.s + i, end - i);
            i = end - 1;
        } else if (c.s[i] == '/' && c.s[i + 1] == '/') {
            size_t end = i;
            while (end < c.n && c.s[end] != '\n')
                end++;
            blank(c.s + i, end - i);
            i = end - 1;
        } else if (c.s[i] == '"' || c.s[i] == '\'') {
            char q = c.s[i];
            size_t end = i + 1;
            while (end < c.n && c.s[end] != q && c.s[end] != '\n')
                end += c.s[end] == '\\' ? 2 : 1;
            if (end > c.n)
                end = c.n;
            blank(c.s + i + 1, end - i - 1);   /* keep the quotes: "" stays a primary expression */
            i = end;
        } else if (c.s[i] == '#' && (i == 0 || c.s[i - 1] == '\n')) {
            size_t end = i;                     /* preprocessor lines (with continuations) */
            while (end < c.n && !(c.s[end] == '\n' && c.s[end - 1] != '\\'))
                end++;
            blank(c.s + i, end - i);
            i = end - 1;
        }
    }
    return c;
}

static bool idch(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'; }

/* The identifier that ends just before position `end` (after skipping blanks), copied to out. */
static bool ident_before(const csrc *c, size_t end, char *out, size_t outn)
{
    size_t e = end, b;
    while (e > 0 && (c->s[e - 1] == ' ' || c->s[e - 1] == '\t' || c->s[e - 1] == '\n'))
        e--;
    b = e;
    while (b > 0 && idch(c->s[b - 1]))
        b--;
    if (b == e || e - b >= outn || (c->s[b] >= '0' && c->s[b] <= '9'))
        return false;
    memcpy(out, c->s + b, e - b);
    out[e - b] = '\0';
    return true;
}

/* A set of names. */
typedef struct {
    char   (*v)[64];
    unsigned n, cap;
} names;

static bool has(const names *s, const char *x)
{
    for (unsigned i = 0; i < s->n; i++)
        if (strcmp(s->v[i], x) == 0)
            return true;
    return false;
}

static bool add(names *s, const char *x)
{
    if (has(s, x))
        return false;
    if (s->n == s->cap) {
        s->cap = 2 * s->cap + 16;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        assert_non_null(s->v);
    }
    size_t len = strlen(x) < sizeof s->v[0] ? strlen(x) : sizeof s->v[0] - 1;   /* names are < 64 (ident_before) */
    memcpy(s->v[s->n], x, len);
    s->v[s->n++][len] = '\0';
    return true;
}

/* The function definitions of a file: name and body [open brace, close brace]. */
typedef struct {
    char   name[64];
    size_t body, end;
} fdef;

static unsigned functions(const csrc *c, fdef *out, unsigned max)
{
    unsigned n = 0;
    int depth = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->s[i] == '{') {
            if (depth == 0) {
                size_t j = i;
                while (j > 0 && (c->s[j - 1] == ' ' || c->s[j - 1] == '\n' || c->s[j - 1] == '\t'))
                    j--;
                if (j > 0 && c->s[j - 1] == ')' && n < max) {
                    int pd = 0;                          /* the matching '(' of the parameter list */
                    size_t k = j - 1;
                    for (;; k--) {
                        pd += c->s[k] == ')' ? 1 : c->s[k] == '(' ? -1 : 0;
                        if (pd == 0 || k == 0)
                            break;
                    }
                    if (ident_before(c, k, out[n].name, sizeof out[n].name)) {
                        out[n].body = i;
                        out[n].end = c->n;
                        n++;
                    }
                }
            }
            depth++;
        } else if (c->s[i] == '}') {
            depth--;
            if (depth == 0 && n > 0 && out[n - 1].end == c->n)
                out[n - 1].end = i;
        }
    }
    return n;
}

/* Does [from, to) of c call a function of `set`? */
static bool calls_any(const csrc *c, size_t from, size_t to, const names *set)
{
    char id[64];
    for (size_t i = from; i < to; i++)
        if (c->s[i] == '(' && ident_before(c, i, id, sizeof id) && has(set, id))
            return true;
    return false;
}

/* Add the functions of `files` whose bodies call a member of `set`, until nothing changes. */
static void close_over(const csrc *files, unsigned nfiles, names *set)
{
    static fdef defs[1024];
    bool changed = true;
    while (changed) {
        changed = false;
        for (unsigned f = 0; f < nfiles; f++) {
            unsigned n = functions(&files[f], defs, 1024);
            for (unsigned i = 0; i < n; i++)
                if (!has(set, defs[i].name) && calls_any(&files[f], defs[i].body, defs[i].end, set))
                    changed |= add(set, defs[i].name);
        }
    }
}

/* The callee of the innermost call whose parentheses enclose position p ("" if none: a declaration, an
 * initializer, a statement). */
static void enclosing_call(const csrc *c, size_t p, char *out, size_t outn)
{
    int depth = 0;
    out[0] = '\0';
    for (size_t i = p; i > 0; i--) {
        char ch = c->s[i - 1];
        if (ch == ')')
            depth++;
        else if (ch == '(') {
            if (depth > 0)
                depth--;
            else if (ident_before(c, i - 1, out, outn))
                return;
            else
                continue;                              /* a parenthesised expression or cast: look further out */
        } else if (depth == 0 && (ch == ';' || ch == '{' || ch == '}'))
            return;
    }
}

static unsigned list_c(const char *dir, char (*paths)[512], unsigned max)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    unsigned n = 0;
    if (d == NULL)
        fail_msg("cannot list %s", dir);
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 2 && strcmp(e->d_name + len - 2, ".c") == 0 && n < max)
            snprintf(paths[n++], sizeof paths[0], "%s/%s", dir, e->d_name);
    }
    closedir(d);
    return n;
}

/* The rule a text case's header names, when it names exactly one (`;; expect: n S105`); -1 otherwise. */
static int text_case_rule(const char *path)
{
    char line[512], verdict[8], id[16], extra[16];
    int rule = -1;
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL && strncmp(line, ";;", 2) == 0) {
        const char *x = strstr(line, "expect:");
        if (x == NULL || sscanf(x + 7, "%7s %15s %15s", verdict, id, extra) != 2)
            continue;
        for (int r = 0; r < HD_RULE_COUNT; r++)
            if (strcmp(hd_rule_get((hd_rule)r)->id, id) == 0)
                rule = r;
    }
    fclose(f);
    return rule;
}

/* Mark the rules of the .hdt files of corpus/conformance one-rule cases (test_structural.c judges every one). */
static void mark_text_cases(bool met[HD_RULE_COUNT])
{
    char dir[1024], path[2048];
    DIR *d;
    struct dirent *e;
    snprintf(dir, sizeof dir, "%s/corpus/conformance", HD_SOURCE_DIR);
    d = opendir(dir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".hdt") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        int r = text_case_rule(path);
        if (r >= 0)
            met[r] = true;
    }
    closedir(d);
}

static void test_unit_tests(void **state)
{
    static char paths[128][512];
    char dir[1024], callee[64];
    csrc support[16];
    names base = {0};
    bool met[HD_RULE_COUNT] = {false}, cases_run = false;
    unsigned nsupport, nunit;
    (void)state;
    nfail = 0;

    add(&base, "tcheck_only");
    snprintf(dir, sizeof dir, "%s/tests/support", HD_SOURCE_DIR);
    nsupport = list_c(dir, paths, 16);
    for (unsigned i = 0; i < nsupport; i++)
        support[i] = load_c(paths[i]);
    close_over(support, nsupport, &base);

    snprintf(dir, sizeof dir, "%s/tests/unit", HD_SOURCE_DIR);
    nunit = list_c(dir, paths, 128);
    for (unsigned f = 0; f < nunit; f++) {
        const char *file = strrchr(paths[f], '/') + 1;
        if (strcmp(file, "test_rules.c") == 0 || strcmp(file, "test_inject.c") == 0)
            continue;
        csrc c = load_c(paths[f]);
        names set = {0};
        for (unsigned i = 0; i < base.n; i++)
            add(&set, base.v[i]);
        close_over(&c, 1, &set);
        for (size_t i = 0; i + 5 < c.n; i++) {
            bool rule_tok = strncmp(c.s + i, "HD_R_", 5) == 0, cases_tok = strncmp(c.s + i, "tcase_judge", 11) == 0;
            if ((!rule_tok && !cases_tok) || (i > 0 && idch(c.s[i - 1])))
                continue;
            size_t e = i;
            while (e < c.n && idch(c.s[e]))
                e++;
            if (cases_tok && e - i == 11 && e < c.n && c.s[e] == '(') {
                cases_run = true;
                continue;
            }
            enclosing_call(&c, i, callee, sizeof callee);
            if (callee[0] == '\0' || !has(&set, callee))
                continue;
            for (unsigned r = 0; rule_tok && r < HD_RULE_COUNT; r++)
                if (e - i - 5 == strlen(idents[r]) && strncmp(c.s + i + 5, idents[r], e - i - 5) == 0)
                    met[r] = true;
        }
        free(set.v);
        free(c.s);
    }
    if (cases_run)
        mark_text_cases(met);
    judge(met, no_unit_test, "a unit test that fires it alone",
          "no unit test fires it alone (pass HD_R_<IDENT> to tcheck_only, or to a helper that calls it, in a "
          "tests/unit file; or add a one-rule .hdt case to corpus/conformance)");
    for (unsigned i = 0; i < nsupport; i++)
        free(support[i].s);
    free(base.v);
    verdict("unit tests");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defects),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_invariants),
        cmocka_unit_test(test_unit_tests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
