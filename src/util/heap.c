/* kumihan runs for a fraction of a second and allocates ~30 MB (the report
 * laid out) to ~200 MB (fifty times the text). With glibc's defaults,
 * blocks over 128 kB are mapped and unmapped on every allocation, the
 * heap is grown 128 kB at a time and trimmed back whenever its top is
 * free, and every new 4 kB page costs a fault: 3,300 of them for the
 * report's EPUB, a third of its run time on a virtual machine where a
 * fault costs ~8 us. So: blocks up to 32 MB come from the heap, which grows
 * in steps of 64 MB or the size the manuscript will need, whichever is
 * larger, is not trimmed, and the kernel is
 * asked for transparent huge pages on it (one fault per 2 MB where the
 * system allows them; glibc's own glibc.malloc.hugetlb=1 tunable does the
 * same, but only from the environment). Pages are still only touched when
 * used, so the resident size stays what the run uses. */
#define _DEFAULT_SOURCE /* sbrk, madvise, MADV_HUGEPAGE */
#include "util/heap.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define STEP ((size_t)64 << 20)
#define MAX_STEP ((size_t)1 << 30)
#define HUGE_PAGE ((uintptr_t)2 << 20)

void heap_tune(size_t input_bytes)
{
    /* a run's heap is about 100 times its manuscript (the report: 45 kB
     * of Markdown, 4 MB of heap; fifty times the text: 180 MB) */
    size_t step = input_bytes > MAX_STEP / 100 ? MAX_STEP : input_bytes * 100;
    if (step < STEP)
        step = STEP;
    /* blocks up to 32 MB (glibc's limit here) come from the heap too */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, (int)(step > INT32_MAX / 4 ? INT32_MAX : 4 * step));
    mallopt(M_TOP_PAD, (int)step);
#ifdef MADV_HUGEPAGE
    /* grow the heap by one step now, and mark the step for huge pages */
    uintptr_t lo = (uintptr_t)sbrk(0);
    /* more than the heap's free top holds, so that it grows */
    void *p = malloc(mallinfo2().keepcost + (1u << 16));
    uintptr_t hi = (uintptr_t)sbrk(0);
    free(p);
    lo = (lo + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    hi &= ~(HUGE_PAGE - 1);
    if (p && lo != (uintptr_t)-1 && hi > lo)
        madvise((void *)lo, hi - lo, MADV_HUGEPAGE); /* advice: failure is fine */
#endif
}
