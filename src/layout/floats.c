/* Figures and tables into the galley (see floats.h). */
#include "layout/floats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jp/embox.h"
#include "util/xalloc.h"

enum { MAX_COLS = 64 };
#define CAPTION_MEASURE 0.9 /* a caption's measure, of the column's */

void layout_figure_size(const style *st, const doc_node *fig,
                        const doc_image *im, double *w, double *h)
{
    double measure = style_measure(st);
    /* room for the image and two caption lines on a page, with the half
     * lines around the image */
    double max_h = style_block_height(st) - 3.8 * st->pitch;
    double aspect = im->w > 0 ? im->h / im->w : 1;
    /* a vertical page is laid out turned (style_turned) and the image is
     * not: on the paper its width runs across the columns (the block's
     * height here), its height along them (the measure) */
    bool turned = st->writing == WRITING_VERTICAL;
    double across = turned ? max_h : measure, along = turned ? measure : max_h;
    double base = turned ? style_block_height(st) : measure; /* width=80% of */
    double pw = fig->width.pct > 0 ? base * fig->width.pct / 100
                : fig->width.pt > 0 ? fig->width.pt : im->w;
    if (pw > across)
        pw = across;
    double ph = pw * aspect;
    if (ph > along) {
        ph = along;
        pw = ph / aspect;
    }
    *w = turned ? ph : pw;
    *h = turned ? pw : ph;
}

/* "図1　" before a caption (a full-width space after the number). */
static char *caption_prefix(const char *word, int number)
{
    return xasprintf("%s%d\xe3\x80\x80", word, number);
}

/* A caption's lines as boxes of the last item (row = the line's index):
 * one line centred in the column; two or more flush left in the
 * caption's measure (caption_style), the lines after the first hanging
 * after the label, `hang` in. Frees p; returns how many. */
static int caption_lines(const lay_env *e, galley *g, lay_para *p, double x,
                         double measure, double hang)
{
    double left = x + (measure - measure * CAPTION_MEASURE) / 2;
    for (size_t i = 0; i < p->nlines; i++) {
        double w = para_line_width(p, i);
        double at = p->nlines == 1 ? x + (measure - w) / 2
                    : left + (i > 0 ? hang : 0);
        lay_line ln = para_box(e, p, i, at, ROLE_CAPTION);
        gal_box_add(g, &ln, (int)i);
    }
    int k = (int)p->nlines;
    para_free(p);
    return k;
}

/* The caption's setting: a tenth narrower than the column, its label
 * (pre, "図1　") bold, the lines after the first as far in as the label
 * is wide. */
static para_style caption_style(const lay_env *e, double measure,
                                const char *pre)
{
    para_style ps = {.family = e->st->body_font, .size = e->st->caption_size,
                     .measure = measure * CAPTION_MEASURE,
                     .role = ROLE_CAPTION, .prefix = pre, .prefix_bold = true};
    para_style label = ps;
    label.prefix = NULL;
    label.bold = true;
    lay_para *p = para_make_text(e, pre, &label, -1);
    /* a label as long as the measure (a style's) hangs no further than
     * half of it */
    ps.cont_indent = fmin(para_width(p), ps.measure / 2);
    para_free(p);
    return ps;
}

/* Caption lines, its label and number bold before its text (see
 * caption_lines). Returns how many. */
static int caption(const lay_env *e, galley *g, const doc_node *n,
                   const char *word, int number, double x, double measure)
{
    char *pre = caption_prefix(word, number);
    para_style ps = caption_style(e, measure, pre);
    int k = caption_lines(e, g, para_make(e, n, &ps), x, measure,
                          ps.cont_indent);
    free(pre);
    return k;
}

static const char *dest_name(const lay_env *e, const doc_node *n,
                             const char *kind)
{
    if (n->label)
        return n->label; /* the document's arena: outlives the layout */
    char *name = arena_alloc(e->L->a, 32);
    snprintf(name, 32, "%s-%d", kind, n->number);
    return name;
}

void floats_figure(const lay_env *e, galley *g, const doc_node *fig, double x,
                   double measure)
{
    const doc_image *im = fig->image >= 0 ? &e->d->images[fig->image] : NULL;
    if (!im)
        return;
    double w, h;
    layout_figure_size(e->st, fig, im, &w, &h);
    if (w > measure) { /* in an indented column */
        h *= measure / w;
        w = measure;
    }
    gal_add(g, (gal_item){.kind = GAL_FIGURE, .block = fig->id,
                          .dest = dest_name(e, fig, "fig"),
                          .as.figure = {.image = fig->image,
                                        .x = x + (measure - w) / 2, .w = w,
                                        .h = h}});
    if (fig->first) /* no alt text: no caption, no number shown */
        caption(e, g, fig, e->st->figure_label, fig->number, x, measure);
}

