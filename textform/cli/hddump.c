/* hddump — a Go heap dump as text, record by record: arguments, the input, the exit status. The printing is
 * libhdtext's (hd_dump). */
#include "hd/textform.h"
#include "hd/version.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_DONE = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };

static const char usage[] =
    "Usage: hddump [OPTION]... FILE\n"
    "Show a Go heap dump (runtime/debug.WriteHeapDump, headers go1.3 to go1.7) record by\n"
    "record, as text that hdasm turns back into the same bytes.\n"
    "\n"
    "Each line is one record: its byte offset, its index (#0 is the first record after the\n"
    "header), its tag, then every field by name. Addresses are in hex; strings are quoted\n"
    "with every byte outside printable ASCII escaped; memory contents show their first 16\n"
    "bytes and their length, x\"0011...\"...(4096), unless --contents is given. The header\n"
    "and the params record come first whatever is selected. Where decoding stops (a record\n"
    "cut short, an unknown tag, bytes after EOF), a comment gives the rule ID hdvalidate\n"
    "would report and a raw directive holds the bytes that are left. FILE may be - for\n"
    "standard input.\n"
    "\n"
    "Options:\n"
    "  --contents         print byte ranges, field lists and memprof stacks whole; then\n"
    "                     'hddump --contents dump.bin | hdasm - -o copy.bin' gives back\n"
    "                     the dump byte for byte, valid or not\n"
    "  --json             JSON Lines: one object per record, the same field names\n"
    "  --no-columns       leave out the offset and index columns\n"
    "  --tag=LIST         only records of these tags (comma-separated names: object,\n"
    "                     goroutine, stackframe, ...)\n"
    "  --record=N         the record with index N\n"
    "  --at=OFFSET        the record holding byte OFFSET\n"
    "  -C N, --context=N  also N records before and after (with --record, --at)\n"
    "  --goroutine=ID     the goroutine with id ID, its frames, defers and panics\n"
    "  --object=ADDR      the object holding address ADDR, the records inside it, and\n"
    "                     every record that points into it (objects, frames, data, bss,\n"
    "                     finalizers, ...), each with the pointing field in a comment\n"
    "  --stats            counts and bytes per record type, objects by size, the 20\n"
    "                     largest types by bytes, goroutines by status and wait reason\n"
    "  --help             print this help and exit\n"
    "  --version          print the version and exit\n"
    "\n"
    "Numbers may be decimal or 0x-prefixed hex. --record, --at, --goroutine and --object\n"
    "select records together (their union); --tag keeps only its tags of those. A pipe is\n"
    "read as it comes, except that --contents, --object and --at with -C copy it to a\n"
    "temporary file first (they must look back). A regular file is mapped, and pages are\n"
    "handed back as the dump is read, so memory does not grow with the file.\n"
    "\n"
    "Exit status:\n"
    "  0  the dump decoded completely, without a structural diagnostic\n"
    "  1  it has structural diagnostics (S1xx); it was shown as far as it decodes\n"
    "  2  usage error, or the file could not be read\n"
    "\n"
    "Examples:\n"
    "  hddump dump.bin | less\n"
    "  hddump --at=0x1a2b -C 3 dump.bin\n"
    "  hddump --goroutine=1 dump.bin\n"
    "  hddump --tag=goroutine --json dump.bin | jq -r .waitreason | sort | uniq -c\n"
    "  hddump --contents dump.bin > dump.hdt; hdasm dump.hdt -o same.bin\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "hddump: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'hddump --help'.\n");
    return EXIT_USAGE;
}

static int number(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s == 0 || *s == '-')
        return -1;
    *out = strtoull(s, &end, 0);
    return errno != 0 || *end != 0 ? -1 : 0;
}

static int parse_tags(const char *list, uint32_t *mask)
{
    while (*list != 0) {
        size_t n = strcspn(list, ",");
        unsigned t;
        for (t = 0; t < HD_TAG_COUNT; t++)
            if (strlen(hd_tag_name(t)) == n && strncmp(hd_tag_name(t), list, n) == 0)
                break;
        if (t == HD_TAG_COUNT)
            return -1;
        *mask |= HD_TAGMASK(t);
        list += n + (list[n] == ',');
    }
    return 0;
}

