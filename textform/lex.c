/* lex.c — the text form's tokens (see lex.h). */
#include "lex.h"

#include <string.h>

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_ident(char c) { return is_alpha(c) || is_digit(c) || c == '.'; }

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static token make(tk_kind k, const char *s, size_t n)
{
    token t;
    t.k = k;
    t.s = s;
    t.n = n;
    t.v = 0;
    return t;
}

/* An escape after a backslash at p (p < end): its byte value, and its length in *len; -1 if malformed. */
static int escape(const char *p, const char *end, size_t *len)
{
    *len = 1;
    switch (*p) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case '0': return 0;
    case '\\': return '\\';
    case '"': return '"';
    case '\'': return '\'';
    case 'x':
        if (end - p < 3 || hexval(p[1]) < 0 || hexval(p[2]) < 0)
            return -1;
        *len = 3;
        return hexval(p[1]) * 16 + hexval(p[2]);
    default: return -1;
    }
}

static token number(lexer *l, const char *s)
{
    const char *p = s;
    uint64_t v = 0;
    token t;
    if (p[0] == '0' && p + 1 < l->end && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        if (p == l->end || hexval(*p) < 0)
            return l->err = "0x without hex digits", make(TK_ERR, s, (size_t)(p - s));
        for (; p < l->end && hexval(*p) >= 0; p++) {
            if (v >> 60 != 0)
                return l->err = "number does not fit in 64 bits", make(TK_ERR, s, (size_t)(p - s));
            v = v * 16 + (uint64_t)hexval(*p);
        }
    } else {
        for (; p < l->end && is_digit(*p); p++) {
            uint64_t d = (uint64_t)(*p - '0');
            if (v > (UINT64_MAX - d) / 10)
                return l->err = "number does not fit in 64 bits", make(TK_ERR, s, (size_t)(p - s));
            v = v * 10 + d;
        }
    }
    if (p < l->end && is_ident(*p))
        return l->err = "a number runs into letters", make(TK_ERR, s, (size_t)(p - s));
    t = make(TK_NUM, s, (size_t)(p - s));
    t.v = v;
    return t;
}

static token character(lexer *l, const char *s)
{
    const char *p = s + 1;
    size_t len = 1;
    int c;
    token t;
    if (p >= l->end)
        return l->err = "unterminated character", make(TK_ERR, s, 1);
    c = (unsigned char)*p;
    if (*p == '\\') {
        if (p + 1 >= l->end || (c = escape(p + 1, l->end, &len)) < 0)
            return l->err = "bad escape in a character", make(TK_ERR, s, 2);
        len++;
    }
    p += len;
    if (p >= l->end || *p != '\'')
        return l->err = "unterminated character", make(TK_ERR, s, (size_t)(p - s));
    t = make(TK_NUM, s, (size_t)(p + 1 - s));
    t.v = (uint64_t)c;
    return t;
}

/* A quoted body starting at q (the opening quote); the token runs from s. */
static token quoted(lexer *l, const char *s, const char *q, tk_kind k)
{
    const char *p = q + 1;
    while (p < l->end && *p != '"') {
        if (*p == '\\' && p + 1 < l->end)
            p++;
        p++;
    }
    if (p >= l->end)
        return l->err = "unterminated string", make(TK_ERR, s, (size_t)(p - s));
    return make(k, s, (size_t)(p + 1 - s));
}

static token scan(lexer *l, const char *p)
{
    while (p < l->end && is_space(*p))
        p++;
    if (p >= l->end || *p == ';' || *p == '\n')
        return make(TK_END, p, 0);
    if (is_digit(*p))
        return number(l, p);
    if (*p == '\'')
        return character(l, p);
    if (*p == '"')
        return quoted(l, p, p, TK_STR);
    if (*p == 'x' && p + 1 < l->end && p[1] == '"')
        return quoted(l, p, p + 1, TK_HEX);
    if (is_alpha(*p)) {
        const char *s = p;
        while (p < l->end && is_ident(*p))
            p++;
        return make(TK_IDENT, s, (size_t)(p - s));
    }
    if (*p == '.' && l->end - p >= 3 && p[1] == '.' && p[2] == '.')
        return make(TK_DOTS, p, 3);
    if (strchr("=@[]()+-:#,", *p) != NULL && *p != 0)
        return make(TK_PUNCT, p, 1);
    l->err = "unexpected character";
    return make(TK_ERR, p, 1);
}

void lex_init(lexer *l, const char *line, size_t n)
{
    l->start = l->p = line;
    l->end = line + n;
    l->err = NULL;
    l->tok = scan(l, l->p);
}

void lex_next(lexer *l)
{
    if (l->tok.k == TK_END || l->tok.k == TK_ERR)
        return;
    l->p = l->tok.s + l->tok.n;
    l->tok = scan(l, l->p);
}

token lex_peek(const lexer *l)
{
    lexer copy = *l;
    lex_next(&copy);
    return copy.tok;
}

unsigned lex_col(const lexer *l, const char *at) { return (unsigned)(at - l->start) + 1; }

bool tok_is(const token *t, tk_kind k, const char *text)
{
    return t->k == k && strlen(text) == t->n && memcmp(t->s, text, t->n) == 0;
}

bool tok_punct(const token *t, char c) { return t->k == TK_PUNCT && t->s[0] == c; }

long long lex_decode(const token *t, uint8_t *out, const char **err)
{
    long long n = 0;
    if (t->k == TK_HEX) {
        int hi = -1;
        for (const char *p = t->s + 2; p < t->s + t->n - 1; p++) {
            int v = hexval(*p);
            if (is_space(*p) || *p == '\n')
                continue;
            if (v < 0)
                return *err = "not a hex digit in x\"...\"", -1;
            if (hi < 0) {
                hi = v;
            } else {
                out[n++] = (uint8_t)(hi * 16 + v);
                hi = -1;
            }
        }
        if (hi >= 0)
            return *err = "odd number of hex digits in x\"...\"", -1;
        return n;
    }
    for (const char *p = t->s + 1, *end = t->s + t->n - 1; p < end;) {
        if (*p == '\\') {
            size_t len;
            int c = p + 1 < end ? escape(p + 1, end, &len) : -1;
            if (c < 0)
                return *err = "bad escape in a string (\\n \\t \\r \\0 \\\\ \\\" \\' \\xHH)", -1;
            out[n++] = (uint8_t)c;
            p += 1 + len;
        } else {
            out[n++] = (uint8_t)*p++;
        }
    }
    return n;
}
