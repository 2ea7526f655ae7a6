/* mkhostile.c — writes the crafted dumps the command-line tests need (tests/cli/test_hostile.sh).
 *
 *   mkhostile KIND OUT [N]
 *
 *   frameless N      the dumping goroutine, then N goroutines without frames: N findings of G118 (a warning)
 *   cut-object       params, then an object record cut after its tag: S111 inside an object record
 *   tag-18           a valid dump whose EOF record is preceded by a record of tag 18 (S107) */
#include "tdump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void frameless(tdump *t, unsigned n)
{
    tdump_begin(t, HD_H17, 8);
    tdump_goroutines(t);
    for (unsigned i = 0; i < n; i++) {
        hd_record g = tdump_dumping_goroutine(t);
        g.u.goroutine.addr = UINT64_C(0xc000100000) + (uint64_t)i * 0x200;
        g.u.goroutine.id = 100 + (uint64_t)i;
        g.u.goroutine.waitreason = hd_bytes_str("chan receive");
        tdump_rec(t, &g);
    }
    tdump_finish(t);
}

static void cut_object(tdump *t)
{
    tdump_begin(t, HD_H17, 8);
    hd_enc_uvarint(&t->o, HD_TAG_OBJECT);
    hd_out_flush(&t->o);
}

static void tag_18(tdump *t)
{
    tdump_begin(t, HD_H17, 8);
    tdump_tail(t);
    hd_enc_uvarint(&t->o, 18);
    hd_out_flush(&t->o);
}

int main(int argc, char **argv)
{
    tdump t;
    FILE *f;

    if (argc < 3) {
        fprintf(stderr, "usage: mkhostile KIND OUT [N]\n");
        return 2;
    }
    if (strcmp(argv[1], "frameless") == 0 && argc == 4)
        frameless(&t, (unsigned)strtoul(argv[3], NULL, 10));
    else if (strcmp(argv[1], "cut-object") == 0)
        cut_object(&t);
    else if (strcmp(argv[1], "tag-18") == 0)
        tag_18(&t);
    else {
        fprintf(stderr, "mkhostile: unknown kind %s\n", argv[1]);
        return 2;
    }
    if ((f = fopen(argv[2], "wb")) == NULL || fwrite(t.m.p, 1, t.m.len, f) != t.m.len || fclose(f) != 0) {
        perror(argv[2]);
        return 2;
    }
    tdump_free(&t);
    return 0;
}
