#include "util/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
} chunk;

struct arena {
    chunk *head;
};

enum { CHUNK_SIZE = 64 * 1024 };

arena *arena_new(void)
{
    return xcalloc(1, sizeof(arena));
}

void *arena_alloc(arena *a, size_t n)
{
    const size_t al = alignof(max_align_t);
    n = (n + al - 1) & ~(al - 1);
    chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_SIZE / 4 ? n : CHUNK_SIZE;
        c = xmalloc(sizeof(chunk) + size);
        c->used = 0;
        c->size = size;
        if (size == n && a->head) {
            /* a big block gets its own chunk behind the current one, so the
             * current chunk's free space is not wasted */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

void arena_free(arena *a)
{
    if (!a)
        return;
    for (chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}
