/* hdbench — validation throughput and peak memory: validates each file through the streaming (fd) path,
 * as hdvalidate does, and prints MB/s and the process's peak RSS. Not a test: a measurement.
 * usage: hdbench [--repeat N] FILE... */
#include "hd/validate.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    int repeat = 1, first = 1;
    if (argc > 2 && strcmp(argv[1], "--repeat") == 0) {
        repeat = atoi(argv[2]);
        first = 3;
    }
    if (first >= argc || repeat < 1) {
        fprintf(stderr, "usage: hdbench [--repeat N] FILE...\n");
        return 2;
    }
    printf("%-60s %12s %10s %9s %8s %12s\n", "file", "bytes", "records", "seconds", "MB/s", "peakRSS_KiB");
    for (int i = first; i < argc; i++) {
        hd_result res;
        double best = 1e30;
        for (int r = 0; r < repeat; r++) {
            int fd = open(argv[i], O_RDONLY);
            double t0;
            if (fd < 0) {
                perror(argv[i]);
                return 2;
            }
            t0 = now();
            hd_validate_fd(fd, NULL, NULL, &res);
            t0 = now() - t0;
            close(fd);
            if (t0 < best)
                best = t0;
        }
        printf("%-60s %12" PRIu64 " %10" PRIu64 " %9.3f %8.1f %12ld%s\n", argv[i], res.size, res.records, best,
               (double)res.size / 1e6 / best, peak_rss_kib(), hd_result_valid(&res) ? "" : "  (invalid)");
    }
    return 0;
}
