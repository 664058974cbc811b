/* catalogue_bench FILE DB: how long the catalogue takes to load and store (not a test).
 *   make catalogue-bench   generates 100,000 items with catalogue_gen and runs this on them
 * Prints the median of RUNS runs of: catalogue_parse from memory (the text copied in, as from
 * the platform link), catalogue_load_file (the text read from disk and handed over),
 * catalogue_store into a fresh database and over a stored catalogue, and
 * catalogue_load_stored; then the peak resident memory. DB is removed first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "firmware/catalogue/catalogue.h"

#define RUNS 5

static double bench_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values, int count)
{
    qsort(values, (size_t)count, sizeof *values, compare_double);
    return values[count / 2];
}

static void db_remove(const char *path)
{
    char name[4096];
    unlink(path);
    snprintf(name, sizeof name, "%s-wal", path);
    unlink(name);
    snprintf(name, sizeof name, "%s-shm", path);
    unlink(name);
}

/* Resident memory now, in MB (Linux). */
static double bench_rss_mb(void)
{
    long pages = 0, resident = 0;
    FILE *statm = fopen("/proc/self/statm", "r");
    if (statm) {
        if (fscanf(statm, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(statm);
    }
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / 1e6;
}

static int bench_fail(const char *what, const char *err)
{
    fprintf(stderr, "catalogue_bench: %s: %s\n", what, err);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: catalogue_bench FILE DB\n");
        return 2;
    }
    FILE *file = fopen(argv[1], "rb");
    if (!file || fseek(file, 0, SEEK_END) < 0)
        return bench_fail(argv[1], "cannot open");
    long size = ftell(file);
    rewind(file);
    char *text = malloc((size_t)size + 1);
    if (!text || fread(text, 1, (size_t)size, file) != (size_t)size)
        return bench_fail(argv[1], "cannot read");
    fclose(file);

    struct catalogue *catalogue = NULL;
    char err[512];
    size_t items = 0;
    double held = 0;
    double parse[RUNS], load[RUNS], store_fresh[RUNS], store_replace[RUNS], load_stored[RUNS];
    for (int run = 0; run < RUNS; run++) {
        double start = bench_now();
        if (catalogue_parse(text, (size_t)size, &catalogue, err, sizeof err) < 0)
            return bench_fail("catalogue_parse", err);
        parse[run] = bench_now() - start;
        catalogue_free(catalogue);

        double before = bench_rss_mb();
        start = bench_now();
        if (catalogue_load_file(argv[1], &catalogue, err, sizeof err) < 0)
            return bench_fail("catalogue_load_file", err);
        load[run] = bench_now() - start;
        held = bench_rss_mb() - before;
        items = catalogue->item_count;

        db_remove(argv[2]);
        start = bench_now();
        if (catalogue_store(catalogue, argv[2], err, sizeof err) < 0)
            return bench_fail("catalogue_store", err);
        store_fresh[run] = bench_now() - start;
        start = bench_now();
        if (catalogue_store(catalogue, argv[2], err, sizeof err) < 0)
            return bench_fail("catalogue_store", err);
        store_replace[run] = bench_now() - start;
        catalogue_free(catalogue);

        start = bench_now();
        if (catalogue_load_stored(argv[2], &catalogue, err, sizeof err) < 0)
            return bench_fail("catalogue_load_stored", err);
        load_stored[run] = bench_now() - start;
        printf("run %d: %zu items\n", run + 1, catalogue->item_count);
        catalogue_free(catalogue);
    }
    db_remove(argv[2]);
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("document: %zu items, %.1f MB (%.0f bytes an item)\n", items, (double)size / 1e6,
           (double)size / (double)items);
    printf("median of %d runs, ms:\n", RUNS);
    printf("  catalogue_parse (copy + check)  %7.1f  (%.0f MB/s)\n", median(parse, RUNS) * 1e3,
           (double)size / 1e6 / median(parse, RUNS));
    printf("  catalogue_load_file             %7.1f\n", median(load, RUNS) * 1e3);
    printf("  catalogue_store, fresh file     %7.1f\n", median(store_fresh, RUNS) * 1e3);
    printf("  catalogue_store, replacing      %7.1f\n", median(store_replace, RUNS) * 1e3);
    printf("  catalogue_load_stored           %7.1f\n", median(load_stored, RUNS) * 1e3);
    printf("a loaded catalogue holds about %.0f MB (its document included)\n", held);
    printf("peak RSS: %.0f MB (the text held by this program included)\n", (double)usage.ru_maxrss / 1024);
    free(text);
    return 0;
}
