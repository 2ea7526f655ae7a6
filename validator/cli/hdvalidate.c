/* hdvalidate — command-line front end: options, files, exit status. No format knowledge here.
 *
 * The options are one table: the parser, --help and the man page's option list all come from it (a test
 * compares the man page with --help). */
#include "context.h"
#include "hd/expect.h"
#include "hd/textform.h"
#include "hd/report.h"
#include "hd/validate.h"
#include "hd/version.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { EXIT_VALID = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };
enum { GO_ON = -1 };               /* an option handler's "no exit yet" */

typedef struct {
    hd_options   opts;
    hd_reporter  rp;
    const char **expect;
    unsigned     nexpect;
    bool         progress;         /* a progress line on stderr (a terminal, big inputs) */
    bool         context;          /* --context: the records that explain each diagnostic, under it */
    unsigned     around;           /* records shown on either side of a diagnostic's record */
    double       t0;
} cli;

/* ---- messages ---------------------------------------------------------------------------------------------- */

/* Arguments and file contents reach the terminal escaped: no raw control bytes, no forged lines. */
static void say(const char *prefix, const char *what, const char *arg, const char *suffix)
{
    fputs(prefix, stderr);
    fputs(what, stderr);
    if (arg != NULL)
        hd_escape_text(stderr, arg, strlen(arg));
    fputs(suffix, stderr);
}

static int usage_error(const char *what, const char *arg, const char *suffix)
{
    say("hdvalidate: ", what, arg, suffix);
    fputs("\nTry 'hdvalidate --help'.\n", stderr);
    return EXIT_USAGE;
}

/* ---- option handlers ------------------------------------------------------------------------------------------ */

static int parse_uint(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != 0)
        return -1;
    *out = v;
    return 0;
}

static int opt_format(cli *c, const char *v)
{
    int f = hd_format_find(v);
    if (f < 0)
        return usage_error("unknown format '", v, "' (text, json, sarif or junit)");
    c->rp.format = (hd_format)f;
    return GO_ON;
}

static int opt_quiet(cli *c, const char *v) { (void)v; c->rp.quiet = true; return GO_ON; }
static int opt_summary(cli *c, const char *v) { (void)v; c->rp.summary = true; return GO_ON; }
static int opt_all(cli *c, const char *v) { (void)v; c->rp.per_rule = UINT64_MAX; return GO_ON; }
static int opt_progress(cli *c, const char *v) { (void)v; c->progress = true; return GO_ON; }
static int opt_no_progress(cli *c, const char *v) { (void)v; c->progress = false; return GO_ON; }

static int opt_max_errors(cli *c, const char *v)
{
    if (parse_uint(v, &c->opts.max_errors) < 0)
        return usage_error("--max-errors needs a number, not '", v, "'");
    return GO_ON;
}

static int opt_per_rule(cli *c, const char *v)
{
    uint64_t n;
    if (parse_uint(v, &n) < 0)
        return usage_error("--max-per-rule needs a number, not '", v, "'");
    c->rp.per_rule = n == 0 ? UINT64_MAX : n;
    return GO_ON;
}

static int opt_threads(cli *c, const char *v)
{
    uint64_t n;
    if (parse_uint(v, &n) < 0 || n > 64)
        return usage_error("--threads needs a number from 0 to 64, not '", v, "'");
    c->opts.threads = (unsigned)n;
    return GO_ON;
}

#define CONTEXT_DEFAULT 2
#define CONTEXT_MAX 100

static int opt_context(cli *c, const char *v)
{
    uint64_t n = CONTEXT_DEFAULT;
    if (v != NULL && (parse_uint(v, &n) < 0 || n > CONTEXT_MAX))
        return usage_error("--context needs a number from 0 to 100, not '", v, "'");
    c->context = true;
    c->around = (unsigned)n;
    return GO_ON;
}

static int opt_fail_on(cli *c, const char *v)
{
    if (strcmp(v, "error") != 0 && strcmp(v, "warning") != 0)
        return usage_error("--fail-on is error or warning, not '", v, "'");
    c->rp.fail_on_warning = strcmp(v, "warning") == 0;
    return GO_ON;
}

/* Releases that wrote heap dumps: Go 1.3 and later ("1.19", "go1.19.8", "go1.21rc2", "go1.22beta1"), or a
 * development build ("devel", "devel go1.22-abc..."). */
