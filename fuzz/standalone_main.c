/* standalone_main.c — a main() for the fuzz targets when no fuzzing engine is linked.
 *
 *   fuzz_reader [-flags ignored] FILE|DIR...
 *
 * Runs LLVMFuzzerTestOneInput once on each file (directories are walked recursively, in name order;
 * names starting with '.' and *.md files are skipped). Each input is read into an exact-size heap buffer.
 * A failing invariant aborts inside the target; otherwise the exit status is 0, or 2 if a path could not
 * be read or nothing was run. Arguments starting with '-' are ignored, so a libFuzzer command line
 * (`fuzz_reader -runs=0 corpus/`) also works. This is what ctest uses to replay the seed corpora and the
 * regression files with gcc, without clang or any fuzzing runtime. */
#include "fuzz_common.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

/* Optional in a target; NULL when the target does not define it. */
extern int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* A target with a custom mutator calls LLVMFuzzerMutate; libFuzzer provides it, the replay never calls the
 * mutator but must still link. */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size)
{
    (void)data;
    (void)max_size;
    return size;
}

static unsigned long nrun;
static int status;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;

    if (f == NULL) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    for (;;) {
        size_t n;
        if (len == cap) {
            uint8_t *q;
            cap = cap ? cap * 2 : 65536;
            q = realloc(buf, cap);
            if (q == NULL)
                abort();
            buf = q;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "%s: read error\n", path);
        fclose(f);
        free(buf);
        return -1;
    }
    fclose(f);
    {
        uint8_t *exact = fz_copy(buf, len);   /* exact size: over-reads hit the allocation's end */
        free(buf);
        fprintf(stderr, "Running: %s (%zu bytes)\n", path, len);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    nrun++;
    return 0;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool skipped(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' || (n >= 3 && strcmp(name + n - 3, ".md") == 0);
}

static int run_path(const char *path, int depth)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;

    if (stat(path, &st) < 0) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path);
    if (depth > 16 || (d = opendir(path)) == NULL) {
        fprintf(stderr, "%s: cannot open directory\n", path);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (skipped(e->d_name))
            continue;
        if (n == cap) {
            char **q;
            cap = cap ? cap * 2 : 64;
            q = realloc(names, cap * sizeof *q);
            if (q == NULL)
                abort();
            names = q;
        }
        names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
        if (names[n] == NULL)
            abort();
        sprintf(names[n], "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    if (n > 0)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (run_path(names[i], depth + 1) < 0)
            status = 2;
        free(names[i]);
    }
    free(names);
    return 0;
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize != NULL)
        LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        if (run_path(argv[i], 0) < 0)
            status = 2;
    }
    fprintf(stderr, "%s: ran %lu inputs\n", argv[0], nrun);
    if (nrun == 0) {
        fprintf(stderr, "%s: no inputs (usage: %s FILE|DIR...)\n", argv[0], argv[0]);
        return 2;
    }
    return status;
}