static const char *value_of(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && arg[n] == '=' ? arg + n + 1 : NULL;
}

/* One option (value joined with '='); -1 to go on, else an exit status. */
static int option(hd_dump_opts *o, const char *a)
{
    const char *v;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
        return fputs(usage, stdout), EXIT_DONE;
    if (strcmp(a, "--version") == 0)
        return printf("hddump (hdvalidate) %s\n", HD_VERSION_STRING), EXIT_DONE;
    if (strcmp(a, "--contents") == 0)
        o->text.contents = true;
    else if (strcmp(a, "--json") == 0)
        o->text.json = true;
    else if (strcmp(a, "--no-columns") == 0)
        o->text.columns = false;
    else if (strcmp(a, "--stats") == 0)
        o->stats = true;
    else if ((v = value_of(a, "--tag")) != NULL) {
        if (parse_tags(v, &o->tags) < 0)
            return usage_error("unknown tag in '%s'", v);
    } else if ((v = value_of(a, "--record")) != NULL) {
        if (number(v, &o->record) < 0)
            return usage_error("--record needs a number, not '%s'", v);
        o->has_record = true;
    } else if ((v = value_of(a, "--at")) != NULL) {
        if (number(v, &o->at) < 0)
            return usage_error("--at needs an offset, not '%s'", v);
        o->has_at = true;
    } else if ((v = value_of(a, "--context")) != NULL || (v = value_of(a, "-C")) != NULL) {
        if (number(v, &o->context) < 0)
            return usage_error("--context needs a number, not '%s'", v);
    } else if ((v = value_of(a, "--goroutine")) != NULL) {
        if (number(v, &o->goroutine) < 0)
            return usage_error("--goroutine needs an id, not '%s'", v);
        o->has_goroutine = true;
    } else if ((v = value_of(a, "--object")) != NULL) {
        if (number(v, &o->object) < 0)
            return usage_error("--object needs an address, not '%s'", v);
        o->has_object = true;
    } else {
        return usage_error("unknown option '%s'", a);
    }
    return -1;
}

static const char *const valued[] = {"--tag", "--record", "--at", "--context", "-C", "--goroutine", "--object"};

static bool takes_value(const char *a)
{
    for (size_t i = 0; i < sizeof valued / sizeof valued[0]; i++)
        if (strcmp(a, valued[i]) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    hd_dump_opts o;
    hd_text_input in;
    hd_dump_result res;
    const char *file = NULL;
    char err[512], joined[256];
    int st;

    hd_dump_opts_init(&o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] != 0) {
            if (takes_value(a)) {
                if (i + 1 == argc)
                    return usage_error("%s needs a value", a);
                snprintf(joined, sizeof joined, "%s=%s", a, argv[++i]);
                a = joined;
            } else if (strncmp(a, "-C", 2) == 0 && a[2] != '=' && a[2] != 0) {
                snprintf(joined, sizeof joined, "-C=%s", a + 2);   /* -C3 */
                a = joined;
            }
            if ((st = option(&o, a)) >= 0)
                return st;
        } else if (file == NULL) {
            file = a;
        } else {
            return usage_error("one FILE only, not also '%s'", a);
        }
    }
    if (file == NULL)
        return usage_error("no FILE%s", "");
    o.name = file;
    if (hd_text_input_open(&in, file, hd_dump_needs_random_access(&o), err, sizeof err) < 0) {
        fprintf(stderr, "hddump: %s\n", err);
        return EXIT_USAGE;
    }
    st = hd_dump(stdout, &in, &o, &res);
    hd_text_input_close(&in);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "hddump: write error: %s\n", strerror(errno));
        return EXIT_USAGE;
    }
    if (res.io_error != NULL)
        fprintf(stderr, "hddump: %s: %s\n", file, res.io_error);
    return st == 0 ? EXIT_DONE : st == 1 ? EXIT_INVALID : EXIT_USAGE;
}
