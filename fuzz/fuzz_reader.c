/* fuzz_reader.c — raw bytes through the whole pipeline: reader, checker, reporter.
 *
 * Every input is validated from memory (hd_validate_mem). When the first byte is odd (every real dump:
 * 'g' = 0x67) the diagnostics also go through the reporter into a memory FILE, as JSON Lines or text
 * (chosen by the input length), and the output is checked:
 *   JSON  exactly one line, one well-formed JSON value, printable ASCII only (the escaping code);
 *   text  one line per diagnostic plus the verdict (plus the --summary table), no control bytes.
 * Otherwise the reporter writes text to /dev/null. In both cases the summary must agree with itself:
 * diagnostic counts, record counts, byte counts, and a "valid" verdict only for a complete dump.
 *
 * HD_FUZZ_SKIP=textctl (see fuzz_common.h) turns off the text checks that raw dump bytes in a message break:
 * no control bytes, one line per diagnostic. */
#include "fuzz_common.h"
#include "json_check.h"

#include "hd/report.h"

#define FILE_NAME "fuzz-input"

static FILE *devnull;
static bool skip_textctl;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    skip_textctl = fz_skip("textctl");
    return 0;
}

/* Invariants of hd_result that hold for every input. */
static void check_result(const hd_result *res, size_t size, uint64_t ndiag)
{
    uint64_t records = 0, bytes = 0, by_rule = 0;

    for (unsigned r = 0; r < HD_RULE_COUNT; r++)
        by_rule += res->rule_count[r];
    FZ_CHECK(by_rule == ndiag, "per-rule counts sum to %llu, %llu diagnostics", (unsigned long long)by_rule,
             (unsigned long long)ndiag);
    FZ_CHECK(res->io_error == NULL, "memory input reported an I/O error: %s", res->io_error);
    FZ_CHECK(res->errors + res->warnings + res->infos == ndiag,
             "severity counters (%llu+%llu+%llu) disagree with %llu diagnostics", (unsigned long long)res->errors,
             (unsigned long long)res->warnings, (unsigned long long)res->infos, (unsigned long long)ndiag);
    FZ_CHECK(res->size <= size, "result size %llu > input size %zu", (unsigned long long)res->size, size);
    for (unsigned t = 0; t < HD_TAG_COUNT; t++) {
        records += res->count[t];
        bytes += res->bytes[t];
        FZ_CHECK(res->bytes[t] >= res->count[t], "tag %u: %llu records in %llu bytes", t,
                 (unsigned long long)res->count[t], (unsigned long long)res->bytes[t]);
    }
    FZ_CHECK(records == res->records, "per-tag counts sum to %llu, records = %llu", (unsigned long long)records,
             (unsigned long long)res->records);
    FZ_CHECK(res->header_ok || res->records == 0, "records decoded without a header");
    FZ_CHECK(!res->header_ok || bytes + HD_HEADER_LEN <= size, "record bytes %llu exceed the input %zu",
             (unsigned long long)bytes, size);
    FZ_CHECK(res->ptrsize == 0 || res->ptrsize == 4 || res->ptrsize == 8, "ptrsize %u", res->ptrsize);
    FZ_CHECK(memchr(res->producer, 0, sizeof res->producer) != NULL, "producer not terminated");
    FZ_CHECK(memchr(res->go_version, 0, sizeof res->go_version) != NULL, "go_version not terminated");
    if (hd_result_valid(res)) {
        FZ_CHECK(res->header_ok, "valid without a header");
        FZ_CHECK(!res->stopped, "valid although decoding stopped early");
        FZ_CHECK(res->count[HD_TAG_EOF] == 1, "valid with %llu EOF records", (unsigned long long)res->count[HD_TAG_EOF]);
        FZ_CHECK(res->size == size, "valid but only %llu of %zu bytes read", (unsigned long long)res->size, size);
        FZ_CHECK(bytes + HD_HEADER_LEN == size, "valid but records cover %llu of %zu bytes",
                 (unsigned long long)bytes + HD_HEADER_LEN, size);
    }
}

/* What the reporter received: shown, or counted past the per-rule cap. */
static uint64_t reported(const hd_reporter *rp)
{
    uint64_t n = 0;
    for (unsigned r = 0; r < HD_RULE_COUNT; r++)
        n += rp->shown[r] + rp->hidden[r];
    return n;
}

