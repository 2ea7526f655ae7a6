/* json_check.h — a tiny strict JSON syntax checker for the reporter's JSON Lines output (fuzz only).
 *
 * json_check_line(p, n) is true when p[0..n) is exactly one JSON value (RFC 8259 grammar, no extensions)
 * made of printable ASCII only. The reporter escapes every byte < 0x20 and >= 0x7f, so its output must
 * pass; anything else means an escaping bug. Recursion depth is bounded. */
#ifndef HD_FUZZ_JSON_CHECK_H
#define HD_FUZZ_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *p;
    size_t i, n;
} json_cur;

static bool json_value(json_cur *c, int depth);

static inline void json_ws(json_cur *c)
{
    while (c->i < c->n && (c->p[c->i] == ' ' || c->p[c->i] == '\t' || c->p[c->i] == '\n' || c->p[c->i] == '\r'))
        c->i++;
}

static inline bool json_lit(json_cur *c, const char *s)
{
    size_t k = 0;
    while (s[k] != 0) {
        if (c->i + k >= c->n || c->p[c->i + k] != s[k])
            return false;
        k++;
    }
    c->i += k;
    return true;
}

static inline bool json_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static inline bool json_string(json_cur *c)
{
    if (c->i >= c->n || c->p[c->i] != '"')
        return false;
    c->i++;
    while (c->i < c->n) {
        unsigned char ch = (unsigned char)c->p[c->i++];
        if (ch == '"')
            return true;
        if (ch < 0x20 || ch >= 0x7f)
            return false;          /* raw control or non-ASCII byte inside a string */
        if (ch != '\\')
            continue;
        if (c->i >= c->n)
            return false;
        ch = (unsigned char)c->p[c->i++];
        if (ch == 'u') {
            for (int k = 0; k < 4; k++)
                if (c->i >= c->n || !json_hex(c->p[c->i++]))
                    return false;
        } else if (ch != '"' && ch != '\\' && ch != '/' && ch != 'b' && ch != 'f' && ch != 'n' && ch != 'r' &&
                   ch != 't') {
            return false;
        }
    }
    return false;
}

static inline bool json_digits(json_cur *c)
{
    size_t start = c->i;
    while (c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '9')
        c->i++;
    return c->i > start;
}

static inline bool json_number(json_cur *c)
{
    if (c->i < c->n && c->p[c->i] == '-')
        c->i++;
    if (c->i < c->n && c->p[c->i] == '0')
        c->i++;
    else if (!json_digits(c))
        return false;
    if (c->i < c->n && c->p[c->i] == '.') {
        c->i++;
        if (!json_digits(c))
            return false;
    }
    if (c->i < c->n && (c->p[c->i] == 'e' || c->p[c->i] == 'E')) {
        c->i++;
        if (c->i < c->n && (c->p[c->i] == '+' || c->p[c->i] == '-'))
            c->i++;
        if (!json_digits(c))
            return false;
    }
    return true;
}

static inline bool json_container(json_cur *c, int depth, char close, bool object)
{
    c->i++;   /* the opening bracket */
    json_ws(c);
    if (c->i < c->n && c->p[c->i] == close) {
        c->i++;
        return true;
    }
    for (;;) {
        if (object) {
            if (!json_string(c))
                return false;
            json_ws(c);
            if (c->i >= c->n || c->p[c->i] != ':')
                return false;
            c->i++;
        }
        if (!json_value(c, depth + 1))
            return false;
        json_ws(c);
        if (c->i >= c->n)
            return false;
        if (c->p[c->i] == close) {
            c->i++;
            return true;
        }
        if (c->p[c->i] != ',')
            return false;
        c->i++;
        json_ws(c);
    }
}

static bool json_value(json_cur *c, int depth)
{
    if (depth > 32)
        return false;
    json_ws(c);
    if (c->i >= c->n)
        return false;
    switch (c->p[c->i]) {
    case '{': return json_container(c, depth, '}', true);
    case '[': return json_container(c, depth, ']', false);
    case '"': return json_string(c);
    case 't': return json_lit(c, "true");
    case 'f': return json_lit(c, "false");
    case 'n': return json_lit(c, "null");
    default: return json_number(c);
    }
}

/* Exactly one JSON value, optional surrounding blanks, nothing else. */
static inline bool json_check_line(const char *p, size_t n)
{
    json_cur c = {p, 0, n};
    if (!json_value(&c, 0))
        return false;
    json_ws(&c);
    return c.i == n;
}

#endif
