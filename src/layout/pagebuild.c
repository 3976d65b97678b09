/* Galley -> pages (see pagebuild.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jp/embox.h"
#include "layout/page.h"
#include "layout/pagebuild.h"
#include "util/xalloc.h"

void pb_init(pagebuild *b, layout *L, const doc *d, const char *head)
{
    *b = (pagebuild){.L = L, .st = L->st, .nnotes = d->nnotes,
                     .ref_seen = xcalloc(d->nnotes + 1, sizeof(bool)),
                     .page = -1, .head = head, .top_level = doc_top_level(d),
                     .weak_from = -1, .last_row = -1, .row_page = -1};
}

void pb_free(pagebuild *b)
{
    free(b->shorts);
    b->shorts = NULL;
    b->nshorts = b->cap_shorts = 0;
    free(b->ref_seen);
    b->ref_seen = NULL;
    free(b->pending);
    b->pending = NULL;
}

void pb_reserved(pagebuild *b, size_t first, size_t n)
{
    b->page = (long)first;
    b->reserved_end = (long)(first + n);
    b->k = 0;
}

static lay_page *cur(pagebuild *b)
{
    return &b->L->pages[b->page];
}

static double grid_y(pagebuild *b, int k)
{
    return b->note_grid ? note_grid_y(b->st, k) : layout_grid_y(b->st, k);
}

/* Switches between the body and the note grid, keeping the next free
 * position on the page. */
static void use_grid(pagebuild *b, bool notes)
{
    if (b->note_grid == notes && b->pitch > 0)
        return;
    const style *st = b->st;
    double used = b->page >= 0 ? b->k * b->pitch : 0; /* from the block top */
    b->note_grid = notes;
    b->size = notes ? st->note_size : st->body_size;
    b->pitch = notes ? st->note_pitch : st->pitch;
    b->lines = notes ? note_lines_per_page(st) : st->lines_per_page;
    b->k = (int)ceil(used / b->pitch - 1e-6);
}

static void place_pending(pagebuild *b);

static void next_page(pagebuild *b)
{
    if (b->page >= 0 && b->page + 1 < b->reserved_end)
        b->page++;
    else
        b->page = (long)page_new(b->L, b->head);
    b->k = 0;
    place_pending(b);
}

/* A new page with room for n grid lines. The figures waiting for a page
 * go first and may fill it (or several): then another. A page that
 * starts empty is taken whatever n is. */
static void next_page_for(pagebuild *b, int n)
{
    next_page(b);
    while (b->k > 0 && b->k + n > b->lines)
        next_page(b);
}

static void need_lines(pagebuild *b, int n)
{
    if (b->page < 0 || b->k + n > b->lines)
        next_page_for(b, n);
}

/* The lines through struck text (a deletion) and under underlined text
 * (an addition, as an amendment marks it), one per run of cells: the
 * strike through the em box's centre; the underline below the em box,
 * or in vertical text on its right (傍線: the frame's top). A tenth of
 * the size below or beside it, 0.05 of it thick. */
static bool decorated(const shaped *sh, size_t cell, bool under)
{
    int sp = sh->cell_span[cell];
    return sp >= 0 && (under ? sh->spans[sp].under : sh->spans[sp].strike);
}

static void line_decorations(pagebuild *b, lay_page *pg, const lay_line *ln)
{
    const shaped *sh = ln->sh;
    bool any = false;
    for (size_t k = 0; k < sh->nspans && !any; k++)
        any = sh->spans[k].strike || sh->spans[k].under;
    if (!any)
        return;
    bool vertical = b->L->st->writing == WRITING_VERTICAL;
    for (int kind = 0; kind < 2; kind++) {
        size_t i = ln->start;
        while (i < ln->end) {
            bool on = decorated(sh, i, kind);
            size_t j = i + 1;
            while (j < ln->end && sh->cell_span[j] >= 0 && decorated(sh, j, kind) == on)
                j++;
            if (on) {
                double size = sh->cells[i].em, rise = sh->spans[sh->cell_span[i]].rise;
                double y = ln->y - rise;
                if (kind == 0)
                    y -= JP_EM_CENTRE * size;
                else
                    y += vertical ? -(JP_EM_TOP + 0.1) * size
                                  : (JP_EM_BOTTOM + 0.1) * size;
                double x0 = ln->x0 + ln->x[i - ln->start];
                double x1 = ln->x0 + ln->x[j - 1 - ln->start] + sh->cells[j - 1].advance;
                page_add_rule(pg, (lay_rule){x0, y, x1, y, 0.05 * size, false});
            }
            i = j;
        }
    }
}