static void check_json(const char *out, size_t n)
{
    FZ_CHECK(n > 0 && out[n - 1] == '\n', "JSON output does not end in a newline");
    FZ_CHECK(memchr(out, '\n', n - 1) == NULL, "JSON output is more than one line");
    FZ_CHECK(json_check_line(out, n - 1), "JSON output is not one well-formed JSON value:\n%.*s",
             (int)(n > 4000 ? 4000 : n), out);
}

/* Lines: the shown diagnostics, one "N more" line per rule past the cap, the verdict, and with --summary the
 * table (header, a line per tag seen, max_frames, a line per rule that fired). */
static void check_text(const char *out, size_t n, const hd_result *res, const hd_reporter *rp, bool summary)
{
    size_t lines = 0, ndiag = (size_t)rp->ndiag, want = ndiag + 1;
    const char *line = out;

    for (unsigned r = 0; r < HD_RULE_COUNT; r++)
        want += rp->hidden[r] > 0;
    if (summary && res->io_error == NULL) {
        want += 3;
        for (unsigned t = 0; t < HD_TAG_COUNT; t++)
            want += res->count[t] != 0;
        for (unsigned r = 0; r < HD_RULE_COUNT; r++)
            want += res->rule_count[r] != 0;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)out[i];
        if (!skip_textctl && ch != '\n' && (ch < 0x20 || ch == 0x7f)) {
            const char *end = memchr(line, '\n', (size_t)(out + n - line));
            fprintf(stderr, "text output line %zu: ", lines);
            for (const char *q = line; q < (end != NULL ? end : out + n); q++)
                fprintf(stderr, (unsigned char)*q < 0x20 || *q == 0x7f ? "\\x%02x" : "%c", (unsigned char)*q);
            fputc('\n', stderr);
            fz_fail("text output has control byte 0x%02x at %zu (a message carries raw dump bytes)", ch, i);
        }
        if (ch == '\n') {
            if (lines < ndiag && !skip_textctl)
                FZ_CHECK(strncmp(line, FILE_NAME ":0x", strlen(FILE_NAME ":0x")) == 0,
                         "diagnostic line %zu does not start with the file name and an offset", lines);
            lines++;
            line = out + i + 1;
        }
    }
    FZ_CHECK(n > 0 && out[n - 1] == '\n', "text output does not end in a newline");
    FZ_CHECK(lines == want || skip_textctl, "text output has %zu lines, want %zu (%zu diagnostics)", lines, want, ndiag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *p = fz_copy(data, size);
    hd_options o;
    hd_result res;
    hd_reporter rp;
    hd_diag_sink sink;

    fz_options(&o, size);
    memset(&rp, 0, sizeof rp);
    if (size > 0 && (p[0] & 1)) {
        char *out = NULL;
        size_t n = 0;
        bool summary = size % 3 == 0;
        FILE *f = open_memstream(&out, &n);
        if (f == NULL)
            abort();
        rp.out = f;
        rp.format = size % 2 == 0 ? HD_FMT_JSON : HD_FMT_TEXT;
        rp.summary = summary;
        FZ_CHECK(hd_report_open(&rp, "fuzz") == 0, "reporter did not open");
        hd_report_begin(&rp, FILE_NAME);
        sink = hd_report_sink(&rp);
        hd_validate_mem(p, size, &o, &sink, &res);
        hd_report_end(&rp, &res, NULL, 0);
        FZ_CHECK(hd_report_close(&rp) == 0, "reporter reports a write error on a memory stream");
        fclose(f);
        check_result(&res, size, reported(&rp));
        if (rp.format == HD_FMT_JSON)
            check_json(out, n);
        else
            check_text(out, n, &res, &rp, summary);
        free(out);
    } else if (devnull != NULL) {
        rp.out = devnull;
        rp.format = HD_FMT_TEXT;
        FZ_CHECK(hd_report_open(&rp, "fuzz") == 0, "reporter did not open");
        hd_report_begin(&rp, FILE_NAME);
        sink = hd_report_sink(&rp);
        hd_validate_mem(p, size, &o, &sink, &res);
        hd_report_end(&rp, &res, NULL, 0);
        hd_report_close(&rp);
        check_result(&res, size, reported(&rp));
    } else {
        fz_diags d = {0};
        sink = fz_diags_sink(&d);
        hd_validate_mem(p, size, &o, &sink, &res);
        check_result(&res, size, d.total);
        fz_diags_free(&d);
    }
    free(p);
    return 0;
}
