/* labels.c — labels and expressions (see labels.h). */
#define _DEFAULT_SOURCE   /* getrandom */
#include "labels.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define MAX_DEPTH 64      /* labels defined through labels, nested parentheses */

typedef struct {
    char    *name, *def;
    size_t   n, dn;
    uint64_t value;
    int      state;       /* 0 not evaluated, 1 being evaluated, 2 value known */
} label;

struct tf_labels {
    label   *v;
    size_t   cap, n;      /* open addressing, at most half full */
    uint64_t seed;
    unsigned depth;
};

static uint64_t hash(const tf_labels *t, const char *s, size_t n)
{
    uint64_t h = UINT64_C(14695981039346656037) ^ t->seed;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * UINT64_C(1099511628211);
    return h ^ (h >> 29);
}

tf_labels *tf_labels_new(void)
{
    tf_labels *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    /* keyed per process: a text cannot choose names that collide */
    if (getrandom(&t->seed, sizeof t->seed, GRND_NONBLOCK) != (ssize_t)sizeof t->seed)
        t->seed = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)t;
    return t;
}

void tf_labels_free(tf_labels *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->cap; i++) {
        free(t->v[i].name);
        free(t->v[i].def);
    }
    free(t->v);
    free(t);
}

static label *find(const tf_labels *t, const char *s, size_t n)
{
    if (t->cap == 0)
        return NULL;
    for (size_t i = hash(t, s, n) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        label *e = &t->v[i];
        if (e->name == NULL)
            return NULL;
        if (e->n == n && memcmp(e->name, s, n) == 0)
            return e;
    }
}

static void place(tf_labels *t, label e)
{
    size_t i = hash(t, e.name, e.n) & (t->cap - 1);
    while (t->v[i].name != NULL)
        i = (i + 1) & (t->cap - 1);
    t->v[i] = e;
}

static int grow(tf_labels *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64, old = t->cap;
    label *v = calloc(cap, sizeof *v), *prev = t->v;
    if (v == NULL)
        return -1;
    t->v = v;
    t->cap = cap;
    for (size_t i = 0; i < old; i++)
        if (prev[i].name != NULL)
            place(t, prev[i]);
    free(prev);
    return 0;
}

static char *copy(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

int tf_labels_define(tf_labels *t, const char *name, size_t n, const char *def, size_t dn)
{
    label e = {NULL, NULL, n, dn, 0, 0};
    if (find(t, name, n) != NULL)
        return -1;
    if ((t->n + 1) * 2 > t->cap && grow(t) < 0)
        return -1;
    e.name = copy(name, n);
    e.def = copy(def, dn);
    if (e.name == NULL || e.def == NULL) {
        free(e.name);
        free(e.def);
        return -1;
    }
    place(t, e);
    t->n++;
    return 0;
}

bool tf_is_keyword(const token *tok)
{
    static const char *const words[] = {"true", "false", "raw", "zero", "w", "cut", "header", "layout", "set"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (tok_is(tok, TK_IDENT, words[i]))
            return true;
    return false;
}

static int fail(const char **err, const char **at, const char *msg, const char *where)
{
    *err = msg;
    *at = where;
    return -1;
}

/* The value of a label, evaluating its definition the first time. */
static int label_value(tf_labels *t, const token *tok, uint64_t *v, const char **err, const char **at)
{
    label *e = find(t, tok->s, tok->n);
    lexer sub;
    const char *suberr = NULL, *subat = NULL;

    if (e == NULL)
        return fail(err, at, "unknown label", tok->s);
    if (e->state == 2) {
        *v = e->value;
        return 0;
    }
    if (e->state == 1 || t->depth >= MAX_DEPTH)
        return fail(err, at, "label defined through itself (or nested too deep)", tok->s);
    e->state = 1;
    t->depth++;
    lex_init(&sub, e->def, e->dn);
    if (tf_expr(&sub, t, v, &suberr, &subat) < 0 || sub.tok.k != TK_END) {
        t->depth--;
        e->state = 0;
        return fail(err, at, suberr != NULL ? suberr : "label definition is not an expression", tok->s);
    }
    t->depth--;
    e = find(t, tok->s, tok->n);   /* evaluation does not add labels, but stay safe */
    e->state = 2;
    e->value = *v;
    return 0;
}

static int expr(lexer *l, tf_labels *t, uint64_t *v, const char **err, const char **at, unsigned depth);

static int term(lexer *l, tf_labels *t, uint64_t *v, const char **err, const char **at, unsigned depth)
{
    token tok = l->tok;
    if (depth > MAX_DEPTH)
        return fail(err, at, "expression nested too deep", tok.s);
    if (tok.k == TK_NUM) {
        *v = tok.v;
        lex_next(l);
        return 0;
    }
    if (tok.k == TK_IDENT && !tf_is_keyword(&tok)) {
        lex_next(l);
        if (t == NULL) {
            *v = 0;
            return 0;
        }
        return label_value(t, &tok, v, err, at);
    }
    if (tok_punct(&tok, '(')) {
        int rc;
        lex_next(l);
        rc = expr(l, t, v, err, at, depth + 1);
        if (rc < 0)
            return rc;
        if (!tok_punct(&l->tok, ')'))
            return fail(err, at, "')' expected", l->tok.s);
        lex_next(l);
        return 0;
    }
    return fail(err, at, tok.k == TK_ERR && l->err != NULL ? l->err : "a number or a label expected", tok.s);
}

static int expr(lexer *l, tf_labels *t, uint64_t *v, const char **err, const char **at, unsigned depth)
{
    uint64_t acc = 0, x;
    bool neg = false;

    if (tok_punct(&l->tok, '-')) {
        neg = true;
        lex_next(l);
    }
    if (term(l, t, &acc, err, at, depth) < 0)
        return -1;
    if (neg)
        acc = 0 - acc;
    while (tok_punct(&l->tok, '+') || tok_punct(&l->tok, '-')) {
        bool minus = l->tok.s[0] == '-';
        lex_next(l);
        if (term(l, t, &x, err, at, depth) < 0)
            return -1;
        acc = minus ? acc - x : acc + x;
    }
    *v = acc;
    return 0;
}

int tf_expr(lexer *l, tf_labels *t, uint64_t *v, const char **err, const char **at)
{
    return expr(l, t, v, err, at, 0);
}