/* ---- tables ---------------------------------------------------------- */

typedef struct table {
    const lay_env *e;
    galley *g;
    const doc_node *n;
    int cols;
    double x, measure, pad;
    double size;            /* the table's text: tables.size, or smaller
                               when its columns could not fit otherwise */
    double above, below;    /* where its rules go from a row's baseline:
                               the edges of the grid lines' slots */
    double w[MAX_COLS];     /* column widths, padding included */
    char align[MAX_COLS];
} table;

/* A cell's setting. Digits in a right-aligned column line up: the body's
 * figures are proportional (1 is narrower than 0), so its cells take the
 * half-width forms (hwid), one width for every digit. */
static para_style cell_style(const table *t, bool header, char align,
                             double measure)
{
    const style *st = t->e->st;
    /* justified only where a line holds ten characters or more: a narrow
     * column's short lines would be spaced out, so they are set ragged */
    return (para_style){.family = header ? st->heading_font : st->body_font,
                        .size = t->size,
                        .justify = (align == 'l' || align == '-') && measure >= 10 * t->size,
                        .measure = measure, .role = ROLE_CELL,
                        .features = align == 'r' && !header ? "hwid" : NULL};
}

/* A cell's natural lines (its hard breaks), widths without padding:
 * what fewest_lines estimates its lines at a width from. */
typedef struct cell_nat {
    float lw[4];    /* the first three lines', then the rest's widest */
    int n;
} cell_nat;

static int cell_lines(const cell_nat *cn, double avail)
{
    int k = 0;
    for (int i = 0; i < cn->n; i++) /* text packs a line to ~96 % */
        k += cn->lw[i] <= avail + 0.01 ? 1 : (int)ceil(cn->lw[i] / (avail * 0.96));
    return k > 0 ? k : 1;
}

/* The table's grid lines at the widths t->w, estimated, times 100,000,
 * plus its cells' lines: of two settings in as many grid lines, the one
 * with fewer cells parted (2020|年度 beside a two-line cell) is better. */
static long table_lines(const table *t, const cell_nat *cn, int nrows)
{
    long total = 0, cells = 0;
    for (int r = 0; r < nrows; r++) {
        int m = 1;
        for (int c = 0; c < t->cols; c++) {
            int k = cell_lines(&cn[r * t->cols + c], t->w[c] - 2 * t->pad);
            m = k > m ? k : m;
            cells += k;
        }
        total += m;
    }
    return total * 100000 + cells;
}

/* From CSS's widths, width moved between columns an em (or a few) at a
 * time while that sets the table in fewer lines: a long column of
 * explanations no longer leaves a word alone on its cells' last lines
 * while a column of values has room to spare. No column goes under its
 * longest unbreakable stretch. */
static void fewest_lines(table *t, const cell_nat *cn, int nrows,
                         const double *minw)
{
    long now = table_lines(t, cn, nrows);
    static const double steps[] = {1, 2, 3, 5, 8};
    /* a round weighs every move (steps x cols x cols) over every cell:
     * rounds within ~3e8 cell estimates (a second), none for a table too
     * big for one, which keeps CSS's widths */
    double round_cost = (double)(sizeof steps / sizeof *steps) * t->cols *
                        t->cols * (double)nrows * t->cols;
    int rounds = round_cost > 0 ? (int)fmin(200, 3e8 / round_cost) : 0;
    for (int round = 0; round < rounds; round++) {
        int bd = -1, br = -1;
        long best = now;
        double bstep = 0;
        for (size_t si = 0; si < sizeof steps / sizeof *steps; si++) {
            double step = steps[si] * t->size;
            for (int d = 0; d < t->cols; d++) {
                if (t->w[d] - step < minw[d] - 1e-6)
                    continue;
                for (int r = 0; r < t->cols; r++) {
                    if (r == d)
                        continue;
                    t->w[d] -= step;
                    t->w[r] += step;
                    long k = table_lines(t, cn, nrows);
                    t->w[d] += step;
                    t->w[r] -= step;
                    if (k < best)
                        best = k, bd = d, br = r, bstep = step;
                }
            }
        }
        if (bd < 0)
            break;
        t->w[bd] -= bstep;
        t->w[br] += bstep;
        now = best;
    }
}

/* The writer's shares ({widths="2 1 3"}) of the measure, no column under
 * its longest unbreakable run: such a column gets that, and the others
 * share the rest by their shares. */