static bool is_dump_release(const char *v)
{
    unsigned long minor;
    char *end;

    if (strncmp(v, "devel", 5) == 0 && (v[5] == 0 || v[5] == ' '))
        return true;
    if (strncmp(v, "go", 2) == 0)
        v += 2;
    if (strncmp(v, "1.", 2) != 0 || v[2] < '0' || v[2] > '9')
        return false;
    errno = 0;
    minor = strtoul(v + 2, &end, 10);
    if (errno != 0 || minor < 3 || minor > 999)
        return false;
    if (*end == 0)
        return true;
    if (*end == '.' || strncmp(end, "rc", 2) == 0 || strncmp(end, "beta", 4) == 0) {
        end += *end == '.' ? 1 : *end == 'r' ? 2 : 4;
        if (*end < '0' || *end > '9')
            return false;
        while (*end >= '0' && *end <= '9')
            end++;
        return *end == 0;
    }
    return false;
}

static int opt_go(cli *c, const char *v)
{
    if (!is_dump_release(v))
        return usage_error("--go names a Go release that wrote heap dumps (1.3 or later, e.g. 1.19 or go1.19.8, or "
                           "devel), not '", v, "'");
    c->opts.go_version = v;
    return GO_ON;
}

static int opt_producer(cli *c, const char *v)
{
    if (strcmp(v, "gc") != 0 && strcmp(v, "gccgo") != 0)
        return usage_error("unknown producer '", v, "' (gc or gccgo)");
    c->opts.producer = v;
    return GO_ON;
}

static int opt_expect(cli *c, const char *v)
{
    hd_result probe;
    uint64_t got;
    const char **more;

    memset(&probe, 0, sizeof probe);
    if (hd_expect_eval(v, &probe, &got) < 0)
        return usage_error("malformed expectation '", v, "' (want KEY OP N, e.g. 'goroutine >= 80')");
    if ((more = realloc(c->expect, (c->nexpect + 1) * sizeof *more)) == NULL)
        return usage_error("out of memory", NULL, "");
    c->expect = more;
    c->expect[c->nexpect++] = v;
    return GO_ON;
}

/* A known-deviations file error, naming the file and the line. */
static int known_error(const char *path, unsigned long lineno, const char *what, const char *arg, const char *suffix)
{
    char where[32];
    snprintf(where, sizeof where, ":%lu: ", lineno);
    say("hdvalidate: ", "", path, where);
    say("", what, arg, suffix);
    fputs("\nTry 'hdvalidate --help'.\n", stderr);
    return EXIT_USAGE;
}

/* One line of a known-deviations file: a rule ID or name, '#' starts a comment. */
static int known_line(cli *c, const char *path, unsigned long lineno, char *line, size_t len)
{
    char *p = line, *e;
    int r;

    if (memchr(line, 0, len) != NULL)
        return known_error(path, lineno, "the line holds a NUL byte", NULL, "");
    line[strcspn(line, "#\r\n")] = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    for (e = p + strlen(p); e > p && (e[-1] == ' ' || e[-1] == '\t');)
        *--e = 0;
    if (*p == 0)
        return GO_ON;
    if ((r = hd_rule_find(p)) < 0)
        return known_error(path, lineno, "unknown rule '", p, "'");
    if (hd_rule_get((hd_rule)r)->kind == HD_RK_READ)
        return known_error(path, lineno, "", p, " cannot be a known deviation: its finding means bytes could not be "
                           "read as a dump");
    c->opts.known[r] = true;
    return GO_ON;
}

static int opt_known(cli *c, const char *path)
{
    FILE *f = fopen(path, "r");
    struct stat st;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;
    int rc = GO_ON;

    if (f == NULL) {
        char why[128];
        snprintf(why, sizeof why, ": %s", strerror(errno));
        return usage_error("cannot open the known-deviations file ", path, why);
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return usage_error("the known-deviations file ", path, " is a directory");
    }
    while (rc == GO_ON && (n = getline(&line, &cap, f)) >= 0)
        rc = known_line(c, path, ++lineno, line, (size_t)n);
    if (rc == GO_ON && ferror(f))
        rc = usage_error("cannot read the known-deviations file ", path, "");
    free(line);
    fclose(f);
    return rc;
}

