/* hdgen — command-line front end of the generator: arguments and output. No format knowledge here. */
#include "hd/diag.h"
#include "hd/gen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

static const char usage[] =
    "usage: hdgen [options]\n"
    "Write a random, consistent Go heap dump (or one that breaks exactly one rule).\n"
    "Same options, same bytes, on every machine.\n"
    "\n"
    "  --seed N             PRNG seed (default 1); it also draws what the options leave open\n"
    "  --bytes FILE         take the decisions from FILE's bytes instead of a seed (fuzzer inputs)\n"
    "  --header V           go1.3 | go1.4 | go1.5 | go1.6 | go1.7 (default: drawn)\n"
    "  --ptrsize 4|8        pointer size (default: drawn)\n"
    "  --big-endian         big-endian target (default: drawn)\n"
    "  --little-endian      little-endian target (default: drawn)\n"
    "  --size N[K|M|G|T]    about this many bytes, at most 1T (default: drawn, up to 256K)\n"
    "  --features LIST      comma-separated swarm features instead of drawn ones (none: no feature)\n"
    "  -o FILE              output file (default: standard output)\n"
    "  --inject RULE        break exactly this rule (ID such as S105, or its name)\n"
    "  --list-defects       print the rules --inject can break\n"
    "  --list-features      print the swarm features\n"
    "  -v, --verbose        print the configuration, size and speed to standard error\n"
    "  --help\n";

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "hdgen: %s%s%s\n%s", msg, arg ? ": " : "", arg ? arg : "", usage);
    return EXIT_USAGE;
}

#define MAX_SIZE (UINT64_C(1) << 40)

static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    uint64_t mul = 1;
    if (errno != 0 || end == s || *s == '-')
        return -1;
    if (*end == 'K' || *end == 'k')
        mul = 1024, end++;
    else if (*end == 'M' || *end == 'm')
        mul = 1024 * 1024, end++;
    else if (*end == 'G' || *end == 'g')
        mul = UINT64_C(1) << 30, end++;
    else if (*end == 'T' || *end == 't')
        mul = UINT64_C(1) << 40, end++;
    /* a size no disk holds is a mistake, not a wish: refuse it rather than plan a model for it */
    if (*end != 0 || (v != 0 && mul > MAX_SIZE / v))
        return -1;
    *out = v * mul;
    return 0;
}

static int parse_features(const char *s, uint32_t *out)
{
    char buf[512];
    *out = 0;
    if (strcmp(s, "none") == 0)
        return 0;
    snprintf(buf, sizeof buf, "%s", s);
    for (char *tok = strtok(buf, ","); tok != NULL; tok = strtok(NULL, ",")) {
        unsigned b = 0;
        while (b < HD_GF_COUNT && strcmp(hd_gen_feature_name(b), tok) != 0)
            b++;
        if (b == HD_GF_COUNT)
            return -1;
        *out |= UINT32_C(1) << b;
    }
    return 0;
}

static void list_defects(void)
{
    static const char *const lname[HD_LAYOUT_COUNT] = {"go1.3", "go1.4", "go1.5", "go1.7"};
    printf("%-6s %-8s %-24s %-24s %-8s %s\n", "rule", "severity", "rule name", "layouts", "ptrsize", "defect");
    for (unsigned i = 0; i < hd_defect_count(); i++) {
        const hd_defect_info *d = hd_defect_get(i);
        const hd_rule_info *r = hd_rule_get(d->rule);
        char layouts[64] = "";
        for (unsigned l = 0; l < HD_LAYOUT_COUNT; l++)
            if (d->layouts & HD_DL(l))
                snprintf(layouts + strlen(layouts), sizeof layouts - strlen(layouts), "%s%s", layouts[0] ? "," : "",
                         lname[l]);
        printf("%-6s %-8s %-24s %-24s %-8s %s: %s%s%s%s\n", d->rule_id,
               hd_severity_name(r->severity), r->name, layouts,
               d->ptrsizes == (4 | 8) ? "4,8" : d->ptrsizes == 4 ? "4" : "8", d->name, d->how,
               d->go != NULL ? " [validate with --go=" : "", d->go != NULL ? d->go : "", d->go != NULL ? "]" : "");
    }
}

static int fd_write(void *ctx, const uint8_t *p, size_t n)
{
    int fd = *(int *)ctx;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *p = NULL;
    size_t cap = 0, n = 0, got;
    struct stat st;
    if (f == NULL)
        return NULL;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return NULL;
    }
    do {
        if (n == cap) {
            uint8_t *q = realloc(p, cap = cap ? cap * 2 : 4096);
            if (q == NULL) {
                free(p);
                fclose(f);
                return NULL;
            }
            p = q;
        }
        got = fread(p + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        free(p);
        fclose(f);
        errno = EIO;
        return NULL;
    }
    fclose(f);
    *len = n;
    return p != NULL ? p : malloc(1);
}

