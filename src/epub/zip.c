#include "epub/epub.h"
bool epub_write(const doc *d, const style *st, const epub_pagemap *pm,
                const buf *cover_png, int fd, diag *dg)
{
    (void)d; (void)st; (void)pm; (void)cover_png; (void)fd;
    diag_error(dg, (diag_loc){0}, "epub: not yet");
    return false;
}