/* Link rectangles for runs of cells that share a link target; the first
 * reference to a note is where the note's backlink goes. */
static void line_links(pagebuild *b, lay_page *pg, const lay_line *ln)
{
    const shaped *sh = ln->sh;
    size_t i = ln->start;
    while (i < ln->end) {
        int sp = sh->cell_span[i];
        int t = sp >= 0 ? sh->spans[sp].link : -1;
        size_t j = i + 1;
        while (j < ln->end && sh->cell_span[j] >= 0 &&
               sh->spans[sh->cell_span[j]].link == t)
            j++;
        if (t >= 0) {
            double size = sh->cells[i].em;
            double rise = sh->spans[sp].rise;
            const lay_target *tg = &b->L->targets[t];
            lay_link lk = {ln->x0 + ln->x[i - ln->start],
                           ln->y - rise - JP_EM_TOP * size,
                           ln->x0 + ln->x[j - ln->start - 1] + sh->cells[j - 1].advance,
                           ln->y - rise + JP_EM_BOTTOM * size, tg->uri, tg->dest};
            page_add_link(pg, lk);
            int num = tg->note;
            if ((sh->cells[i].flags & JP_NOTEREF) && num > 0 &&
                (size_t)num <= b->nnotes && !b->ref_seen[num]) {
                b->ref_seen[num] = true;
                char *name = arena_alloc(b->L->a, 24);
                snprintf(name, 24, "ref%d", num);
                page_add_dest(pg, name, lk.x0, lk.y0 - 2);
            }
        }
        i = j;
    }
}

/* Where an annotation's baseline goes over text of size em on baseline y:
 * just over the text's top, inside the line gap (the grid holds). */
static double annot_y(double y, double em, double size)
{
    return y - JP_EM_TOP * em - JP_EM_BOTTOM * size - 0.05 * em;
}

/* One annotation line: text over [x0, x1), its characters spread 1:2:1
 * when it is the shorter, centred when it is the longer (overhanging),
 * never past the text block's edges. */
static void put_annot(pagebuild *b, lay_page *pg, const lay_annot *a,
                      double x0, double x1, double y, bool spread)
{
    const shaped *t = a->text;
    size_t n = t->ncells;
    if (n == 0)
        return;
    double *x = arena_alloc(b->L->a, (n + 1) * sizeof *x);
    double w = x1 - x0, left;
    double unit = spread && a->w < w ? (w - a->w) / (2.0 * (double)n) : 0;
    if (unit > 0) {
        left = x0;
        double at = unit;
        for (size_t i = 0; i < n; i++) {
            x[i] = at;
            at += t->cells[i].advance + 2 * unit;
        }
        x[n] = at - unit;
    } else {
        left = (x0 + x1) / 2 - a->w / 2;
        double lo = style_left(b->st), hi = lo + style_measure(b->st);
        if (left + a->w > hi)
            left = hi - a->w;
        if (left < lo)
            left = lo;
        double at = 0;
        for (size_t i = 0; i < n; i++) {
            x[i] = at;
            at += t->cells[i].advance;
        }
        x[n] = at;
    }
    lay_line ln = {.sh = t, .start = 0, .end = n, .x = x, .x0 = left, .y = y,
                   .role = ROLE_RUBY, .block = -1};
    page_add_line(pg, &ln);
}

/* Ruby over its base and emphasis dots over each character (not over
 * punctuation or spaces) of the line just placed. */
