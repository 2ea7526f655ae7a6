/* hdvalidate — command-line front end: arguments, files, exit code. No format knowledge here. */
#include "hd/expect.h"
#include "hd/report.h"
#include "hd/validate.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hd/version.h"
#define HD_VERSION HD_VERSION_STRING
#define MAX_EXPECT 64

enum { EXIT_VALID = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };

static const char usage[] =
    "usage: hdvalidate [options] FILE...   (FILE may be - for standard input)\n"
    "Validate Go heap dumps (runtime/debug.WriteHeapDump, headers go1.3 .. go1.7).\n"
    "\n"
    "  --format=text|json|sarif  output format (json: one object per file per line;\n"
    "                       sarif: one SARIF 2.1.0 log for all files, for code scanning)\n"
    "  -q, --quiet          print nothing for a valid file\n"
    "  --summary            print per-record-type counts and bytes\n"
    "  --max-errors=N       stop a file after N errors (default 100, 0 = no limit)\n"
    "  --go=VERSION         the producer's Go release (e.g. 1.19), overriding detection\n"
    "  --producer=gc|gccgo  the producer toolchain, overriding detection\n"
    "  --expect='KEY OP N'  also require e.g. 'goroutine >= 80' or 'max_frames > 400'\n"
    "  --known-deviations=FILE  rules (IDs or names, one per line, # comments) whose findings\n"
    "                       are expected: reported as info, not counted as errors\n"
    "  --list-rules[=markdown]  print the rule table and exit\n"
    "  --version, --help\n"
    "\n"
    "Exit status: 0 every file valid (warnings allowed), 1 some file invalid or an expectation\n"
    "failed, 2 usage error or a file could not be read.\n";

typedef struct {
    hd_options  opts;
    hd_reporter rp;
    const char *expect[MAX_EXPECT];
    unsigned    nexpect;
} cli;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "hdvalidate: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return EXIT_USAGE;
}

static const char *opt_value(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && arg[n] == '=' ? arg + n + 1 : NULL;
}

static int parse_uint(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != 0 || *s == '-')
        return -1;
    *out = v;
    return 0;
}