/* Options that print something and exit. */
static void print_usage(void);
static int opt_help(cli *c, const char *v) { (void)c; (void)v; print_usage(); return EXIT_VALID; }
static int opt_version(cli *c, const char *v)
{
    (void)c;
    (void)v;
    printf("hdvalidate %s\n", HD_VERSION_STRING);
    return EXIT_VALID;
}
static int opt_list_rules(cli *c, const char *v)
{
    (void)c;
    if (v != NULL && strcmp(v, "markdown") != 0)
        return usage_error("--list-rules takes no value or 'markdown', not '", v, "'");
    hd_report_rules(stdout, v != NULL);
    return EXIT_VALID;
}
static int opt_explain(cli *c, const char *v)
{
    (void)c;
    if (hd_report_explain(stdout, v) < 0)
        return usage_error("no rule '", v, "' (see hdvalidate --list-rules)");
    return EXIT_VALID;
}

/* ---- the option table --------------------------------------------------------------------------------------- */

enum { NO_VALUE, VALUE, OPTIONAL_VALUE };

static const struct option {
    const char *name, *alias;
    int         takes;            /* NO_VALUE, VALUE (--opt=v or --opt v), OPTIONAL_VALUE (--opt or --opt=v) */
    bool        repeatable;
    int       (*set)(cli *c, const char *value);
    const char *arg, *help;
} options[] = {
    {"--format", NULL, VALUE, false, opt_format, "FMT",
     "text (default), json (one object per file per line), sarif (one SARIF 2.1.0 log for\n"
     "all files, for code scanning) or junit (JUnit XML, a test case per file)"},
    {"--quiet", "-q", NO_VALUE, false, opt_quiet, NULL, "text: print only what fails a file (other formats report every file)"},
    {"--summary", NULL, NO_VALUE, false, opt_summary, NULL, "text: per-record-type counts and bytes, findings per rule"},
    {"--context", NULL, OPTIONAL_VALUE, false, opt_context, "N",
     "text: under each diagnostic, its record in the text form of hddump with N\n"
     "records on either side (default 2), and the record it refers to"},
    {"--fail-on", NULL, VALUE, false, opt_fail_on, "error|warning", "what makes a file fail (default error)"},
    {"--max-errors", NULL, VALUE, false, opt_max_errors, "N", "stop a file after N errors (default 100, 0 = no limit)"},
    {"--max-per-rule", NULL, VALUE, false, opt_per_rule, "N",
     "show the first N findings of each rule per file, then one line with how many\n"
     "more (default 10, 0 = all; the counts stay exact)"},
    {"--all-findings", NULL, NO_VALUE, false, opt_all, NULL, "the same as --max-per-rule=0"},
    {"--go", NULL, VALUE, false, opt_go, "VERSION", "the producer's Go release (e.g. 1.19), overriding detection"},
    {"--producer", NULL, VALUE, false, opt_producer, "gc|gccgo", "the producer toolchain, overriding detection"},
    {"--expect", NULL, VALUE, true, opt_expect, "'KEY OP N'",
     "also require a count, e.g. 'goroutine >= 80' or 'max_frames > 400' (repeatable)"},
    {"--known-deviations", NULL, VALUE, false, opt_known, "FILE",
     "rule IDs or names (one per line, # comments) whose findings are expected:\n"
     "reported as info, not counted as errors; rules of kind 'read' are refused"},
    {"--threads", NULL, VALUE, false, opt_threads, "N",
     "threads to use (default 0: one per core, up to 2; 1: one); the output is the same"},
    {"--progress", NULL, NO_VALUE, false, opt_progress, NULL, "a progress line on stderr for inputs over 100 MB (default on a terminal)"},
    {"--no-progress", NULL, NO_VALUE, false, opt_no_progress, NULL, "no progress line"},
    {"--list-rules", NULL, OPTIONAL_VALUE, false, opt_list_rules, "markdown", "print the rule table and exit"},
    {"--explain", NULL, VALUE, false, opt_explain, "RULE", "explain one rule (ID or name) and exit"},
    {"--version", NULL, NO_VALUE, false, opt_version, NULL, "print the version and exit"},
    {"--help", "-h", NO_VALUE, false, opt_help, NULL, "print this help and exit"},
};

#define NOPTIONS (sizeof options / sizeof options[0])

