/* Growable byte buffer, always NUL-terminated (like cmark_strbuf). */
#ifndef KM_BUF_H
#define KM_BUF_H
#include <stdbool.h>
#include <stddef.h>

typedef struct buf {
    char *data; /* owned; NUL-terminated when len > 0 or after any put */
    size_t len;
    size_t cap;
} buf;

void buf_put(buf *b, const void *p, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the contents as a string; "" for an empty buffer. Borrowed. */
const char *buf_str(const buf *b);
/* Hands the contents to the caller (who frees them) and empties b. */
char *buf_detach(buf *b);
void buf_clear(buf *b);
/* Appends the whole of the file at path; false (errno set) if it cannot
 * be opened or read, with what was read appended. */
bool buf_read_file(buf *b, const char *path);
void buf_free(buf *b);

#endif
