/* Allocation wrappers: out of memory aborts, so no caller has an error path
 * for it, as cmark's default allocator does (README: Conventions in the
 * code). */
#ifndef KM_XALLOC_H
#define KM_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (an array of *cap elements of `size` bytes) to hold at least
 * `need` elements, doubling. */
void xgrow(void **p, size_t *cap, size_t need, size_t size);
/* Appends v to the array arr of n elements (capacity cap), growing it. */
#define XPUSH(arr, n, cap, v)                                               \
    do {                                                                    \
        xgrow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr));            \
        (arr)[(n)++] = (v);                                                 \
    } while (0)
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
