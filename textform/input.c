/* input.c — open a dump for hddump: map a regular file, stream anything else, or copy a stream to an
 * unlinked temporary file first when the caller must look back (see textform.h). */
#define _DEFAULT_SOURCE   /* madvise(MADV_DONTNEED): posix_madvise ignores DONTNEED on Linux */
#include "hd/textform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define RELEASE_STEP (8u << 20)    /* hand pages back every 8 MiB of progress: the resident set stays near that */

static int fail(char *err, size_t n, const char *path, const char *what)
{
    snprintf(err, n, "%s: %s", path, what);
    return -1;
}

/* Copy fd to an unlinked temporary file; returns its descriptor or -1. */
static int spool(int fd)
{
    static char buf[1 << 16];
    FILE *tmp = tmpfile();
    int out;
    ssize_t n;

    if (tmp == NULL)
        return -1;
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || fwrite(buf, 1, (size_t)n, tmp) != (size_t)n) {
            fclose(tmp);
            return -1;
        }
    }
    if (fflush(tmp) != 0) {
        fclose(tmp);
        return -1;
    }
    out = dup(fileno(tmp));
    fclose(tmp);
    return out;
}

static int map_fd(hd_text_input *in, int fd, uint64_t size)
{
    in->len = size;
    if (size == 0) {
        in->p = (const uint8_t *)"";
        return 0;
    }
    if (size > SIZE_MAX)
        return -1;
    in->map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (in->map == MAP_FAILED) {
        in->map = NULL;
        return -1;
    }
    in->maplen = (size_t)size;
    in->p = in->map;
    madvise(in->map, in->maplen, MADV_SEQUENTIAL);
    return 0;
}

int hd_text_spool(int fd) { return spool(fd); }

int hd_text_input_map_fd(hd_text_input *in, int fd, char *err, size_t errlen)
{
    struct stat sb;

    memset(in, 0, sizeof *in);
    in->fd = -1;
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))
        return fail(err, errlen, "input", "not a regular file");
    if (map_fd(in, fd, (uint64_t)sb.st_size) < 0)
        return fail(err, errlen, "input", "cannot map the file");
    return 0;
}

int hd_text_input_open(hd_text_input *in, const char *path, bool random_access, char *err, size_t errlen)
{
    struct stat sb;
    int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);

    memset(in, 0, sizeof *in);
    in->fd = -1;
    if (fd < 0)
        return fail(err, errlen, path, strerror(errno));
    if (fstat(fd, &sb) < 0) {
        if (fd != 0)
            close(fd);
        return fail(err, errlen, path, strerror(errno));
    }
    /* a regular file is mapped from its start: standard input redirected from a file at another position is
     * read from there on, like a stream */
    bool mappable = S_ISREG(sb.st_mode) && lseek(fd, 0, SEEK_CUR) == 0;
    if (!mappable && !random_access) {
        in->fd = fd;
        in->close_fd = fd != 0;
        return 0;
    }
    if (!mappable) {
        int copy = spool(fd);
        if (fd != 0)
            close(fd);
        if (copy < 0)
            return fail(err, errlen, path, "cannot copy the stream to a temporary file");
        fd = copy;
    } else if (fd == 0) {
        fd = dup(0);            /* keep standard input open whatever happens to the copy */
    }
    int rc = hd_text_input_map_fd(in, fd, err, errlen);
    close(fd);                   /* the mapping stays valid */
    return rc < 0 ? fail(err, errlen, path, "cannot map the file") : 0;
}

void hd_text_input_release(hd_text_input *in, uint64_t upto)
{
    long page = sysconf(_SC_PAGESIZE);
    uint64_t to;
    if (in->map != NULL && upto < in->released)
        in->released = 0;        /* a new pass started from the beginning */
    if (in->map == NULL || page <= 0 || upto > in->maplen || upto < in->released + RELEASE_STEP)
        return;
    to = upto / (uint64_t)page * (uint64_t)page;
    if (to > in->released)
        madvise((char *)in->map + in->released, (size_t)(to - in->released), MADV_DONTNEED);
    in->released = to;
}

void hd_text_input_close(hd_text_input *in)
{
    if (in->map != NULL)
        munmap(in->map, in->maplen);
    if (in->close_fd && in->fd >= 0)
        close(in->fd);
    memset(in, 0, sizeof *in);
    in->fd = -1;
}
