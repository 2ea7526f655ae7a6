/* hdasm — the text form back to the exact bytes of a heap dump: arguments, files, exit status. The
 * assembling is libhdtext's (hd_asm_file). */
#include "hd/textform.h"
#include "hd/version.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_DONE = 0, EXIT_ERROR = 1, EXIT_USAGE = 2 };

static const char usage[] =
    "Usage: hdasm [OPTION]... FILE -o OUTPUT\n"
    "Turn the text form of a Go heap dump (what hddump prints, or a hand-written case)\n"
    "back into its exact bytes.\n"
    "\n"
    "One line per record or directive; docs/textform.md is the grammar:\n"
    "  header go1.7                         the 16-byte header\n"
    "  params big_endian=false ptrsize=8 ...  a record: its tag, then name=value fields\n"
    "                                       (any order; a field not given is 0, false,\n"
    "                                       empty); hddump's offset and #index columns\n"
    "                                       are skipped\n"
    "  g1: goroutine addr=heap+0x100 ...    a label names the record's address; labels\n"
    "                                       and + - make addresses symbolic\n"
    "  set heap = 0xc000000000              a label for a number\n"
    "  raw x\"0a 01\"                         bytes written as they are\n"
    "  layout go1.4                         the layout for records without a header line\n"
    "; and everything after it is a comment.\n"
    "\n"
    "The text can say what a correct writer never would: ncpu=raw(x\"8200\") writes a\n"
    "field's exact bytes (a non-minimal uvarint), big_endian=2 a bool of 2,\n"
    "name=(100)\"abc\" a length that lies, fields=[ptr@0 cut] a field list without its\n"
    "end, and 'cut' at the end of a record stops it after the last field given.\n"
    "\n"
    "Options:\n"
    "  -o FILE        write the bytes to FILE (- for standard output, the default when\n"
    "                 it is not a terminal); on an error FILE is removed\n"
    "  --limit=N      refuse to write more than N bytes (default: no limit)\n"
    "  --help         print this help and exit\n"
    "  --version      print the version and exit\n"
    "\n"
    "FILE may be - for standard input (copied to a temporary file: labels are resolved\n"
    "in a first pass). Memory grows with the longest line and the largest record, not\n"
    "with the file.\n"
    "\n"
    "Exit status:\n"
    "  0  the text was assembled\n"
    "  1  it has an error (reported as FILE:LINE:COLUMN: error: message)\n"
    "  2  usage error, or a file could not be read or written\n"
    "\n"
    "Examples:\n"
    "  hdasm corpus/conformance/n_S105_params_bool_2.hdt -o bad.bin\n"
    "  hddump --contents dump.bin | hdasm - -o copy.bin && cmp dump.bin copy.bin\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "hdasm: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'hdasm --help'.\n");
    return EXIT_USAGE;
}

/* Standard input as a seekable FILE: a temporary copy unless it already is a file. */
static FILE *open_input(const char *path)
{
    FILE *f, *tmp;
    char buf[1 << 16];
    size_t n;

    if (strcmp(path, "-") != 0)
        return fopen(path, "r");
    if (fseek(stdin, 0, SEEK_CUR) == 0)
        return stdin;
    if ((tmp = tmpfile()) == NULL)
        return NULL;
    f = stdin;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, n, tmp) != n) {
            fclose(tmp);
            return NULL;
        }
    if (ferror(f) || fflush(tmp) != 0 || fseek(tmp, 0, SEEK_SET) != 0) {
        fclose(tmp);
        return NULL;
    }
    return tmp;
}

int main(int argc, char **argv)
{
    const char *file = NULL, *output = NULL;
    uint64_t limit = 0;
    hd_asm_result res;
    hd_out *o;
    FILE *in, *out;
    int rc;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return fputs(usage, stdout), EXIT_DONE;
        if (strcmp(a, "--version") == 0)
            return printf("hdasm (hdvalidate) %s\n", HD_VERSION_STRING), EXIT_DONE;
        if (strcmp(a, "-o") == 0) {
            if (i + 1 == argc)
                return usage_error("-o needs a file%s", "");
            output = argv[++i];
        } else if (strncmp(a, "-o", 2) == 0) {
            output = a + 2;
        } else if (strncmp(a, "--limit=", 8) == 0) {
            char *end;
            errno = 0;
            limit = strtoull(a + 8, &end, 0);
            if (errno != 0 || *end != 0 || a[8] == 0 || a[8] == '-')
                return usage_error("--limit needs a number, not '%s'", a + 8);
        } else if (a[0] == '-' && a[1] != 0) {
            return usage_error("unknown option '%s'", a);
        } else if (file == NULL) {
            file = a;
        } else {
            return usage_error("one FILE only, not also '%s'", a);
        }
    }
    if (file == NULL)
        return usage_error("no FILE%s", "");
    if (output == NULL) {
        if (isatty(1))
            return usage_error("no -o FILE (and standard output is a terminal)%s", "");
        output = "-";
    }
    if ((in = open_input(file)) == NULL) {
        fprintf(stderr, "hdasm: %s: %s\n", file, strerror(errno));
        return EXIT_USAGE;
    }
    out = strcmp(output, "-") == 0 ? stdout : fopen(output, "wb");
    if (out == NULL) {
        fprintf(stderr, "hdasm: %s: %s\n", output, strerror(errno));
        return EXIT_USAGE;
    }
    if ((o = malloc(sizeof *o)) == NULL)
        return EXIT_USAGE;
    hd_out_init_file(o, out);
    rc = hd_asm_file(in, o, limit, &res);
    free(o);
    if (in != stdin)
        fclose(in);
    if ((out != stdout && fclose(out) != 0) || (out == stdout && fflush(stdout) != 0)) {
        snprintf(res.msg, sizeof res.msg, "%s: %s", output, strerror(errno));
        rc = -1;
        res.line = 0;
    }
    if (rc < 0) {
        if (res.line > 0)
            fprintf(stderr, "%s:%u:%u: error: %s\n", file, res.line, res.col, res.msg);
        else
            fprintf(stderr, "hdasm: %s: %s\n", file, res.msg);
        if (out != stdout)
            remove(output);
        return res.line > 0 ? EXIT_ERROR : EXIT_USAGE;
    }
    return EXIT_DONE;
}
