/* Client editions: one copy's marking, notices and watermark, placed
 * over the pages every copy shares (see layout.h, lay_overlay). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/layout.h"
#include "layout/para.h"
#include "util/buf.h"
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

/* Lines of `text` on `page` (-1: every page, of a folio's parity if
 * `parity`), from baseline y on, a line and a half apart: centred in the
 * measure, or flush to its start (`align` < 0) or end (> 0). */
static void place(layout *L, const doc *d, fonts *f, lay_overlay *ov,
                  const char *text, double size, double y, long page,
                  int parity, int align)
{
    const style *st = L->st;
    lay_line ln[3];
    double w[3];
    size_t n = set_text(L, d, f, text, st->body_font, size, style_measure(st),
                        ln, w, 3);
    for (size_t i = 0; i < n && ov->nlines < LAY_OVERLAY_MAX; i++) {
        double spare = style_measure(st) - w[i];
        ln[i].x0 = style_left(st) + (align < 0 ? 0 : align > 0 ? spare : spare / 2);
        ln[i].y = y + (double)i * size * 1.5;
        ov->lines[ov->nlines++] = (lay_overlay_line){ln[i], page, parity};
    }
}

/* The watermark's words: the style's editions.watermark-text with the
 * copy's recipient, classification, number and id put in. */
static char *watermark_words(const doc *d, const doc_edition *ed,
                             const char *tmpl)
{
    const char *cls = ed->classification ? ed->classification
                                         : d->meta.classification;
    char copy[16] = "";
    if (ed->copy > 0)
        snprintf(copy, sizeof copy, "No. %d", ed->copy);
    const struct {
        const char *key, *value;
    } subs[] = {{"{to}", ed->to},
                {"{classification}", cls ? cls : ""},
                {"{copy}", copy},
                {"{id}", ed->id}};
    buf b = {0};
    for (const char *p = tmpl; *p;) {
        size_t i = 0;
        while (i < sizeof subs / sizeof *subs &&
               strncmp(p, subs[i].key, strlen(subs[i].key)) != 0)
            i++;
        if (i < sizeof subs / sizeof *subs) {
            buf_puts(&b, subs[i].value);
            p += strlen(subs[i].key);
        } else {
            buf_putc(&b, *p++);
        }
    }
    return buf_detach(&b);
}

void layout_edition(layout *L, const doc *d, fonts *f, const doc_edition *ed,
                    lay_overlay *out)
{
    const style *st = L->st;
    *out = (lay_overlay){.ed = ed};
    char *mark = doc_edition_marking(d, ed);
    /* at the foot under the folio, or at the head's outer corner (the
     * right on odd pages, the left on even ones; for vertical text, the
     * columns' head) above the running head: style_check_marking has
     * seen that it fits */
    double y = style_marking_y(st);
    if (st->marking == MARKING_HEAD && st->writing != WRITING_VERTICAL) {
        place(L, d, f, out, mark, STYLE_MARKING_SIZE, y, -1, 1, 1);
        place(L, d, f, out, mark, STYLE_MARKING_SIZE, y, -1, 2, -1);
    } else {
        place(L, d, f, out, mark, STYLE_MARKING_SIZE, y, -1, 0,
              st->marking == MARKING_HEAD ? -1 : 0);
    }
    if (L->title_page >= 0)
        place(L, d, f, out, mark, st->body_size, L->title_notice_y,
              L->title_page, 0, 0);
    if (L->colophon_page >= 0)
        place(L, d, f, out, mark, st->note_size, L->colophon_notice_y,
              L->colophon_page, 0, -1);
    if (st->watermark) {
        double w;
        char *words = watermark_words(d, ed, st->watermark_text);
        if (*words && set_text(L, d, f, words, st->heading_font, 36, 1e6,
                               &out->watermark, &w, 1) == 1) {
            out->has_watermark = true;
            out->watermark_w = w;
        }
        free(words);
    }
    free(mark);
}
