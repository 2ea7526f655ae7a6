/* consumer.c — a producer's own test, built against an installed libhdvalidate (tests/install/test_install.sh):
 * validates the dump named on the command line from a memory buffer through the public API only, counts the
 * diagnostics its callback receives, and checks them against the result. Exit 0 valid, 1 invalid, 2 broken. */
#include <hd/hdvalidate.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void count(void *ctx, const hd_diag *d)
{
    (void)d;
    ++*(unsigned long *)ctx;
}

int main(int argc, char **argv)
{
    FILE *f;
    unsigned char *buf;
    long len;
    unsigned long seen = 0;
    hd_options o;
    hd_result r;
    hd_diag_sink sink = {count, &seen};

    if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL)
        return 2;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    buf = malloc((size_t)len + 1);
    if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len)
        return 2;
    fclose(f);
    hd_options_init(&o);
    hd_validate_mem(buf, (size_t)len, &o, &sink, &r);
    printf("libhdvalidate %s: %s: %s, %llu records, %llu errors, %llu warnings, %lu diagnostics, %s\n", hd_version(),
           argv[1], hd_result_valid(&r) ? "valid" : "INVALID", (unsigned long long)r.records,
           (unsigned long long)r.errors, (unsigned long long)r.warnings, seen,
           r.header_ok ? hd_header_name(r.header) : "no header");
    free(buf);
    if (seen != r.errors + r.warnings + r.infos || strcmp(hd_version(), HD_VERSION_STRING) != 0)
        return 2;
    return hd_result_valid(&r) ? 0 : 1;
}
