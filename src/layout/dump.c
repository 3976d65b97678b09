#include <stdio.h>
#include <string.h>

#include "layout/layout.h"

static const char *role_name(lay_role r)
{
    static const char *names[] = {
        [ROLE_BODY] = "body", [ROLE_HEADING] = "heading", [ROLE_NOTE] = "note",
        [ROLE_TITLE] = "title", [ROLE_TOC] = "toc", [ROLE_HEAD] = "head",
        [ROLE_FOLIO] = "folio", [ROLE_CODE] = "code",
        [ROLE_CAPTION] = "caption", [ROLE_CELL] = "cell", [ROLE_RUBY] = "ruby",
        [ROLE_MARK] = "mark",
    };
    return (size_t)r < sizeof names / sizeof *names ? names[r] : "?";
}

void layout_dump(const layout *l, buf *out)
{
    for (size_t p = 0; p < l->npages; p++) {
        const lay_page *pg = &l->pages[p];
        buf_printf(out, "page %d%s%s\n", pg->number, pg->head ? " head=" : "",
                   pg->head ? pg->head : "");
        for (size_t i = 0; i < pg->nlines; i++) {
            const lay_line *ln = &pg->lines[i];
            const shaped *sh = ln->sh;
            size_t b0 = sh->cell_byte[ln->start], b1 = sh->cell_byte[ln->end];
            double w = ln->x[ln->end - ln->start];
            buf_printf(out, "  %-7s x=%.2f y=%.2f w=%.2f |", role_name(ln->role),
                       ln->x0, ln->y, w);
            /* the text, with the space after each cell in 1/100 em where
             * it differs from none: 中国<25>AI */
            for (size_t c = ln->start; c < ln->end; c++) {
                size_t cb0 = sh->cell_byte[c], cb1 = sh->cell_byte[c + 1];
                if (sh->cells[c].flags & JP_INDENT)
                    buf_puts(out, "\xe3\x80\x80");
                else if (sh->text[cb0] == '\n')
                    buf_puts(out, "\\n");
                else
                    buf_put(out, sh->text + cb0, cb1 - cb0);
                if (c + 1 < ln->end) {
                    /* the composer's space: the font's own kerning
                     * (jp_cell.kern) is part of the setting */
                    double gap = ln->x[c + 1 - ln->start] -
                                 (ln->x[c - ln->start] + sh->cells[c].advance +
                                  sh->cells[c].kern);
                    double em = sh->cells[c].em;
                    int q = (int)(gap / em * 100 + (gap >= 0 ? 0.5 : -0.5));
                    if (q != 0)
                        buf_printf(out, "<%d>", q);
                }
            }
            (void)b0;
            (void)b1;
            buf_puts(out, ln->hyphen ? "\\-|\n" : "|\n");
        }
        for (size_t i = 0; i < pg->nimages; i++) {
            const lay_image *im = &pg->images[i];
            buf_printf(out, "  image   x=%.2f y=%.2f w=%.2f h=%.2f #%d\n", im->x,
                       im->y, im->w, im->h, im->image + 1);
        }
    }
}