static void annotations(pagebuild *b, lay_page *pg, const lay_line *ln)
{
    const shaped *sh = ln->sh;
    for (size_t i = ln->start; i < ln->end;) {
        int sp = sh->cell_span[i];
        int r = sp >= 0 ? sh->spans[sp].ruby : 0;
        int dots = sp >= 0 ? sh->spans[sp].dots : 0;
        size_t j = i + 1;
        while (j < ln->end && sh->cell_span[j] == sp)
            j++;
        if (r > 0) {
            const jp_cell *c = &sh->cells[i];
            double x0 = ln->x0 + ln->x[i - ln->start];
            double x1 = ln->x0 + ln->x[j - 1 - ln->start] + sh->cells[j - 1].advance;
            const lay_annot *a = &b->L->annots[r - 1];
            put_annot(b, pg, a, x0, x1, annot_y(ln->y - sh->spans[sp].rise, c->em,
                                               c->em / 2), true);
        } else if (dots > 0) {
            const lay_annot *a = &b->L->annots[dots - 1];
            for (size_t q = i; q < j; q++) {
                const jp_cell *c = &sh->cells[q];
                /* none over punctuation, spaces, or Western text (which
                 * Japanese emphasis does not mark with dots) */
                if (c->cls <= JP_CL_08 || c->cls == JP_CL_14 ||
                    c->cls >= JP_CL_24 || (c->flags & (JP_SPACE | JP_INDENT)) ||
                    c->first == ' ')
                    continue;
                double x0 = ln->x0 + ln->x[q - ln->start];
                put_annot(b, pg, a, x0, x0 + c->advance,
                          annot_y(ln->y - sh->spans[sp].rise, c->em, c->em / 2),
                          false);
            }
        }
        i = j;
    }
}

lay_line *pb_put(pagebuild *b, size_t page, const lay_line *box, double y)
{
    lay_page *pg = &b->L->pages[page];
    lay_line ln = *box;
    ln.y = y;
    page_add_line(pg, &ln);
    bool weak = b->weak_from >= 0 && (long)page >= b->weak_from &&
                ln.role != ROLE_CAPTION;
    if ((!pg->has_mark || weak) && ln.block >= 0 && !b->repeating) {
        doc_mark m = {DOC_MARK_BLOCK, ln.block, ln.tree_off};
        pg->mark = m;
        pg->has_mark = true;
        /* pages of deferred figures alone begin where this text does */
        for (long p = weak ? b->weak_from : (long)page; p < (long)page; p++)
            b->L->pages[p].mark = m;
        if (weak)
            b->weak_from = -1;
    }
    line_links(b, pg, &ln);
    line_decorations(b, pg, &ln);
    size_t self = pg->nlines - 1;
    /* most texts have neither ruby, dots nor images: a look at their
     * spans spares the walk over every cell */
    bool marked = false;
    for (size_t k = 0; k < ln.sh->nspans && !marked; k++)
        marked = ln.sh->spans[k].ruby || ln.sh->spans[k].dots ||
                 ln.sh->spans[k].object;
    if (!marked)
        return &pg->lines[self];
    annotations(b, pg, &ln);
    for (size_t i = ln.start; i < ln.end; i++) { /* inline images */
        int sp = ln.sh->cell_span[i];
        int obj = sp >= 0 ? ln.sh->spans[sp].object : 0;
        if (obj > 0) {
            const jp_cell *c = &ln.sh->cells[i];
            page_add_image(pg, (lay_image){obj - 1, ln.x0 + ln.x[i - ln.start],
                                           y - JP_EM_TOP * c->em, c->advance, c->em,
                                           ln.block});
        }
    }
    return &pg->lines[self];
}

static const gal_box *boxes(const galley *g, const gal_item *it)
{
    return &g->boxes[it->box];
}

