/*
 * Cross-check of MemoryBandwidthBench outside the JVM: OpenMP threads sum a 2 GiB buffer with
 * AVX-512 loads (four independent accumulators each), optionally with software prefetch and
 * transparent huge pages, and print GB/s per repetition.
 *
 *   gcc -O3 -march=native -fopenmp bench/bwprobe.c -o /tmp/bwprobe
 *   OMP_NUM_THREADS=2 /tmp/bwprobe [prefetch-distance-bytes, 0 = none] [huge-pages 0|1]
 *
 * Needs an AVX-512 CPU (the build machine has one); it is a measurement aid, not part of the engine.
 */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv) {
    const size_t bytes = (size_t)2 << 30;
    const size_t ahead = argc > 1 ? (size_t)atol(argv[1]) : 0;
    const int huge = argc > 2 ? atoi(argv[2]) : 0;
    char *buf = aligned_alloc(1 << 21, bytes);
    if (buf == NULL) { fprintf(stderr, "bwprobe: cannot allocate %zu bytes\n", bytes); return 1; }
    if (huge) madvise(buf, bytes, MADV_HUGEPAGE);
    memset(buf, 1, bytes); /* touch every page before timing */
    for (int rep = 0; rep < 6; rep++) {
        double start = omp_get_wtime();
        long checksum = 0;
#pragma omp parallel reduction(+ : checksum)
        {
            __m512i s0 = _mm512_setzero_si512(), s1 = s0, s2 = s0, s3 = s0;
#pragma omp for schedule(static)
            for (size_t off = 0; off < bytes; off += 256) {
                if (ahead && off + ahead + 256 <= bytes) {
                    for (int line = 0; line < 256; line += 64) _mm_prefetch(buf + off + ahead + line, _MM_HINT_T0);
                }
                s0 = _mm512_add_epi32(s0, _mm512_load_si512(buf + off));
                s1 = _mm512_add_epi32(s1, _mm512_load_si512(buf + off + 64));
                s2 = _mm512_add_epi32(s2, _mm512_load_si512(buf + off + 128));
                s3 = _mm512_add_epi32(s3, _mm512_load_si512(buf + off + 192));
            }
            checksum += _mm512_reduce_add_epi32(_mm512_add_epi32(_mm512_add_epi32(s0, s1), _mm512_add_epi32(s2, s3)));
        }
        double seconds = omp_get_wtime() - start;
        printf("threads %d, prefetch %zu, huge pages %d: %.1f GB/s (checksum %ld)\n",
               omp_get_max_threads(), ahead, huge, bytes / seconds / 1e9, checksum);
    }
    free(buf);
    return 0;
}
