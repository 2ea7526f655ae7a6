/* related.c — what each cross-reference rule's record refers to (see related.h). */
#include "related.h"

#include <stddef.h>

#define T(x) HD_TAGMASK(HD_TAG_##x)
#define ANY UINT32_MAX
#define SEG (T(DATA) | T(BSS))
#define GROUP (T(FRAME) | T(DEFER) | T(PANIC) | T(TYPE))

static const tf_related table[] = {
    {HD_R_DUPLICATE_SINGLETON, ANY, REL_FIRST, 0, NULL, NULL, "the first record of this kind"},
    {HD_R_GOROUTINE_GROUP, GROUP, REL_OWNER, T(GOROUTINE), NULL, NULL, "its goroutine"},
    {HD_R_TYPE_CONFLICT, T(TYPE), REL_FIELD, T(TYPE), "addr", NULL, "another type record with this address"},
    {HD_R_ITAB_TYPE_MISSING, T(ITAB), REL_FIELD, T(TYPE), "type", NULL, "the type record with the itab's type"},
    {HD_R_ITAB_DUPLICATE, T(ITAB), REL_FIELD, T(ITAB), "addr", NULL, "another itab with this address"},
    {HD_R_OBJECT_OUTSIDE_ARENA, T(OBJECT), REL_PARAMS, T(PARAMS), NULL, NULL, "the params that give the arena"},
    {HD_R_OBJECT_DUPLICATE, T(OBJECT), REL_FIELD, T(OBJECT), "addr", NULL, "another object with this address"},
    {HD_R_OBJECT_OVERLAP, T(OBJECT), REL_CONTAINS, T(OBJECT), "addr", NULL, "an object that holds its address"},
    {HD_R_OBJECT_IN_SEGMENT, T(OBJECT), REL_CONTAINS, SEG, "addr", NULL, "the segment that holds its address"},
    {HD_R_GOROUTINE_DUPLICATE, T(GOROUTINE), REL_FIELD, T(GOROUTINE), "addr", NULL, "another goroutine with this address"},
    {HD_R_GOROUTINE_ID_DUPLICATE, T(GOROUTINE), REL_FIELD, T(GOROUTINE), "id", "id", "another goroutine with this id"},
    {HD_R_GOROUTINE_M_UNKNOWN, T(GOROUTINE), REL_FIELD, T(OSTHREAD), "m", NULL, "the OS thread its m names"},
    {HD_R_FRAME_DEPTH, T(FRAME), REL_PREV_FRAME, T(FRAME), NULL, NULL, "the frame before it"},
    {HD_R_FRAME_CHILD_SP, T(FRAME), REL_PREV_FRAME, T(FRAME), NULL, NULL, "the frame before it"},
    {HD_R_FRAME_SP_NOT_G_SP, T(FRAME), REL_OWNER, T(GOROUTINE), NULL, NULL, "its goroutine"},
    {HD_R_FRAME_SP_ORDER, T(FRAME), REL_PREV_FRAME, T(FRAME), NULL, NULL, "the frame before it"},
    {HD_R_DEFER_CHAIN, T(GOROUTINE), REL_FIELD, T(DEFER), "defer", NULL, "the defer record its defer names"},
    {HD_R_DEFER_CHAIN, T(DEFER), REL_OWNER, T(GOROUTINE), NULL, NULL, "its goroutine"},
    {HD_R_DEFER_GOROUTINE, T(DEFER), REL_OWNER, T(GOROUTINE), NULL, NULL, "the goroutine it follows"},
    {HD_R_PANIC_CHAIN, T(GOROUTINE), REL_FIELD, T(PANIC), "panic", NULL, "the panic record its panic names"},
    {HD_R_PANIC_CHAIN, T(PANIC), REL_OWNER, T(GOROUTINE), NULL, NULL, "its goroutine"},
    {HD_R_PANIC_GOROUTINE, T(PANIC), REL_OWNER, T(GOROUTINE), NULL, NULL, "the goroutine it follows"},
    {HD_R_DEFER_DUPLICATE, T(DEFER), REL_FIELD, T(DEFER), "addr", NULL, "another defer with this address"},
    {HD_R_PANIC_DUPLICATE, T(PANIC), REL_FIELD, T(PANIC), "addr", NULL, "another panic with this address"},
    {HD_R_OSTHREAD_DUPLICATE, T(OSTHREAD), REL_FIELD, T(OSTHREAD), "addr", NULL, "another OS thread with this address"},
    {HD_R_OSTHREAD_ID_DUPLICATE, T(OSTHREAD), REL_FIELD, T(OSTHREAD), "id", "id", "another OS thread with this id"},
    {HD_R_SEGMENTS_OVERLAP, SEG, REL_CONTAINS, SEG, "addr", NULL, "the segment that holds its address"},
    {HD_R_FINALIZER_NO_OBJECT, T(FINALIZER) | T(QFINAL), REL_CONTAINS, T(OBJECT), "obj", NULL, "the object that holds its obj"},
    {HD_R_FINALIZER_DUPLICATE, T(FINALIZER), REL_FIELD, T(FINALIZER), "obj", "obj", "another finalizer for this object"},
    {HD_R_MEMPROF_DUPLICATE, T(MEMPROF), REL_FIELD, T(MEMPROF), "addr", NULL, "another bucket with this address"},
    {HD_R_SAMPLE_BUCKET_UNKNOWN, T(ALLOCSAMPLE), REL_FIELD, T(MEMPROF), "bucket", NULL, "the bucket it names"},
    {HD_R_SAMPLE_NO_OBJECT, T(ALLOCSAMPLE), REL_CONTAINS, T(OBJECT), "addr", NULL, "the object that holds its addr"},
    {HD_R_SAMPLE_DUPLICATE, T(ALLOCSAMPLE), REL_FIELD, T(ALLOCSAMPLE), "addr", NULL, "another sample with this address"},
};

const tf_related *tf_related_of(hd_rule rule, unsigned tag)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].rule == rule && tag < 32 && (table[i].on & HD_TAGMASK(tag)) != 0)
            return &table[i];
    return NULL;
}