/* Is item i a line of a paragraph, and of which? */
static const shaped *para_of(const galley *g, size_t i)
{
    if (i >= g->nitems)
        return NULL;
    const gal_item *it = &g->items[i];
    if (it->kind != GAL_LINE || it->as.line.marker || it->as.line.blank ||
        it->nbox == 0)
        return NULL;
    return g->boxes[it->box].ln.sh;
}

/* This page will end short: the widow and orphan rules leave lines of it
 * empty while the text goes on (layout.c tries other settings). */
static void note_short(pagebuild *b)
{
    if (b->nshorts && b->shorts[b->nshorts - 1] == b->page)
        return;
    xgrow((void **)&b->shorts, &b->cap_shorts, b->nshorts + 1,
          sizeof *b->shorts);
    b->shorts[b->nshorts++] = b->page;
}

/* Is this page one the driver lets a widow follow (pagebuild.widow_ok)? */
static bool widow_ok(const pagebuild *b)
{
    for (size_t i = 0; i < b->nwidow_ok; i++)
        if (b->widow_ok[i] == b->page)
            return true;
    return false;
}

/* Where the paragraph must go to the next page: at least `orphans` of its
 * lines at a page's foot and `widows` at the next page's top, else it
 * starts on the next page; a page then ends a line or two short (the
 * pitch never stretches). A page top with nothing to gain fills the
 * page. */
static void plan_split(pagebuild *b)
{
    const style *st = b->st;
    if (b->page < 0 || b->k >= b->lines)
        next_page_for(b, 1);
    int rest = b->para.n - b->para.k;
    int space = b->lines - b->k;
    if (rest <= space) {
        b->para.split = b->para.n;
        return;
    }
    int here = space;
    if (rest - here < st->widows && !widow_ok(b))
        here = rest - st->widows;
    if (here < (b->para.k == 0 ? st->orphans : 1)) {
        if (b->k > 0) {
            note_short(b);
            next_page(b);
            plan_split(b);
            return;
        }
        here = space;
    }
    if (here < space)
        note_short(b);
    b->para.split = b->para.k + here;
}

/* Before a line of a paragraph (or the marker that shares its first
 * line): a new paragraph is counted and planned; a planned split starts
 * a new page. */
static void para_line(pagebuild *b, const galley *g, size_t i)
{
    const shaped *sh = para_of(g, i);
    if (!sh)
        return;
    if (sh != b->para.sh) {
        size_t j = i;
        while (para_of(g, j) == sh)
            j++;
        b->para.sh = sh;
        b->para.k = 0;
        b->para.n = (int)(j - i);
        plan_split(b);
    } else if (b->para.k == b->para.split) {
        next_page(b);
        plan_split(b);
    }
}

/* A page whose foot the widow rule would leave a line short (a paragraph
 * with one line too many for it): the paragraph set a line shorter, so
 * that it ends on this page, or a line longer, so that two go over,
 * whichever spaces better, within the limits — TeX's \looseness, chosen
 * for the page. Then its lines are placed here, and *i moves past the
 * ones it stands for. */
static bool respaced(pagebuild *b, const galley *g, size_t *i)
{
    const style *st = b->st;
    const gal_item *it = &g->items[*i];
    int which = it->as.line.respace - 1;
    if (!b->respace || which < 0)
        return false;
    int forced = b->force ? b->force[which] : 0;
    if (!forced && (b->page < 0 || b->k == 0 || b->k >= b->lines))
        return false;
    const shaped *sh = para_of(g, *i);
    int n = 0;
    while (sh && para_of(g, *i + (size_t)n) == sh)
        n++;
    int space = b->page < 0 ? 0 : b->lines - b->k;
    if (!forced &&
        (n <= space || n - space >= st->widows || space < st->orphans))
        return false;
    lay_line *best = NULL;
    size_t nbest = 0;
    double least = 0;
    for (int delta = -1; delta <= 1; delta += 2) {
        int want = n + delta;
        if (forced ? delta != forced
                   : want < 1 || (want > space && want - space < st->widows))
            continue;
        lay_line *lines = NULL;
        double dem;
        size_t got = b->respace(b->respace_ctx, it->as.line.respace - 1,
                                (size_t)want, &lines, &dem);
        if (got == (size_t)want && (!best || dem < least)) {
            free(best);
            best = lines;
            nbest = got;
            least = dem;
        } else {
            free(lines);
        }
    }
    if (!best)
        return false;
    b->para.sh = sh;
    b->para.k = 0;
    b->para.n = (int)nbest;
    plan_split(b);
    if (b->kept_page)
        b->kept_page[which] = b->page;
    for (size_t k = 0; k < nbest; k++) {
        if (k > 0 && b->para.k == b->para.split) {
            next_page(b);
            plan_split(b);
        }
        need_lines(b, 1);
        pb_put(b, (size_t)b->page, &best[k], grid_y(b, b->k));
        b->k++;
        b->para.k++;
    }
    free(best);
    *i += (size_t)n - 1;
    return true;
}

