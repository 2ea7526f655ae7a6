/* tcase.c — see tcase.h. */
#include "tcase.h"
#include "hd/textform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(tcase *c, const char *msg, const char *path)
{
    snprintf(c->error, sizeof c->error, "%s: %s", path, msg);
    return -1;
}

/* ";; expect: V RULE..." anywhere in the text (by convention in the leading comment). */
static int parse_expect(tcase *c, const char *text, const char *path)
{
    const char *p = strstr(text, ";; expect:");
    char line[256], *save = NULL, *w;
    size_t n;
    if (p == NULL)
        return fail(c, "no ';; expect:' line", path);
    p += strlen(";; expect:");
    n = strcspn(p, "\n");
    if (n >= sizeof line)
        return fail(c, "the expectation line is too long", path);
    memcpy(line, p, n);
    line[n] = 0;
    w = strtok_r(line, " \t\r", &save);
    if (w == NULL || strlen(w) != 1 || strchr("yni", w[0]) == NULL)
        return fail(c, "the expectation must start with y, n or i", path);
    c->verdict = w[0];
    while ((w = strtok_r(NULL, " \t\r", &save)) != NULL) {
        int r = hd_rule_find(w);
        if (r < 0)
            return fail(c, "unknown rule in the expectation", path);
        if (c->nrules == TCASE_RULES)
            return fail(c, "too many rules in the expectation", path);
        c->rules[c->nrules++] = r;
    }
    if ((c->verdict == 'y') != (c->nrules == 0))
        return fail(c, "y takes no rule; n and i need at least one", path);
    return 0;
}

int tcase_load(const char *path, tcase *c)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0;
    hd_out *o;
    hd_asm_result res;
    int rc = -1;

    memset(c, 0, sizeof *c);
    if (f == NULL)
        return fail(c, "cannot open", path);
    if (fseek(f, 0, SEEK_END) == 0 && ftell(f) > 0 && (len = (size_t)ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (text = malloc(len + 1)) != NULL && fread(text, 1, len, f) == len) {
        text[len] = 0;
        rc = 0;
    }
    fclose(f);
    if (rc < 0 || (o = malloc(sizeof *o)) == NULL) {
        free(text);
        return fail(c, "cannot read", path);
    }
    rc = parse_expect(c, text, path);
    hd_out_init_mem(o, &c->bytes);
    if (rc == 0 && hd_asm_mem(text, len, o, 0, &res) < 0) {
        snprintf(c->error, sizeof c->error, "%s:%u:%u: %s", path, res.line, res.col, res.msg);
        rc = -1;
    }
    free(o);
    free(text);
    return rc;
}

void tcase_free(tcase *c)
{
    free(c->bytes.p);
    memset(c, 0, sizeof *c);
}

int tcase_check_name(const tcase *c, const char *name, char *why, size_t n)
{
    char id[16];
    size_t k;
    int r;
    bool listed = false;
    if ((name[0] != 'y' && name[0] != 'n' && name[0] != 'i') || name[1] != '_')
        return 0;                 /* no expectation in the name */
    if (name[0] != c->verdict) {
        snprintf(why, n, "the name says %c, the expectation %c", name[0], c->verdict);
        return -1;
    }
    if (name[0] == 'y')
        return 0;
    k = strcspn(name + 2, "_.");
    if (k == 0 || k >= sizeof id) {
        snprintf(why, n, "no rule after the prefix");
        return -1;
    }
    memcpy(id, name + 2, k);
    id[k] = 0;
    r = hd_rule_find(id);
    for (unsigned i = 0; i < c->nrules; i++)
        listed |= c->rules[i] == r;
    if (!listed) {
        snprintf(why, n, "the name's rule %s is not in the expectation", id);
        return -1;
    }
    return 0;
}

static void count(void *ctx, const hd_diag *d)
{
    tcase_tally *t = ctx;
    t->count[d->rule]++;
    t->total++;
}

hd_diag_sink tcase_sink(tcase_tally *t)
{
    hd_diag_sink s = {count, t};
    memset(t, 0, sizeof *t);
    return s;
}

bool tcase_judge(const tcase *c, const tcase_tally *t, bool valid, char *why, size_t n)
{
    uint64_t expected = 0;
    if (c->verdict == 'y') {
        if (t->total == 0 && valid)
            return true;
        snprintf(why, n, "expected no diagnostic, got %llu", (unsigned long long)t->total);
        return false;
    }
    if (valid != (c->verdict == 'i')) {
        snprintf(why, n, "expected %s, got %s", c->verdict == 'i' ? "valid" : "invalid", valid ? "valid" : "invalid");
        return false;
    }
    for (unsigned i = 0; i < c->nrules; i++) {
        if (t->count[c->rules[i]] == 0) {
            snprintf(why, n, "%s did not fire", hd_rule_get((hd_rule)c->rules[i])->id);
            return false;
        }
        expected += t->count[c->rules[i]];
    }
    if (expected != t->total) {
        for (int r = 0; r < HD_RULE_COUNT; r++) {
            bool listed = false;
            for (unsigned i = 0; i < c->nrules; i++)
                listed |= c->rules[i] == r;
            if (t->count[r] > 0 && !listed) {
                snprintf(why, n, "%s fired too (%llu times)", hd_rule_get((hd_rule)r)->id,
                         (unsigned long long)t->count[r]);
                break;
            }
        }
        return false;
    }
    return true;
}
