/* test_source.c — the byte window over a descriptor: a file that grows while it is read (the size fstat gave is
 * no longer the truth), and an endless stream after the EOF record. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hd/reader.h"
#include "tdump.h"

typedef struct { unsigned n, s113, wrapped; } seen;

static void note(void *ctx, const hd_diag *d)
{
    seen *s = ctx;
    s->n++;
    s->s113 += d->rule == HD_R_TRAILING_BYTES;
    s->wrapped += strstr(d->message, "1844674407") != NULL;
}

/* Half a dump on disk when the reader opens it (and fstat sees that size); the rest, and junk after the EOF
 * record, appended before it reads on: every record is read, the junk is said once, no count wraps. */
static void test_file_grows(void **state)
{
    char path[] = "/tmp/hdgrowXXXXXX";
    int fd = mkstemp(path), wfd;
    tdump t;
    size_t half;
    seen s = {0, 0, 0};
    hd_diag_sink sink = {note, &s};
    hd_reader *r;
    hd_header_id h;
    hd_record rec;
    uint64_t records = 0;
    (void)state;

    assert_true(fd >= 0);
    unlink(path);
    tdump_begin(&t, HD_H17, 8);
    tdump_finish(&t);
    half = t.m.len / 2;
    assert_int_equal(write(fd, t.m.p, half), (ssize_t)half);
    wfd = dup(fd);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    r = hd_reader_open_fd(fd, &sink);
    assert_non_null(r);
    assert_int_equal(pwrite(wfd, t.m.p + half, t.m.len - half, (off_t)half), (ssize_t)(t.m.len - half));
    assert_int_equal(pwrite(wfd, "junkjunk", 8, (off_t)t.m.len), 8);
    assert_int_equal(hd_reader_header(r, &h), 0);
    while (hd_reader_next(r, &rec) == 1) {
        records++;
        if (rec.tag == HD_TAG_EOF) {
            assert_int_equal(hd_reader_expect_end(r), -1);
            break;
        }
    }
    assert_int_equal(records, 7);
    assert_int_equal(s.s113, 1);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.wrapped, 0);
    assert_int_equal(hd_reader_offset(r), t.m.len);     /* reading stopped at the first trailing byte */
    hd_reader_free(r);
    close(fd);
    close(wfd);
    tdump_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_grows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