static void place_line(pagebuild *b, const galley *g, size_t idx)
{
    const gal_item *it = &g->items[idx];
    const gal_line *gl = &it->as.line;
    if (gl->drop_at_top && (b->page < 0 || b->k == 0 || b->k >= b->lines))
        return;
    /* a marker plans the paragraph it starts */
    para_line(b, g, gl->marker ? idx + 1 : idx);
    if (!gl->blank)
        need_lines(b, 1);
    if (gl->respace && b->kept_page)
        b->kept_page[gl->respace - 1] = b->page;
    double y = grid_y(b, b->k);
    if (it->dest)
        page_add_dest(cur(b), it->dest, gl->dest_x, y + gl->dest_dy);
    if (gl->dest2)
        page_add_dest(cur(b), gl->dest2, gl->dest_x, y + gl->dest_dy);
    if (gl->outline)
        layout_add_outline(b->L, gl->outline, NULL, gl->outline_level,
                           it->dest, it->block, (int)b->page, false);
    for (size_t i = 0; i < it->nbox; i++)
        pb_put(b, (size_t)b->page, &boxes(g, it)[i].ln, y);
    if (gl->has_rule) {
        lay_rule r = gl->rule;
        r.y0 = y + r.y0;
        r.y1 = y + r.y1;
        page_add_rule(cur(b), r);
    }
    if (gl->is_toc && (!cur(b)->has_mark || b->k == 0)) {
        cur(b)->mark = (doc_mark){DOC_MARK_TOC, gl->toc, 0};
        cur(b)->has_mark = true;
    }
    if (gl->marker)
        return;
    b->k++;
    if (b->para.sh && para_of(g, idx) == b->para.sh)
        b->para.k++;
}

static int figure_lines(const pagebuild *b, const galley *g,
                        const gal_item *it);

/* Does what follows the heading at item idx keep it company in the `room`
 * grid lines left under it: the lines of its first paragraph that the
 * widow and orphan rules let stand there (at least `orphans`, or all of
 * a shorter one), a table's caption, header and first rows, a figure
 * whole, or the next heading with two lines under it? A heading never
 * ends a page (見出しの泣き別れ). */
static bool keeps_company(const pagebuild *b, const galley *g, size_t idx,
                          int room)
{
    const style *st = b->st;
    size_t j = idx + 1;
    while (j < g->nitems && g->items[j].kind == GAL_LINE &&
           g->items[j].as.line.blank && g->items[j].nbox == 0) {
        room--; /* the blank line parting a list or code from it */
        j++;
    }
    if (j >= g->nitems)
        return true;
    const gal_item *it = &g->items[j];
    switch (it->kind) {
    case GAL_LINE: {
        size_t p = it->as.line.marker ? j + 1 : j;
        const shaped *sh = para_of(g, p);
        if (!sh)
            return room >= 1;
        int n = 0;
        while (para_of(g, p + (size_t)n) == sh)
            n++;
        if (n <= room)
            return n > 0;
        int here = room;
        if (n - here < st->widows)
            here = n - st->widows;
        return here >= st->orphans;
    }
    case GAL_ROW:
        return room >= it->as.row.rows + it->as.row.keep;
    case GAL_FIGURE:
        return room >= figure_lines(b, g, it);
    case GAL_HEADING:
        return room >= it->as.heading.before + it->as.heading.lines + 2;
    default: /* the notes, a new page: nothing follows on this one */
        return true;
    }
}

