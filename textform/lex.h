/* lex.h — tokens of one line of the text form (docs/textform.md).
 *
 * A line is lexed on demand, one token of look-ahead. Numbers are decimal, 0x-hex or 'c' character literals;
 * strings "…" and hex strings x"…" are returned as spans and decoded by lex_decode; ';' starts a comment that
 * runs to the end of the line. */
#ifndef TF_LEX_H
#define TF_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    TK_END,       /* end of line (or a comment) */
    TK_NUM,       /* v */
    TK_IDENT,     /* [A-Za-z_][A-Za-z0-9_.]* */
    TK_STR,       /* "…": body in s[1..n-1) */
    TK_HEX,       /* x"…": body in s[2..n-1) */
    TK_PUNCT,     /* one of = @ [ ] ( ) + - : # , */
    TK_DOTS,      /* ... */
    TK_ERR        /* a malformed token: lexer.err says why */
} tk_kind;

typedef struct {
    tk_kind     k;
    const char *s;    /* the token's text */
    size_t      n;
    uint64_t    v;    /* TK_NUM */
} token;

typedef struct {
    const char *start, *p, *end;   /* the line */
    token       tok;               /* the current token */
    const char *err;
} lexer;

void lex_init(lexer *l, const char *line, size_t n);
void lex_next(lexer *l);                 /* advance: l->tok is the next token */
/* Peek at the token after the current one without consuming anything. */
token lex_peek(const lexer *l);
unsigned lex_col(const lexer *l, const char *at);   /* 1-based column of a place in the line */

bool tok_is(const token *t, tk_kind k, const char *text);   /* kind and exact text ("cut", "=") */
bool tok_punct(const token *t, char c);

/* Decode a TK_STR or TK_HEX token into out (room for tok->n bytes); returns the length, or -1 with *err set
 * (an odd number of hex digits, a bad escape). */
long long lex_decode(const token *t, uint8_t *out, const char **err);

#endif
