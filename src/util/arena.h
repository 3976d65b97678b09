/* Per-document bump allocator: the tree, shaped runs, lines and pages are
 * built once, read, and dropped together (README: Conventions in the
 * code). */
#ifndef KM_ARENA_H
#define KM_ARENA_H
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
/* Zeroed memory aligned for any type; lives until arena_free. Aborts on
 * out of memory. */
void *arena_alloc(arena *a, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
void arena_free(arena *a);

#endif