/* The top of the next grid line (b->k) of the grid in use: its em box
 * and half the gap between lines above it (where a heading's or a
 * figure's area and its destination start). */
static double line_top(pagebuild *b)
{
    return grid_y(b, b->k) - JP_EM_TOP * b->size - (b->pitch - b->size) / 2;
}

/* A heading with more lines than a page holds (a paragraph written as
 * one) cannot stand whole on a page: it starts a page and its lines go
 * on as a paragraph's do, one a grid line, over as many pages as they
 * need. */
static void place_long_heading(pagebuild *b, const galley *g, size_t idx)
{
    const gal_item *item = &g->items[idx];
    const gal_heading *it = &item->as.heading;
    if (b->page < 0 || b->k > 0)
        next_page_for(b, b->lines);
    if (it->sets_head) {
        b->head = it->short_text ? it->short_text : it->text;
        cur(b)->head = NULL;
    }
    page_add_dest(cur(b), item->dest, style_left(b->st), line_top(b));
    layout_add_outline(b->L, it->text, it->short_text, it->outline_level,
                       item->dest, item->block, (int)b->page, it->in_toc);
    for (size_t i = 0; i < item->nbox; i++) {
        need_lines(b, 1);
        lay_line *ln = pb_put(b, (size_t)b->page, &boxes(g, item)[i].ln, grid_y(b, b->k));
        ln->level = it->level;
        b->k++;
    }
}

/* A heading takes whole grid lines (gyodori, JLREQ 4.1.8) with its lines
 * centred in them, `before` lines above it unless it opens a page, and
 * never stands at a page foot without what follows it (keeps_company). */
static void place_heading(pagebuild *b, const galley *g, size_t idx)
{
    const style *st = b->st;
    const gal_item *item = &g->items[idx];
    const gal_heading *it = &item->as.heading;
    use_grid(b, false);
    if (it->lines + 2 > b->lines) { /* longer than a page can keep */
        place_long_heading(b, g, idx);
        return;
    }
    int before = b->page >= 0 && b->k > 0 ? it->before : 0;
    if (b->page < 0 || b->k + before + it->lines + 2 > b->lines ||
        (b->k > 0 &&
         !keeps_company(b, g, idx, b->lines - (b->k + before + it->lines)))) {
        next_page_for(b, it->lines + 2);
        before = 0;
    }
    b->k += before;
    double area_top = line_top(b);
    double area_h = it->lines * st->pitch;
    double y = area_top + (area_h - item->nbox * it->lead) / 2 +
               (it->lead - it->size) / 2 + JP_EM_TOP * it->size;
    if (it->sets_head) {
        /* the section's name heads the pages after this one; the page it
         * opens at the top of shows the heading itself, and no head */
        b->head = it->short_text ? it->short_text : it->text;
        if (b->k == 0)
            cur(b)->head = NULL;
    }
    page_add_dest(cur(b), item->dest, style_left(st), area_top);
    for (size_t i = 0; i < item->nbox; i++) {
        lay_line *ln = pb_put(b, (size_t)b->page, &boxes(g, item)[i].ln,
                              y + i * it->lead);
        ln->level = it->level;
    }
    layout_add_outline(b->L, it->text, it->short_text, it->outline_level,
                       item->dest, item->block, (int)b->page, it->in_toc);
    b->k += it->lines;
}

/* The grid lines a figure takes: its image with at least half a line
 * above and below, and its caption lines. */
static int figure_image_lines(const pagebuild *b, const gal_item *it)
{
    return (int)ceil((it->as.figure.h + b->pitch) / b->pitch - 1e-6);
}

