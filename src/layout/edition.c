/* Client editions: one copy's marking, notices and watermark, placed
 * over the pages every copy shares (see layout.h, lay_overlay). */
#include <stdlib.h>
#include <string.h>

#include "layout/layout.h"
#include "layout/para.h"
#include "util/xalloc.h"

/* `text` in `family` at `size`, broken into lines no longer than
 * `measure`, with their left ends at 0 and their baselines at 0. Up to
 * `max` lines go to out[] (their cells live as long as the layout), their
 * natural widths to width[]. Returns how many. */
static size_t set_text(layout *L, const doc *d, fonts *f, const char *text,
                   const char *family, double size, double measure,
                   lay_line *out, double *width, size_t max)
{
    lay_env e = {.d = d, .st = L->st, .f = f, .L = L};
    para_style ps = {.family = family, .size = size, .measure = measure,
                     .role = ROLE_TITLE};
    lay_para *p = para_make_text(&e, text, &ps, -1);
    size_t n = p->nlines < max ? p->nlines : max;
    for (size_t i = 0; i < n; i++) {
        out[i] = para_box(&e, p, i, 0, ROLE_TITLE);
        width[i] = para_line_width(p, i);
    }
    para_free(p);
    return n;
}

/* Lines of `text` on `page` (-1: every page), centred in the measure or
 * flush left, from baseline y on, a line and a half apart. */
static void place(layout *L, const doc *d, fonts *f, lay_overlay *ov,
                  const char *text, double size, double y, long page,
                  bool left)
{
    const style *st = L->st;
    lay_line ln[3];
    double w[3];
    size_t n = set_text(L, d, f, text, st->body_font, size, style_measure(st),
                        ln, w, 3);
    for (size_t i = 0; i < n && ov->nlines < LAY_OVERLAY_MAX; i++) {
        ln[i].x0 = left ? style_left(st)
                        : style_left(st) + (style_measure(st) - w[i]) / 2;
        ln[i].y = y + (double)i * size * 1.5;
        ov->lines[ov->nlines++] = (lay_overlay_line){ln[i], page};
    }
}

void layout_edition(layout *L, const doc *d, fonts *f, const doc_edition *ed,
                    lay_overlay *out)
{
    const style *st = L->st;
    *out = (lay_overlay){.ed = ed};
    char *mark = doc_edition_marking(d, ed);
    /* the foot: under the folio, inside the page */
    double foot = style_top(st) + style_block_height(st) + 3.4 * st->pitch;
    if (foot > st->page_h - 12)
        foot = st->page_h - 12;
    place(L, d, f, out, mark, 7, foot, -1, false);
    if (L->title_page >= 0)
        place(L, d, f, out, mark, st->body_size, L->title_notice_y,
              L->title_page, false);
    if (L->colophon_page >= 0)
        place(L, d, f, out, mark, st->note_size, L->colophon_notice_y,
              L->colophon_page, true);
    if (st->watermark) {
        double w;
        if (set_text(L, d, f, ed->to, st->heading_font, 36, 1e6,
                     &out->watermark, &w, 1) == 1) {
            out->has_watermark = true;
            out->watermark_w = w;
        }
    }
    free(mark);
}