static void print_usage(void)
{
    fputs("usage: hdvalidate [options] FILE...   (FILE may be - for standard input)\n"
          "Validate Go heap dumps (runtime/debug.WriteHeapDump, headers go1.3 .. go1.7), also gzip-, zstd- or\n"
          "xz-compressed.\n\n",
          stdout);
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct option *o = &options[i];
        char head[64];
        int n = snprintf(head, sizeof head, "  %s%s%s%s%s%s", o->alias ? o->alias : "", o->alias ? ", " : "", o->name,
                         o->takes == OPTIONAL_VALUE ? "[=" : o->takes == VALUE ? "=" : "", o->arg ? o->arg : "",
                         o->takes == OPTIONAL_VALUE ? "]" : "");
        printf("%s%*s", head, n < 30 ? 30 - n : 1, "");
        for (const char *h = o->help; *h; h++) {
            putchar(*h);
            if (*h == '\n')
                printf("%30s", "");
        }
        putchar('\n');
    }
    fputs("\nEvery option with a value also accepts --option value.\n"
          "Exit status: 0 every file valid (warnings allowed, unless --fail-on=warning), 1 some file invalid or an\n"
          "expectation failed, 2 usage error, a file could not be read, or the report could not be written.\n",
          stdout);
}

static const struct option *find_option(const char *a, const char **value)
{
    *value = NULL;
    for (size_t i = 0; i < NOPTIONS; i++) {
        size_t n = strlen(options[i].name);
        if (strcmp(a, options[i].name) == 0 || (options[i].alias != NULL && strcmp(a, options[i].alias) == 0))
            return &options[i];
        if (options[i].takes != NO_VALUE && strncmp(a, options[i].name, n) == 0 && a[n] == '=') {
            *value = a + n + 1;
            return &options[i];
        }
    }
    return NULL;
}

/* Parse argv; files go to files[]. GO_ON, or an exit status. */
static int parse_args(cli *c, int argc, char **argv, const char **files, int *nfiles)
{
    bool seen[NOPTIONS] = {false}, options_done = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        const struct option *o;
        int rc;
        if (options_done || a[0] != '-' || a[1] == 0) {
            files[(*nfiles)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            options_done = true;
            continue;
        }
        if ((o = find_option(a, &v)) == NULL)
            return usage_error("unknown option '", a, "'");
        if (seen[o - options] && !o->repeatable)
            return usage_error("option ", o->name, " given more than once");
        seen[o - options] = true;
        if (v != NULL && o->takes == NO_VALUE)
            return usage_error("option ", o->name, " takes no value");
        if (v == NULL && o->takes == VALUE) {
            if (i + 1 >= argc)
                return usage_error("option ", o->name, " needs a value");
            v = argv[++i];
        }
        if ((rc = o->set(c, v)) != GO_ON)
            return rc;
    }
    return GO_ON;
}

/* ---- progress ------------------------------------------------------------------------------------------------- */

#define PROGRESS_MIN (UINT64_C(100) << 20)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    cli *c = ctx;
    double dt = now() - c->t0, mbs = dt > 0 ? (double)done / 1e6 / dt : 0;

    if ((total != 0 && total < PROGRESS_MIN) || done < PROGRESS_MIN / 4)
        return;
    if (total != 0)
        fprintf(stderr, "\r  %" PRIu64 " of %" PRIu64 " MB, %.0f MB/s, %.0f s left   ", done >> 20, total >> 20, mbs,
                mbs > 0 ? (double)(total - done) / 1e6 / mbs : 0.0);
    else
        fprintf(stderr, "\r  %" PRIu64 " MB, %.0f MB/s   ", done >> 20, mbs);
}

/* ---- files ---------------------------------------------------------------------------------------------------- */

/* --context needs the whole dump at hand: a stream (or standard input not at its start) is first copied to an
 * unlinked temporary file, which is then both validated and mapped. Returns the descriptor to validate. */
static int seekable(int fd)
{
    struct stat sb;
    int copy;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && lseek(fd, 0, SEEK_CUR) == 0)
        return fd;
    copy = hd_text_spool(fd);
    if (fd != 0)
        close(fd);
    if (copy >= 0 && lseek(copy, 0, SEEK_SET) != 0) {
        close(copy);
        return -1;
    }
    return copy;
}

