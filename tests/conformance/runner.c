/* runner.c — the conformance runner: every case file in the given folders must get its expected verdict.
 *
 * Names follow JSONTestSuite:
 *   y_<anything>            must be accepted with no diagnostic at all
 *   n_<RULE>_<anything>     must be rejected; every diagnostic must be RULE (ID like S105), at least one
 *   i_<RULE>_<anything>     must be accepted (no error); its diagnostics are warnings/infos of RULE only
 * A case in the text form (*.hdt) says what it expects in its header comment (";; expect: n S105", see
 * tests/support/tcase.h), may list several rules, and is assembled by libhdtext before it is judged; if it
 * also has such a name, the two must agree. Other files (README.md, …) are ignored. Prints one line per
 * failure and a closing "N passed, N failed" line; exit 0 only if nothing failed. */
#include "hd/validate.h"
#include "tcase.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    int      want;          /* HD_RULE_COUNT: none */
    unsigned other;         /* diagnostics of another rule */
    unsigned matching;      /* diagnostics of the wanted rule */
    char     first_other[64];
} tally;

static void count(void *ctx, const hd_diag *d)
{
    tally *t = ctx;
    if ((int)d->rule == t->want) {
        t->matching++;
    } else if (t->other++ == 0) {
        snprintf(t->first_other, sizeof t->first_other, "%s at 0x%llx", hd_rule_get(d->rule)->id,
                 (unsigned long long)d->offset);
    }
}

/* The rule named after the prefix: "n_S105_bool.hd" -> S105. -1 if none. */
static int rule_of(const char *name)
{
    char id[32];
    const char *p = name + 2, *e = strchr(p, '_');
    size_t n = e != NULL ? (size_t)(e - p) : strcspn(p, ".");
    if (n == 0 || n >= sizeof id)
        return -1;
    memcpy(id, p, n);
    id[n] = 0;
    return hd_rule_find(id);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A case in the text form: 1 pass, 0 fail. */
static int run_text_case(const char *dir, const char *name)
{
    char path[4096], why[320] = "";
    tcase c;
    tcase_tally t;
    hd_diag_sink sink = tcase_sink(&t);
    hd_result res;
    int ok;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (tcase_load(path, &c) < 0) {
        printf("FAIL %s: %s\n", name, c.error);
        tcase_free(&c);
        return 0;
    }
    hd_validate_mem(c.bytes.p, c.bytes.len, NULL, &sink, &res);
    ok = tcase_check_name(&c, name, why, sizeof why) == 0 && tcase_judge(&c, &t, hd_result_valid(&res), why, sizeof why);
    if (!ok)
        printf("FAIL %s: %s\n", name, why);
    tcase_free(&c);
    return ok;
}

/* 1 pass, 0 fail, -1 not a case. */
static int run_case(const char *dir, const char *name)
{
    char path[4096];
    tally t = {HD_RULE_COUNT, 0, 0, ""};
    hd_diag_sink sink = {count, &t};
    hd_result res;
    char kind = name[0];
    int fd, ok;

    if (has_suffix(name, ".hdt"))
        return run_text_case(dir, name);
    if ((kind != 'y' && kind != 'n' && kind != 'i') || name[1] != '_')
        return -1;
    if (kind != 'y' && (t.want = rule_of(name)) < 0) {
        printf("FAIL %s: no rule ID after the prefix\n", name);
        return 0;
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if ((fd = open(path, O_RDONLY)) < 0) {
        printf("FAIL %s: cannot open\n", name);
        return 0;
    }
    hd_validate_fd(fd, NULL, &sink, &res);
    close(fd);
    if (kind == 'y')
        ok = t.other == 0 && res.io_error == NULL;
    else if (kind == 'n')
        ok = !hd_result_valid(&res) && t.matching > 0 && t.other == 0;
    else
        ok = hd_result_valid(&res) && t.other == 0;
    if (!ok)
        printf("FAIL %s: %s, %llu errors, %u of the expected rule, %u others%s%s\n", name,
               hd_result_valid(&res) ? "accepted" : "rejected", (unsigned long long)res.errors, t.matching, t.other,
               t.other ? ", first: " : "", t.first_other);
    return ok;
}

int main(int argc, char **argv)
{
    unsigned pass = 0, fail = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        struct dirent *e;
        if (d == NULL) {
            printf("FAIL %s: not a folder\n", argv[i]);
            fail++;
            continue;
        }
        while ((e = readdir(d)) != NULL) {
            int r = run_case(argv[i], e->d_name);
            if (r == 1)
                pass++;
            else if (r == 0)
                fail++;
        }
        closedir(d);
    }
    printf("%u passed, %u failed\n", pass, fail);
    return fail == 0 && pass > 0 ? 0 : 1;
}