static void given_widths(table *t, const double *minw)
{
    bool fixed[MAX_COLS] = {false};
    for (int round = 0; round <= t->cols; round++) {
        double left = t->measure, shares = 0;
        for (int c = 0; c < t->cols; c++)
            if (fixed[c])
                left -= minw[c];
            else
                shares += t->n->widths[c];
        bool moved = false;
        for (int c = 0; c < t->cols; c++) {
            if (fixed[c]) {
                t->w[c] = minw[c];
                continue;
            }
            t->w[c] = shares > 0 ? left * t->n->widths[c] / shares : minw[c];
            if (t->w[c] < minw[c] - 1e-6) {
                fixed[c] = true;
                moved = true;
            }
        }
        if (!moved)
            return;
    }
}

/* CSS's automatic table layout, filling the measure: each column at least
 * its longest unbreakable stretch; the rest goes first to the columns
 * that need least to set their text on one line, then is shared; then
 * moved where it sets the table in fewer lines (fewest_lines). Unless the
 * writer gave the shares (given_widths). */
static double column_widths(table *t)
{
    double minw[MAX_COLS] = {0}, maxw[MAX_COLS] = {0};
    int nrows = 0;
    for (const doc_node *row = t->n->first; row; row = row->next)
        nrows += row->kind == DOC_TROW;
    cell_nat *cn = xcalloc((size_t)(nrows ? nrows : 1) * (size_t)t->cols,
                           sizeof *cn);
    int r = 0;
    for (const doc_node *row = t->n->first; row; row = row->next) {
        if (row->kind != DOC_TROW)
            continue;
        int c = 0;
        for (const doc_node *cell = row->first; cell && c < t->cols;
             cell = cell->next, c++) {
            para_style ps = cell_style(t, row->header, t->align[c], 1e6);
            lay_para *p = para_make(t->e, cell, &ps);
            double mx = 0;
            cell_nat *nat = &cn[r * t->cols + c];
            for (size_t i = 0; i < p->nlines; i++) {
                double lw = para_line_width(p, i);
                mx = lw > mx ? lw : mx;
                if (nat->n < 4)
                    nat->lw[nat->n++] = (float)lw;
                else if (lw > nat->lw[3])
                    nat->lw[3] = (float)lw;
            }
            double mn = para_min_width(p);
            para_free(p);
            minw[c] = fmax(minw[c], mn + 2 * t->pad);
            maxw[c] = fmax(maxw[c], mx + 2 * t->pad);
        }
        r++;
    }
    double smin = 0, smax = 0;
    for (int c = 0; c < t->cols; c++) {
        minw[c] = fmax(minw[c], 2 * t->pad + t->size);
        maxw[c] = fmax(maxw[c], minw[c]);
        smin += minw[c];
        smax += maxw[c];
    }
    if (t->n->widths && t->n->nwidths == t->cols && smin < t->measure) {
        given_widths(t, minw); /* the writer's {widths=} */
    } else if (smin >= t->measure) { /* too wide even so: squeeze */
        for (int c = 0; c < t->cols; c++)
            t->w[c] = minw[c] * t->measure / smin;
    } else if (smax <= t->measure) { /* every cell on one line: spread */
        for (int c = 0; c < t->cols; c++)
            t->w[c] = maxw[c] + (t->measure - smax) * maxw[c] / smax;
    } else {
        /* the columns that need least to set their cells on one line get
         * it first (names and figures do not wrap), the rest share what
         * is left in proportion to what they still need (CSS's rule) */
        bool done[MAX_COLS] = {false};
        double left = t->measure - smin;
        for (;;) {
            int best = -1;
            for (int c = 0; c < t->cols; c++)
                if (!done[c] && (best < 0 || maxw[c] - minw[c] <
                                                 maxw[best] - minw[best]))
                    best = c;
            if (best < 0 || maxw[best] - minw[best] > left)
                break;
            done[best] = true;
            t->w[best] = maxw[best];
            left -= maxw[best] - minw[best];
        }
        double need = 0;
        for (int c = 0; c < t->cols; c++)
            if (!done[c])
                need += maxw[c] - minw[c];
        for (int c = 0; c < t->cols; c++)
            if (!done[c])
                t->w[c] = minw[c] + (need > 0 ? (maxw[c] - minw[c]) * left / need
                                              : 0);
        fewest_lines(t, cn, nrows, minw);
    }
    free(cn);
    return smin;
}

