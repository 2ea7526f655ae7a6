/* validate.h — one call that validates one dump: reader + checker + counters.
 *
 * This is the entry point for the CLI, the tests and the fuzz targets. Diagnostics go to the sink as they
 * are found; the summary comes back in hd_result. */
#ifndef HD_VALIDATE_H
#define HD_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hd/api.h"
#include "hd/diag.h"
#include "hd/format.h"

typedef struct {
    uint64_t max_errors;        /* stop after this many errors; 0 = no limit */
    unsigned threads;           /* threads to use: 0 one per core (up to 2), 1 none besides the caller's; the
                                 * diagnostics and the result are the same whatever the number */
    const char *go_version;     /* --go=1.19: the producer's Go release, NULL = detect */
    const char *producer;       /* --producer=gc|gccgo, NULL = detect */
    /* Expected deviations (--known-deviations): findings of these rules are lowered to INFO, so a CI that
     * regression-tests a producer fails only on new deviations. */
    bool        known[HD_RULE_COUNT];
    /* Optional: called about every 16 MiB of input read (done: bytes of the dump so far; total: the input's
     * size when known, else 0). */
    void      (*progress)(void *ctx, uint64_t done, uint64_t total);
    void       *progress_ctx;
} hd_options;

typedef struct {
    bool        header_ok;
    hd_header_id header;
    hd_layout   layout;
    unsigned    ptrsize;        /* 0 if no params record was read */
    bool        big_endian;
    char        producer[16];   /* profile applied: "gc", "gccgo" */
    char        go_version[64]; /* producer release as detected or given ("go1.19.8", "1.19", "") */
    uint64_t    size;           /* bytes read */
    uint64_t    records;
    uint64_t    count[HD_TAG_COUNT];
    uint64_t    bytes[HD_TAG_COUNT];
    uint64_t    errors, warnings, infos;
    uint64_t    rule_count[HD_RULE_COUNT];   /* findings of each rule (exact, whatever a reporter shows) */
    uint64_t    xref_entries;   /* cross-reference ledger entries (objects included), for the benchmark */
    uint64_t    xref_spilled;   /* bytes of them written to the temporary file */
    const char *compression;    /* "gzip", "zstd", "xz" for a compressed input, else NULL */
    uint64_t    compressed_size;            /* compressed bytes read */
    uint64_t    max_frames;     /* deepest goroutine stack (frames of one goroutine) */
    bool        stopped;        /* decoding stopped early (boundary lost or --max-errors) */
    const char *io_error;       /* non-NULL: the input could not be read (exit 2) */
} hd_result;

HD_API void hd_options_init(hd_options *o);

/* Validate a dump held in memory / read from a file descriptor. */
HD_API void hd_validate_mem(const uint8_t *p, size_t len, const hd_options *o, const hd_diag_sink *sink, hd_result *res);
HD_API void hd_validate_fd(int fd, const hd_options *o, const hd_diag_sink *sink, hd_result *res);

/* The library's version, "0.2.0" (HD_VERSION_STRING of hd/version.h when it was built). */
HD_API const char *hd_version(void);

/* Verdict: valid means no error-severity diagnostic and no I/O error. */
static inline bool hd_result_valid(const hd_result *r) { return r->errors == 0 && r->io_error == NULL; }

#endif