/* Reads a known-deviations file: one rule ID or name per line; '#' starts a comment. */
static int load_known(cli *c, const char *path)
{
    char line[256];
    FILE *f = fopen(path, "r");
    int rc = -1;

    if (f == NULL) {
        fprintf(stderr, "hdvalidate: %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    while (rc < 0 && fgets(line, sizeof line, f) != NULL) {
        char *p = line, *e;
        int r;
        line[strcspn(line, "#\r\n")] = 0;
        while (*p == ' ' || *p == '\t')
            p++;
        for (e = p + strlen(p); e > p && (e[-1] == ' ' || e[-1] == '\t');)
            *--e = 0;
        if (*p == 0)
            continue;
        if ((r = hd_rule_find(p)) < 0)
            rc = usage_error("unknown rule '%s' in the known-deviations file", p);
        else
            c->opts.known[r] = true;
    }
    fclose(f);
    return rc;
}

/* Returns -1 to go on, or an exit code. */
static int parse_option(cli *c, const char *a)
{
    const char *v;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
        return fputs(usage, stdout), EXIT_VALID;
    if (strcmp(a, "--version") == 0)
        return printf("hdvalidate %s\n", HD_VERSION), EXIT_VALID;
    if (strcmp(a, "--list-rules") == 0 || strcmp(a, "--list-rules=markdown") == 0)
        return hd_report_rules(stdout, a[12] == '='), EXIT_VALID;
    if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
        c->rp.quiet = true;
    else if (strcmp(a, "--summary") == 0)
        c->rp.summary = true;
    else if ((v = opt_value(a, "--format")) != NULL) {
        if (strcmp(v, "json") == 0)
            c->rp.format = HD_FMT_JSON;
        else if (strcmp(v, "sarif") == 0)
            c->rp.format = HD_FMT_SARIF;
        else if (strcmp(v, "text") == 0)
            c->rp.format = HD_FMT_TEXT;
        else
            return usage_error("unknown format '%s'", v);
    } else if ((v = opt_value(a, "--max-errors")) != NULL) {
        if (parse_uint(v, &c->opts.max_errors) < 0)
            return usage_error("--max-errors needs a number, not '%s'", v);
    } else if ((v = opt_value(a, "--go")) != NULL)
        c->opts.go_version = v;
    else if ((v = opt_value(a, "--producer")) != NULL) {
        if (strcmp(v, "gc") != 0 && strcmp(v, "gccgo") != 0)
            return usage_error("unknown producer '%s' (gc or gccgo)", v);
        c->opts.producer = v;
    } else if ((v = opt_value(a, "--known-deviations")) != NULL) {
        return load_known(c, v);
    } else if ((v = opt_value(a, "--expect")) != NULL) {
        hd_result probe;
        uint64_t got;
        memset(&probe, 0, sizeof probe);
        if (hd_expect_eval(v, &probe, &got) < 0)
            return usage_error("malformed expectation '%s' (want KEY OP N, e.g. 'goroutine >= 80')", v);
        if (c->nexpect == MAX_EXPECT)
            return usage_error("too many --expect options%s", "");
        c->expect[c->nexpect++] = v;
    } else
        return usage_error("unknown option '%s'", a);
    return -1;
}

static int check_file(cli *c, const char *path)
{
    hd_result res;
    hd_diag_sink sink;
    char failed_buf[MAX_EXPECT][160];
    const char *failed[MAX_EXPECT];
    unsigned nfailed = 0;
    int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);

    if (fd < 0) {
        fprintf(stderr, "hdvalidate: %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    hd_report_begin(&c->rp, path);
    sink = hd_report_sink(&c->rp);
    hd_validate_fd(fd, &c->opts, &sink, &res);
    if (fd != 0)
        close(fd);
    for (unsigned i = 0; i < c->nexpect; i++) {
        uint64_t got = 0;
        if (hd_expect_eval(c->expect[i], &res, &got) == 1)
            continue;
        snprintf(failed_buf[nfailed], sizeof failed_buf[nfailed], "%s (got %" PRIu64 ")", c->expect[i], got);
        failed[nfailed] = failed_buf[nfailed];
        nfailed++;
    }
    hd_report_end(&c->rp, &res, failed, nfailed);
    if (res.io_error != NULL)
        return EXIT_USAGE;
    return hd_result_valid(&res) && nfailed == 0 ? EXIT_VALID : EXIT_INVALID;
}

/* Options that take a value, accepted as "--opt=value" or "--opt value". */
static const char *const valued[] = {"--format", "--max-errors", "--go", "--producer", "--expect",
                                     "--known-deviations"};

static bool takes_value(const char *a)
{
    for (size_t i = 0; i < sizeof valued / sizeof valued[0]; i++)
        if (strcmp(a, valued[i]) == 0)
            return true;
    return false;
}

static int run(int argc, char **argv, const char **files)
{
    cli c;
    int status = EXIT_VALID, nfiles = 0;
    char joined[MAX_EXPECT + 8][256];
    int njoined = 0;
    bool options_done = false;

    memset(&c, 0, sizeof c);
    hd_options_init(&c.opts);
    c.rp.out = stdout;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc;
        if (options_done || a[0] != '-' || a[1] == 0) {
            files[nfiles++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            options_done = true;
            continue;
        }
        if (takes_value(a)) {
            if (i + 1 >= argc || njoined == (int)(sizeof joined / sizeof joined[0]))
                return usage_error("option %s needs a value", a);
            snprintf(joined[njoined], sizeof joined[njoined], "%s=%s", a, argv[++i]);
            a = joined[njoined++];
        }
        if ((rc = parse_option(&c, a)) >= 0)
            return rc;
    }
    if (nfiles == 0)
        return usage_error("no input file%s", "");
    hd_report_open(&c.rp, HD_VERSION);
    for (int i = 0; i < nfiles; i++) {
        int rc = check_file(&c, files[i]);
        if (rc > status)
            status = rc;
    }
    hd_report_close(&c.rp);
    return status;
}

int main(int argc, char **argv)
{
    const char **files = calloc((size_t)argc, sizeof *files);
    int rc = files != NULL ? run(argc, argv, files) : EXIT_USAGE;
    free(files);
    return rc;
}