/* One row: each cell's lines side by side, aligned in its column. Its
 * lines carry the row's number (lay_line.row, .header_row): the PDF's
 * table structure (TR, TH, TD) is made from it. */
static size_t row(table *t, const doc_node *r, int no)
{
    size_t idx = gal_add(t->g, (gal_item){.kind = GAL_ROW,
                                          .as.row = {.head_row = -1,
                                                     .cont_row = -1}});
    int rows = 1, c = 0;
    double cx = t->x;
    for (const doc_node *cell = r->first; cell && c < t->cols;
         cell = cell->next, c++) {
        double inner = t->w[c] - 2 * t->pad;
        para_style ps = cell_style(t, r->header, t->align[c], inner);
        lay_para *p = para_make(t->e, cell, &ps);
        for (size_t i = 0; i < p->nlines; i++) {
            double lw = ps.justify && !p->lines[i].last ? inner
                                                        : para_line_width(p, i);
            double off = t->align[c] == 'r' ? inner - lw
                         : t->align[c] == 'c' ? (inner - lw) / 2 : 0;
            lay_line ln = para_box(t->e, p, i, cx + t->pad + fmax(off, 0),
                                   ROLE_CELL);
            ln.row = no;
            ln.header_row = r->header;
            gal_box_add(t->g, &ln, (int)i);
        }
        if ((int)p->nlines > rows)
            rows = (int)p->nlines;
        para_free(p);
        cx += t->w[c];
    }
    gal_at(t->g, idx)->as.row.rows = rows;
    return idx;
}

/* A blank grid line, dropped at a page's top. */
static void space(galley *g)
{
    gal_add(g, (gal_item){.kind = GAL_LINE,
                          .as.line = {.blank = true, .drop_at_top = true}});
}

/* The columns, from the first row: their count (at most MAX_COLS) and
 * alignments in t. Returns how many cells the row has. */
static int table_columns(table *t, const doc_node *first)
{
    const doc_node *n = t->n;
    size_t nal = n->align ? strlen(n->align) : 0;
    for (const doc_node *c = first ? first->first : NULL;
         c && t->cols < MAX_COLS; c = c->next, t->cols++)
        t->align[t->cols] = (size_t)t->cols < nal ? n->align[t->cols] : '-';
    int ncells = 0;
    for (const doc_node *c = first ? first->first : NULL; c; c = c->next)
        ncells++;
    return ncells;
}

/* The table's size and column widths: tables.size, or when the columns
 * cannot fit at it a smaller one (as far as 5 pt) that sets every column
 * at least its longest word, with a warning. False, with an error, if
 * none fits. */
static bool table_fit(table *t, int ncells)
{
    const lay_env *e = t->e;
    diag_loc at = {e->d->path, t->n->line, t->n->col};
    t->size = e->st->table_size;
    for (int round = 0; round < 4; round++) {
        t->pad = t->size / 2;
        double smin = column_widths(t);
        if (smin <= t->measure + 0.01)
            break;
        double size = floor(t->size * t->measure / smin * 0.98 * 4) / 4;
        if (size < 5 || round == 3) {
            diag_error(e->dg, at, "a table of %d columns does not fit the text "
                       "width (%.0f pt) even at 5 pt: split it, or shorten "
                       "its longest words", ncells, t->measure);
            return false;
        }
        diag_warning(e->dg, at, "a table of %d columns is set at %.2g pt to "
                     "fit the text width", ncells, size);
        t->size = size;
    }
    /* a slot is a pitch tall, centred on the text */
    double s = t->size, pitch = e->st->pitch;
    t->below = JP_EM_BOTTOM * s + (pitch - s) / 2;
    t->above = -(JP_EM_TOP * s + (pitch - s) / 2);
    return true;
}

/* The caption again, "図1　text（続き）" in plain text, for a page the
 * table continues on: a hidden row, only repeated. Returns its item. */
static long continued_caption(table *t, const doc_node *cap)
{
    const lay_env *e = t->e;
    long cont = (long)gal_add(t->g, (gal_item){
        .kind = GAL_ROW, .hidden = true,
        .as.row = {.head_row = -1, .cont_row = -1}});
    char *pre = caption_prefix(e->st->table_label, t->n->number);
    char *plain = doc_plain_text(cap);
    char *text = xasprintf("%s（続き）", plain);
    para_style ps = caption_style(e, t->measure, pre);
    int k = caption_lines(e, t->g, para_make_text(e, text, &ps, -1), t->x,
                          t->measure, ps.cont_indent);
    gal_at(t->g, (size_t)cont)->as.row.rows = k > 0 ? k : 1;
    free(text);
    free(plain);
    free(pre);
    return cont;
}

