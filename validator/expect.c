/* expect.c — evaluates "KEY OP N" against a result (see hd/expect.h). */
#include "hd/expect.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int key_value(const char *key, size_t n, const hd_result *res, uint64_t *out)
{
    static const struct { const char *name; size_t at; } scalars[] = {
        {"records", offsetof(hd_result, records)},   {"errors", offsetof(hd_result, errors)},
        {"warnings", offsetof(hd_result, warnings)}, {"max_frames", offsetof(hd_result, max_frames)},
        {"size", offsetof(hd_result, size)},
    };
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
        if (strlen(scalars[i].name) == n && memcmp(scalars[i].name, key, n) == 0) {
            *out = *(const uint64_t *)((const char *)res + scalars[i].at);
            return 0;
        }
    if (n == 7 && memcmp(key, "ptrsize", 7) == 0) {
        *out = res->ptrsize;
        return 0;
    }
    for (unsigned t = 0; t < HD_TAG_COUNT; t++)
        if (strlen(hd_tag_name(t)) == n && memcmp(hd_tag_name(t), key, n) == 0) {
            *out = res->count[t];
            return 0;
        }
    return -1;
}

int hd_expect_eval(const char *expr, const hd_result *res, uint64_t *got)
{
    static const char *const ops[] = {">=", "<=", "==", "!=", ">", "<"};
    const char *p = expr, *key;
    size_t klen;
    int op = -1;
    unsigned long long n;
    char *end;
    uint64_t v;

    while (isspace((unsigned char)*p))
        p++;
    key = p;
    while (isalnum((unsigned char)*p) || *p == '_')
        p++;
    klen = (size_t)(p - key);
    while (isspace((unsigned char)*p))
        p++;
    for (int i = 0; i < 6 && op < 0; i++)
        if (strncmp(p, ops[i], strlen(ops[i])) == 0) {
            op = i;
            p += strlen(ops[i]);
        }
    if (klen == 0 || op < 0 || key_value(key, klen, res, &v) < 0)
        return -1;
    while (isspace((unsigned char)*p))
        p++;
    if (!isdigit((unsigned char)*p))
        return -1;
    errno = 0;
    n = strtoull(p, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (errno != 0 || *end != 0)
        return -1;
    *got = v;
    switch (op) {
    case 0: return v >= n;
    case 1: return v <= n;
    case 2: return v == n;
    case 3: return v != n;
    case 4: return v > n;
    default: return v < n;
    }
}