static int caption_lines(const galley *g, const gal_item *it)
{
    int n = 0;
    for (size_t i = 0; i < it->nbox; i++)
        if (boxes(g, it)[i].row + 1 > n)
            n = boxes(g, it)[i].row + 1;
    return n;
}

static int figure_lines(const pagebuild *b, const galley *g,
                        const gal_item *it)
{
    return figure_image_lines(b, it) + caption_lines(g, it);
}

/* A figure at grid line k: the image centred in its lines, the caption
 * on the grid under it, a blank line after unless at the page's foot.
 * `deferred`: it opens a page the text before it did not reach, so the
 * page's first text line, not the figure, begins the page in the map. */
static void put_figure(pagebuild *b, const galley *g, const gal_item *it,
                       bool deferred)
{
    lay_page *pg = cur(b);
    bool had_mark = pg->has_mark;
    int n_img = figure_image_lines(b, it);
    double area_top = line_top(b);
    const gal_figure *fg = &it->as.figure;
    double y = area_top + (n_img * b->pitch - fg->h) / 2;
    page_add_image(pg, (lay_image){fg->image, fg->x, y, fg->w, fg->h,
                                   it->block});
    page_add_dest(pg, it->dest, style_left(b->st), area_top);
    int k0 = b->k + n_img;
    for (size_t i = 0; i < it->nbox; i++)
        pb_put(b, (size_t)b->page, &boxes(g, it)[i].ln,
               grid_y(b, k0 + boxes(g, it)[i].row));
    pg = cur(b);
    if (!pg->has_mark) {
        pg->mark = (doc_mark){DOC_MARK_BLOCK, it->block, 0};
        pg->has_mark = true;
    }
    if (deferred && !had_mark && b->weak_from < 0)
        b->weak_from = b->page;
    b->k = k0 + caption_lines(g, it);
    if (b->k < b->lines)
        b->k++;
}

/* Deferred figures, in order, at the top of the page just begun, as many
 * as fit. */
static void place_pending(pagebuild *b)
{
    size_t done = 0;
    while (done < b->npending) {
        const gal_item *it = &b->g->items[b->pending[done]];
        if (b->k > 0 && b->k + figure_lines(b, b->g, it) > b->lines)
            break;
        put_figure(b, b->g, it, true);
        done++;
    }
    if (done == 0)
        return;
    memmove(b->pending, b->pending + done,
            (b->npending - done) * sizeof *b->pending);
    b->npending -= done;
}

/* Every deferred figure is set before what comes next (a heading, a new
 * page, the end): on the pages after this one. */
static void flush_pending(pagebuild *b)
{
    while (b->npending > 0)
        next_page(b);
}

/* A figure that fits where it stands is set there; one that does not
 * waits for the next page while the text after it fills this one. */
static void place_figure(pagebuild *b, const galley *g, size_t idx)
{
    const gal_item *it = &g->items[idx];
    bool fits = b->page >= 0 && b->k + figure_lines(b, g, it) <= b->lines;
    if (b->npending > 0 || (!fits && b->page >= 0 && b->k > 0 &&
                            b->k < b->lines)) {
        xgrow((void **)&b->pending, &b->cap_pending, b->npending + 1,
              sizeof *b->pending);
        b->pending[b->npending++] = idx;
        return;
    }
    if (!fits)
        next_page_for(b, figure_lines(b, g, it));
    put_figure(b, g, it, false);
}

/* A row's cells on grid lines from b->k, with its rules; the row ends
 * there. */
