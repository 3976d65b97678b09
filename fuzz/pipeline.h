/* What the whole-pipeline harnesses share: a manuscript set, start to
 * finish, in memory (no file is written): layout, its own check, the PDF
 * (and the first client's copy, when there are recipients) and the EPUB
 * into memory files. A failed self-check, a writer that
 * fails on a laid-out document, or output that is not a PDF or a ZIP is
 * a bug: abort(), which libFuzzer reports. */
#ifndef KM_FUZZ_PIPELINE_H
#define KM_FUZZ_PIPELINE_H
#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before any #include (memfd_create)"
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "epub/epub.h"
#include "image/image.h"
#include "layout/layout.h"
#include "pdf/pdf.h"

/* Does the memory file fd begin with `magic`? */
static inline bool fz_starts(int fd, const char *magic)
{
    char head[8] = {0};
    size_t n = strlen(magic);
    return pread(fd, head, n, 0) == (ssize_t)n && memcmp(head, magic, n) == 0;
}

/* Sets d (parsed without error) in st: layout, check, PDF, EPUB. Input
 * errors found on the way (a table too wide, a missing image) are fine. */
static inline void fz_set(doc *d, const style *st, fonts *f, diag *dg)
{
    if (!images_load(d, dg))
        return;
    size_t errors = dg->errors;
    layout *L = layout_run(d, st, f, dg, NULL);
    if (!L) { /* a font the style names is not there: said as an error */
        if (dg->errors == errors)
            abort();
        return;
    }
    if (dg->errors > errors) {
        layout_free(L);
        return;
    }
    if (!layout_check(L, dg))
        abort();
    int fd = memfd_create("pdf", 0);
    if (fd < 0 || !pdf_write(L, d, NULL, fd, dg) || !fz_starts(fd, "%PDF-"))
        abort();
    close(fd);
    if (d->neditions > 0 && d->editions[0].id && d->editions[0].to) {
        /* a client's copy: its overlay over the same pages */
        lay_overlay ov;
        layout_edition(L, d, f, &d->editions[0], &ov);
        pdf_opts po = {.overlay = &ov};
        fd = memfd_create("edition", 0);
        if (fd < 0 || !pdf_write(L, d, &po, fd, dg) || !fz_starts(fd, "%PDF-"))
            abort();
        close(fd);
    }
    doc_pagemap pm;
    layout_page_map(L, &pm);
    fd = memfd_create("epub", 0);
    if (fd < 0 || !epub_write(d, st, &pm, (epub_cover){0}, NULL, fd, dg) ||
        !fz_starts(fd, "PK"))
        abort();
    close(fd);
    doc_pagemap_free(&pm);
    layout_free(L);
}

#endif
