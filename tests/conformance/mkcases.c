/* mkcases — writes the hand-built conformance cases (tests/support/cases.c) to a folder, or with --check
 * compares them with the files already there (so the committed corpus cannot drift from the builders). */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int write_or_check(const char *dir, const tcase *c, int check)
{
    char name[256], path[4096];
    tdump t;
    FILE *f;
    int bad = 0;

    tcase_filename(c, name, sizeof name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    c->build(&t);
    hd_out_flush(&t.o);
    if (check) {
        uint8_t *buf = malloc(t.m.len + 1);
        f = fopen(path, "rb");
        bad = f == NULL || buf == NULL || fread(buf, 1, t.m.len + 1, f) != t.m.len || memcmp(buf, t.m.p, t.m.len) != 0;
        if (f != NULL)
            fclose(f);
        free(buf);
        if (bad)
            printf("%s: missing or different from its builder (run mkcases %s)\n", path, dir);
    } else {
        f = fopen(path, "wb");
        bad = f == NULL || fwrite(t.m.p, 1, t.m.len, f) != t.m.len;
        if (f != NULL && fclose(f) != 0)
            bad = 1;
    }
    tdump_free(&t);
    return bad;
}

int main(int argc, char **argv)
{
    int check = argc == 3 && strcmp(argv[1], "--check") == 0, bad = 0;
    const char *dir = argv[argc - 1];

    if (argc != 2 && !check) {
        fprintf(stderr, "usage: mkcases [--check] DIR\n");
        return 2;
    }
    for (size_t i = 0; i < hd_ncases; i++)
        bad += write_or_check(dir, &hd_cases[i], check);
    printf("%zu cases %s, %d bad\n", hd_ncases, check ? "checked" : "written", bad);
    return bad != 0;
}