/* The --expect lines that do not hold, for the reporter; freed by the caller (failed[0] owns the text). */
static unsigned failed_expectations(const cli *c, const hd_result *res, const char ***failed)
{
    char (*buf)[192];
    unsigned n = 0;
    *failed = NULL;
    if (c->nexpect == 0)
        return 0;
    buf = calloc(c->nexpect, sizeof *buf);
    *failed = calloc(c->nexpect + 1, sizeof **failed);
    if (buf == NULL || *failed == NULL) {
        free(buf);
        return 0;
    }
    (*failed)[c->nexpect] = (const char *)buf;   /* owner of the texts, after the list */
    for (unsigned i = 0; i < c->nexpect; i++) {
        uint64_t got = 0;
        if (hd_expect_eval(c->expect[i], res, &got) == 1)
            continue;
        snprintf(buf[n], sizeof buf[n], "%s (got %" PRIu64 ")", c->expect[i], got);
        (*failed)[n] = buf[n];
        n++;
    }
    return n;
}

static void validate(cli *c, int fd, hd_result *res)
{
    hd_text_input in;
    char err[256];
    bool mapped = c->context && hd_text_input_map_fd(&in, fd, err, sizeof err) == 0;
    hdv_context *x = c->context ? hdv_context_new(c->around, mapped ? in.p : NULL, mapped ? (size_t)in.len : 0, &c->rp)
                                : NULL;
    hd_diag_sink sink = x != NULL ? hdv_context_sink(x) : hd_report_sink(&c->rp);

    c->t0 = now();
    hd_validate_fd(fd, &c->opts, &sink, res);
    if (c->progress)
        fputs("\r\033[K", stderr);
    hdv_context_free(x);
    if (mapped)
        hd_text_input_close(&in);
}

static int check_file(cli *c, const char *path)
{
    hd_result res;
    const char **failed;
    unsigned nfailed;
    int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
    hd_verdict v;

    if (fd >= 0 && c->context)
        fd = seekable(fd);
    if (fd < 0) {
        hd_report_unreadable(&c->rp, path, errno != 0 ? strerror(errno) : "cannot copy the stream");
        return EXIT_USAGE;
    }
    hd_report_begin(&c->rp, path);
    validate(c, fd, &res);
    if (fd != 0)
        close(fd);
    nfailed = failed_expectations(c, &res, &failed);
    hd_report_end(&c->rp, &res, failed, nfailed);
    v = hd_report_verdict(&c->rp, &res, nfailed);
    if (failed != NULL)
        free((void *)failed[c->nexpect]);
    free(failed);
    return v == HD_VERDICT_ERROR ? EXIT_USAGE : v == HD_VERDICT_INVALID ? EXIT_INVALID : EXIT_VALID;
}

static int run(cli *c, const char **files, int nfiles)
{
    int status = EXIT_VALID;

    if (c->progress) {
        c->opts.progress = on_progress;
        c->opts.progress_ctx = c;
    }
    if (hd_report_open(&c->rp, HD_VERSION_STRING) < 0)
        return usage_error("out of memory", NULL, "");
    for (int i = 0; i < nfiles; i++) {
        int rc = check_file(c, files[i]);
        if (rc > status)
            status = rc;
    }
    if (hd_report_close(&c->rp) < 0) {
        say("hdvalidate: ", "cannot write the report: ", strerror(errno), "\n");
        return EXIT_USAGE;
    }
    return status;
}

int main(int argc, char **argv)
{
    cli c;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0, rc;

    memset(&c, 0, sizeof c);
    hd_options_init(&c.opts);
    c.rp.out = stdout;
    c.progress = isatty(2);
    if (files == NULL)
        return EXIT_USAGE;
    rc = parse_args(&c, argc, argv, files, &nfiles);
    if (rc == GO_ON && nfiles == 0)
        rc = usage_error("no input file", NULL, "");
    if (rc == GO_ON && c.context && c.rp.format != HD_FMT_TEXT)
        rc = usage_error("--context is for the text format, not --format=", hd_format_name(c.rp.format), "");
    if (rc == GO_ON)
        rc = run(&c, files, nfiles);
    if (rc == EXIT_VALID && (fflush(stdout) != 0 || ferror(stdout))) {
        say("hdvalidate: ", "cannot write the output: ", strerror(errno), "\n");
        rc = EXIT_USAGE;
    }
    free(c.expect);
    free(files);
    return rc;
}
