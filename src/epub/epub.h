/* The e-reader edition: the document tree -> EPUB 3 (XHTML, CSS, OPF, nav,
 * NCX) in a zip. libxml2 and libzip are used here only. */
#ifndef KM_EPUB_H
#define KM_EPUB_H
#include <stdbool.h>

#include "doc/doc.h"
#include "style/style.h"
#include "util/buf.h"
#include "util/diag.h"

/* The cover image, which may still be in the making: epub_write calls
 * get(ctx) once, after the content documents are written and before
 * anything else, for the PNG (NULL or empty: no cover). */
typedef struct epub_cover {
    const buf *(*get)(void *ctx);
    void *ctx;
} epub_cover;

/* Writes the EPUB to the open file descriptor fd: the plain edition, or
 * with `ed` one recipient's (its notice on the title page and the
 * colophon, its own identifier and rights). Returns false with an
 * error. */
bool epub_write(const doc *d, const style *st, const doc_pagemap *pm,
                epub_cover cover, const doc_edition *ed, int fd, diag *dg);

#endif