static void put_row(pagebuild *b, const galley *g, size_t idx)
{
    const gal_item *item = &g->items[idx];
    const gal_row *it = &item->as.row;
    const gal_box *bx = boxes(g, item);
    int k0 = b->k;
    for (size_t i = 0; i < item->nbox; i++)
        pb_put(b, (size_t)b->page, &bx[i].ln, grid_y(b, k0 + bx[i].row));
    if (item->dest)
        page_add_dest(cur(b), item->dest, style_left(b->st),
                      grid_y(b, k0) - b->pitch);
    if (it->has_top) {
        lay_rule r = it->top;
        r.y0 += grid_y(b, k0);
        r.y1 += grid_y(b, k0);
        page_add_rule(cur(b), r);
    }
    b->k = k0 + it->rows;
    double y = grid_y(b, b->k - 1);
    if (it->has_rule) {
        lay_rule r = it->rule;
        r.y0 += y;
        r.y1 += y;
        page_add_rule(cur(b), r);
    }
    b->last_row = (long)idx;
    b->row_page = b->page;
    b->row_y = y;
}

/* A table row stays on one page with the rows it keeps with (a caption
 * and header with the first row). A table that goes on to the next page
 * gets a closing rule at this page's foot, and its caption "（続き）" and
 * header row again at the next page's top. A row taller than a page
 * breaks between its lines, all cells together. */
/* A row taller than what is left of a page: its lines one grid line at
 * a time, all cells together, onto the pages after. */
static void split_row(pagebuild *b, const galley *g, size_t idx)
{
    const gal_item *item = &g->items[idx];
    const gal_box *bx = boxes(g, item);
    for (int r = 0; r < item->as.row.rows; r++) {
        need_lines(b, 1);
        for (size_t i = 0; i < item->nbox; i++)
            if (bx[i].row == r)
                pb_put(b, (size_t)b->page, &bx[i].ln, grid_y(b, b->k));
        b->k++;
    }
    b->last_row = (long)idx;
    b->row_page = b->page;
    b->row_y = grid_y(b, b->k - 1);
}

static void place_row(pagebuild *b, const galley *g, size_t idx)
{
    const gal_item *item = &g->items[idx];
    const gal_row *it = &item->as.row;
    if (it->rows > b->lines) {
        split_row(b, g, idx);
        return;
    }
    int need = it->rows + it->keep;
    if (b->page < 0 || (b->k + need > b->lines && b->k > 0) ||
        b->k + it->rows > b->lines) {
        bool cont = it->head_row >= 0 && b->last_row >= it->head_row &&
                    b->last_row < (long)idx && b->row_page >= 0;
        if (cont) {
            lay_rule r = it->close;
            r.y0 += b->row_y;
            r.y1 += b->row_y;
            page_add_rule(&b->L->pages[b->row_page], r);
        }
        int again = 0; /* the caption and header set again */
        if (cont && it->cont_row >= 0)
            again += g->items[it->cont_row].as.row.rows;
        if (cont)
            again += g->items[it->head_row].as.row.rows;
        next_page_for(b, again + it->rows);
        b->repeating = true;
        if (cont && it->cont_row >= 0)
            put_row(b, g, (size_t)it->cont_row);
        if (cont)
            put_row(b, g, (size_t)it->head_row);
        b->repeating = false;
        if (b->k + it->rows > b->lines) { /* not under its header again */
            split_row(b, g, idx);
            return;
        }
    }
    put_row(b, g, idx);
}

void pb_run(pagebuild *b, const galley *g)
{
    b->g = g;
    for (size_t i = 0; i < g->nitems; i++) {
        const gal_item *it = &g->items[i];
        if (it->hidden)
            continue;
        if (it->kind == GAL_HEADING || it->kind == GAL_PAGE)
            flush_pending(b);
        switch (it->kind) {
        case GAL_LINE:
            if (!respaced(b, g, &i))
                place_line(b, g, i);
            break;
        case GAL_HEADING:
            place_heading(b, g, i);
            break;
        case GAL_ROW:
            place_row(b, g, i);
            break;
        case GAL_FIGURE:
            place_figure(b, g, i);
            break;
        case GAL_GRID:
            use_grid(b, it->as.notes);
            break;
        case GAL_PAGE:
            if (b->page >= 0 && b->page + 1 < b->reserved_end)
                b->k = b->lines; /* among reserved pages: the next one */
            else
                b->page = -1;
            if (it->as.head)
                b->head = it->as.head;
            break;
        }
    }
    flush_pending(b);
}