/* The caption, a row of its own before the table's (the table's
 * destination), then its continued form. Returns the latter's item. */
static long table_caption(table *t, const doc_node *cap)
{
    const lay_env *e = t->e;
    size_t idx = gal_add(t->g, (gal_item){
        .kind = GAL_ROW, .block = cap->id, .dest = dest_name(e, t->n, "tbl"),
        .as.row = {.head_row = -1, .cont_row = -1}});
    int k = caption(e, t->g, cap, e->st->table_label, t->n->number, t->x,
                    t->measure);
    gal_at(t->g, idx)->as.row.rows = k > 0 ? k : 1;
    return continued_caption(t, cap);
}

/* The rows from `first`: a header row with its rules above and under it;
 * a body row with what a new page repeats (the header row, the continued
 * caption `cont`) and the rule that closes the table at a page's foot.
 * With `dest` the first row is the table's destination. Returns the last
 * row's item, and the header row's in *head (-1: none). */
static size_t table_rows(table *t, const doc_node *first, bool dest,
                         long cont, long *head)
{
    double x = t->x, x1 = t->x + t->measure;
    size_t prev = 0;
    int no = 0;
    *head = -1;
    for (const doc_node *r = first; r; r = r->next) {
        size_t idx = row(t, r, ++no);
        gal_item *it = gal_at(t->g, idx);
        gal_row *rw = &it->as.row;
        if (dest && r == first)
            it->dest = dest_name(t->e, t->n, "tbl");
        if (r->header) {
            *head = (long)idx;
            rw->has_top = true;
            rw->top = (lay_rule){x, t->above, x1, t->above, 0.8, false};
            rw->has_rule = true;
            rw->rule = (lay_rule){x, t->below, x1, t->below, 0.4, false};
        } else {
            rw->head_row = *head;
            rw->cont_row = cont;
            /* a fragment that goes on overleaf closes thin: the heavy
             * rule is the table's end */
            rw->close = (lay_rule){x, t->below, x1, t->below, 0.4, false};
        }
        prev = idx;
    }
    return prev;
}

/* Which rows keep together (header row `head`, last row `last`, the
 * continued caption `cont`, or -1 for those there are not): the caption
 * with the header and first body row, the header with the first body
 * rows as a paragraph keeps its orphans, the last rows as its widows. */
static void table_keeps(table *t, long head, size_t last, long cont)
{
    galley *g = t->g;
    const style *st = t->e->st;
    if (head >= 0 && (size_t)head < last) {
        int keep = 0;
        for (size_t i = (size_t)head + 1, k = 0;
             i <= last && k < (size_t)st->orphans; i++, k++)
            keep += gal_at(g, i)->as.row.rows;
        gal_at(g, (size_t)head)->as.row.keep = keep;
    }
    if (cont >= 0)
        gal_at(g, (size_t)cont - 1)->as.row.keep =
            head >= 0 ? gal_at(g, (size_t)head)->as.row.rows +
                            gal_at(g, (size_t)head)->as.row.keep
                      : gal_at(g, (size_t)cont + 1)->as.row.rows;
    int after = gal_at(g, last)->as.row.rows;
    for (size_t i = last, k = 1; i > 0 && k < (size_t)st->widows; k++) {
        i--;
        gal_item *it = gal_at(g, i);
        if (it->kind != GAL_ROW || it->as.row.head_row < 0)
            break;
        it->as.row.keep = after;
        after += it->as.row.rows;
    }
}

void floats_table(const lay_env *e, galley *g, const doc_node *n, double x,
                  double measure)
{
    table t = {.e = e, .g = g, .n = n, .x = x, .measure = measure};
    const doc_node *cap = n->first && n->first->kind == DOC_CAPTION ? n->first
                                                                    : NULL;
    const doc_node *first = cap ? cap->next : n->first;
    int ncells = table_columns(&t, first);
    if (t.cols == 0 || !table_fit(&t, ncells))
        return;
    if (ncells > MAX_COLS)
        diag_error(e->dg, (diag_loc){e->d->path, n->line, n->col},
                   "a table of %d columns: at most %d can be set", ncells,
                   MAX_COLS);
    space(g);
    long cont = cap ? table_caption(&t, cap) : -1;
    long head;
    size_t last = table_rows(&t, first, !cap, cont, &head);
    table_keeps(&t, head, last, cont);
    gal_row *rw = &gal_at(g, last)->as.row;
    rw->has_rule = true;
    rw->rule = (lay_rule){x, t.below, x + measure, t.below, 0.8, false};
    space(g);
}
