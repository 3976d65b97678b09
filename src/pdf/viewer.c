#include "pdf/viewer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The last occurrence of `needle` in s[0..n), or NULL. */
static const char *last_of(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
        if (memcmp(s + i, needle, k) == 0)
            return s + i;
    return NULL;
}

/* The number after `key` in the dictionary text d (up to its end), or -1. */
static long number_after(const char *d, const char *end, const char *key)
{
    const char *p = last_of(d, (size_t)(end - d), key);
    if (!p)
        return -1;
    char *stop;
    long v = strtol(p + strlen(key), &stop, 10);
    return stop == p + strlen(key) ? -1 : v;
}

bool pdf_viewer_r2l(buf *pdf)
{
    const char *s = pdf->data;
    size_t n = pdf->len;
    if (!s || n == 0)
        return false;
    const char *sx = last_of(s, n, "startxref");
    const char *tr = sx ? last_of(s, (size_t)(sx - s), "trailer") : NULL;
    if (!tr)
        return false;
    long prev = strtol(sx + 9, NULL, 10);
    long root = number_after(tr, sx, "/Root ");
    long size = number_after(tr, sx, "/Size ");
    long info = number_after(tr, sx, "/Info ");
    if (prev <= 0 || root <= 0 || size <= root)
        return false;
    const char *id = last_of(tr, (size_t)(sx - tr), "/ID");
    const char *id_end = id ? memchr(id, ']', (size_t)(sx - id)) : NULL;
    /* the catalog object as Cairo wrote it: "N 0 obj\n<< ... >>\nendobj" */
    char head[32];
    snprintf(head, sizeof head, "\n%ld 0 obj", root);
    const char *obj = last_of(s, (size_t)(tr - s), head);
    const char *open = obj ? strstr(obj, "<<") : NULL;
    const char *endobj = obj ? strstr(obj, "endobj") : NULL;
    if (!open || !endobj || open > endobj)
        return false;
    const char *close = last_of(open, (size_t)(endobj - open), ">>");
    if (!close || last_of(open, (size_t)(close - open), "/ViewerPreferences"))
        return false;
    buf up = {0};
    if (s[n - 1] != '\n')
        buf_putc(&up, '\n');
    size_t at = n + up.len;
    buf_printf(&up, "%ld 0 obj\n", root);
    buf_put(&up, open, (size_t)(close - open));
    buf_puts(&up, "   /ViewerPreferences << /Direction /R2L >>\n>>\nendobj\n");
    size_t xref = n + up.len;
    buf_printf(&up, "xref\n%ld 1\n%010zu 00000 n \ntrailer\n<< /Size %ld /Root %ld 0 R",
               root, at, size, root);
    if (info > 0)
        buf_printf(&up, " /Info %ld 0 R", info);
    if (id_end) {
        buf_putc(&up, ' ');
        buf_put(&up, id, (size_t)(id_end - id) + 1);
    }
    buf_printf(&up, " /Prev %ld >>\nstartxref\n%zu\n%%%%EOF\n", prev, xref);
    buf_put(pdf, up.data, up.len);
    free(up.data);
    return true;
}
