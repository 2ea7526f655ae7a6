/* arch.c — the architectures a dump may name (include/hd/arch.def). */
#include "hd/format.h"

#include <string.h>

static const hd_arch archs[] = {
#define HD_ARCH(code, name, ptrsize, order, since, until, flags, gap, arena) \
    {code, name, ptrsize, order, since, until, flags, gap, arena},
#include "hd/arch.def"
#undef HD_ARCH
};

#define NARCHS (sizeof archs / sizeof archs[0])

const hd_arch *hd_arch_by_goarch(const uint8_t *s, size_t len)
{
    for (size_t i = 0; i < NARCHS; i++)
        if (archs[i].code == 0 && strlen(archs[i].name) == len && memcmp(archs[i].name, s, len) == 0)
            return &archs[i];
    return NULL;
}

const hd_arch *hd_arch_by_name(const char *goarch)
{
    return hd_arch_by_goarch((const uint8_t *)goarch, strlen(goarch));
}

const hd_arch *hd_arch_by_code(uint64_t code)
{
    for (size_t i = 0; i < NARCHS; i++)
        if (archs[i].code != 0 && (uint64_t)(unsigned char)archs[i].code == code)
            return &archs[i];
    return NULL;
}