int main(int argc, char **argv)
{
    hd_gen_request q;
    hd_gen_stats st;
    hd_entropy e;
    uint64_t seed = 1;
    const char *out = NULL, *bytes_file = NULL;
    bool verbose = false;
    int fd = 1, rc;
    uint8_t *bytes = NULL;
    size_t nbytes = 0;
    struct timespec t0, t1;

    hd_gen_request_init(&q);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return fputs(usage, stdout), EXIT_OK;
        if (strcmp(a, "--list-defects") == 0)
            return list_defects(), EXIT_OK;
        if (strcmp(a, "--list-features") == 0) {
            for (unsigned b = 0; b < HD_GF_COUNT; b++)
                printf("%-16s %s\n", hd_gen_feature_name(b), hd_gen_feature_doc(b));
            return EXIT_OK;
        }
        if (strcmp(a, "--big-endian") == 0) {
            q.big_endian = 1, takes = false;
        } else if (strcmp(a, "--little-endian") == 0) {
            q.big_endian = 0, takes = false;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            verbose = true, takes = false;
        } else if (v == NULL) {
            return usage_error("missing value or unknown option", a);
        } else if (strcmp(a, "--seed") == 0) {
            char *end;
            errno = 0;
            seed = strtoull(v, &end, 0);
            if (errno != 0 || *end != 0 || end == v || *v == '-')
                return usage_error("bad seed", v);
        } else if (strcmp(a, "--bytes") == 0) {
            bytes_file = v;
        } else if (strcmp(a, "--header") == 0) {
            int h = 0;
            while (h < HD_HEADER_COUNT && strcmp(hd_header_name((hd_header_id)h), v) != 0)
                h++;
            if (h == HD_HEADER_COUNT)
                return usage_error("unknown header (go1.3 .. go1.7)", v);
            q.header = h;
        } else if (strcmp(a, "--ptrsize") == 0) {
            if (strcmp(v, "4") != 0 && strcmp(v, "8") != 0)
                return usage_error("pointer size must be 4 or 8", v);
            q.ptrsize = (unsigned)atoi(v);
        } else if (strcmp(a, "--size") == 0) {
            if (parse_size(v, &q.size) < 0 || q.size == 0)
                return usage_error("bad size", v);
        } else if (strcmp(a, "--features") == 0) {
            if (parse_features(v, &q.features) < 0)
                return usage_error("unknown feature (see --list-features)", v);
            q.features_set = true;
        } else if (strcmp(a, "-o") == 0) {
            out = v;
        } else if (strcmp(a, "--inject") == 0) {
            q.defect = hd_defect_find(v);
            if (q.defect < 0)
                return usage_error("no defect for that rule (see --list-defects)", v);
        } else {
            return usage_error("unknown option", a);
        }
        if (takes)
            i++;
    }

    if (bytes_file != NULL) {
        bytes = read_file(bytes_file, &nbytes);
        if (bytes == NULL)
            return fprintf(stderr, "hdgen: %s: %s\n", bytes_file, strerror(errno)), EXIT_USAGE;
        hd_entropy_bytes(&e, bytes, nbytes);
    } else {
        hd_entropy_seed(&e, seed);
    }
    if (out != NULL && strcmp(out, "-") != 0) {
        fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0)
            return fprintf(stderr, "hdgen: %s: %s\n", out, strerror(errno)), EXIT_FAIL;
    }

    hd_out *o = malloc(sizeof *o);
    if (o == NULL)
        return fprintf(stderr, "hdgen: out of memory\n"), EXIT_FAIL;
    hd_out_init(o, fd_write, &fd);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = hd_gen(&q, &e, o, &st);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (fd != 1 && close(fd) < 0 && rc == 0) {
        snprintf(st.error, sizeof st.error, "%s: %s", out, strerror(errno));
        rc = -1;
    }
    if (rc < 0)
        fprintf(stderr, "hdgen: %s\n", st.error);
    if (rc == 0 && q.defect >= 0 && hd_defect_get((unsigned)q.defect)->go != NULL)
        fprintf(stderr, "hdgen: note: %s shows only when validated with --go=%s\n",
                hd_defect_get((unsigned)q.defect)->rule_id, hd_defect_get((unsigned)q.defect)->go);
    if (verbose && rc == 0) {
        char desc[256];
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        hd_gen_config_describe(&st.cfg, desc, sizeof desc);
        fprintf(stderr, "hdgen: %s\n", desc);
        if (st.rule >= 0)
            fprintf(stderr, "hdgen: injected %s (%s)\n", hd_rule_get((hd_rule)st.rule)->id,
                    hd_rule_get((hd_rule)st.rule)->name);
        fprintf(stderr, "hdgen: %llu bytes, %llu records, %.3f s, %.0f MB/s\n", (unsigned long long)st.bytes,
                (unsigned long long)st.records, secs, secs > 0 ? (double)st.bytes / 1e6 / secs : 0.0);
        if (!hd_gen_config_clean(&st.cfg))
            fprintf(stderr, "hdgen: note: no Go port had this byte order and pointer size for %s: "
                            "expect architecture warnings\n", hd_header_name(st.cfg.header));
    }
    free(o);
    free(bytes);
    return rc < 0 ? EXIT_FAIL : EXIT_OK;
}
