/* api.h — what the installed library exports. Only functions marked HD_API are part of libhdvalidate's stable
 * interface (docs/api.md); the shared library is built with every other symbol hidden. */
#ifndef HD_API_H
#define HD_API_H

#if defined(HD_BUILDING_SHARED) && defined(__GNUC__)
#define HD_API __attribute__((visibility("default")))
#else
#define HD_API
#endif

#endif
