/* The title page, the contents, running heads and folios (see front.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/blocks.h"
#include "layout/front.h"
#include "layout/page.h"
#include "util/xalloc.h"

/* Sets text centred from grid line `grid_line`; returns the grid line
 * after it. */
static int centered(const lay_env *e, pagebuild *b, size_t page,
                    const char *text, const char *family, double size,
                    bool bold, int grid_line)
{
    const style *st = e->st;
    para_style ps = {.family = family, .size = size, .bold = bold,
                     .measure = style_measure(st), .role = ROLE_TITLE,
                     .phrases = true};
    lay_para *p = para_make_text(e, text, &ps, -1);
    double lead = ceil(size * 1.5 / st->pitch) * st->pitch;
    for (size_t i = 0; i < p->nlines; i++) {
        double w = para_line_width(p, i);
        double x0 = style_left(st) + (style_measure(st) - w) / 2;
        double y = layout_grid_y(st, grid_line) + i * lead;
        lay_line ln = para_box(e, p, i, x0, ROLE_TITLE);
        pb_put(b, page, &ln, y);
    }
    int after = grid_line + (int)ceil(((double)p->nlines - 1) * lead / st->pitch - 1e-9) + 1;
    para_free(p);
    return after;
}

void front_title_page(const lay_env *e, pagebuild *b)
{
    const doc_meta *m = &e->d->meta;
    const style *st = e->st;
    size_t pg = page_new(e->L, NULL);
    e->L->title_page = (long)pg;
    /* an edition's recipient notice: centred between the title and the
     * date */
    e->L->title_notice_y = layout_grid_y(st, st->lines_per_page - 12);
    e->L->pages[pg].mark = (lay_mark){MARK_TITLE, -1, 0};
    e->L->pages[pg].has_mark = true;
    int L = st->lines_per_page;
    /* a page of few lines (a vertical book's 16) sets it all from the
     * top, one line after another; a tall one in its usual places, a
     * quarter down and above the foot, unless a long title reaches them */
    bool few = L < 24;
    /* a title "main：sub" without a subtitle of its own sets its second
     * part as the subtitle line */
    const char *title = m->title ? m->title : "";
    const char *colon = m->subtitle ? NULL : strstr(title, "\xef\xbc\x9a");
    char *main = colon && colon > title && colon[3]
                     ? xstrndup(title, (size_t)(colon - title)) : NULL;
    const char *sub = main ? colon + 3 : m->subtitle;
    int t0 = few ? 0 : L / 4;
    int next = centered(e, b, pg, main ? main : title, st->heading_font,
                        st->heading[0].size * 1.5, true, t0);
    if (sub) {
        int at = next > t0 + 5 || few ? next : t0 + 5;
        next = centered(e, b, pg, sub, st->heading_font, st->heading[1].size,
                        false, at);
    }
    free(main);
    char date[64];
    doc_date_ja(e->d, date, sizeof date);
    int d0 = few ? next + 1 : next + 1 > L - 9 ? next + 1 : L - 9;
    if (few)
        e->L->title_notice_y = layout_grid_y(st, next);
    if (*date)
        centered(e, b, pg, date, st->body_font, st->heading[2].size, false, d0);
    if (m->author)
        centered(e, b, pg, m->author, st->heading_font, st->heading[2].size,
                 true, d0 + (few ? 1 : 2));
    if (m->publisher)
        centered(e, b, pg, m->publisher, st->heading_font, st->heading[2].size,
                 true, d0 + (few ? 2 : 3));
    if (m->rights) {
        para_style ps = {.family = st->body_font, .size = st->note_size,
                         .justify = true, .measure = style_measure(st),
                         .role = ROLE_TITLE};
        lay_para *p = para_make_text(e, m->rights, &ps, -1);
        double y = note_grid_y(st, note_lines_per_page(st) - (int)p->nlines);
        for (size_t i = 0; i < p->nlines; i++) {
            lay_line ln = para_box(e, p, i, style_left(st), ROLE_TITLE);
            pb_put(b, pg, &ln, y + i * st->note_pitch);
        }
        para_free(p);
    }
}

/* How many entries the contents will have: headings at the top two
 * levels, the notes and the back matter. */
static size_t count_toc(const lay_env *e)
{
    int top = doc_top_level(e->d);
    size_t n = e->d->nnotes ? 1 : 0;
    for (const doc_node *h = e->d->root->first; h; h = h->next)
        if (h->kind == DOC_HEADING && h->level <= top + 1)
            n++;
    return n;
}

size_t front_reserve_contents(const lay_env *e, size_t *first)
{
    size_t n = count_toc(e);
    if (!e->st->toc || n == 0) /* no headings, no notes: no page */
        return 0;
    int top = doc_top_level(e->d);
    int per_page = e->st->lines_per_page;
    int lines = blocks_heading_style(e->st, top, top)->lines + (int)n;
    size_t pages = (size_t)((lines + per_page - 1) / per_page);
    *first = e->L->npages;
    for (size_t i = 0; i < pages; i++)
        page_new(e->L, "目次");
    return pages;
}

/* One contents entry: the title (level 1 in the heading face, deeper
 * ones a step smaller and indented), a dotted leader that ends a fixed
 * gap before the page numbers, and the page number in one size, flush
 * right in a column as wide as the widest. All linked to the heading. */
static void toc_entry(const lay_env *e, galley *g, size_t i, double numcol)
{
    const style *st = e->st;
    layout *L = e->L;
    const lay_toc_entry *en = &L->toc[i];
    double em = st->body_size;
    int link = layout_add_target(L, NULL, en->dest, 0);
    double indent = (en->level - 1) * em;
    double right = style_left(st) + style_measure(st);
    double lead_end = right - numcol - em / 2;
    para_style ps = {.family = en->level > 1 ? st->body_font : st->heading_font,
                     .size = en->level > 1 ? em * 0.9 : em,
                     .measure = lead_end - em - (style_left(st) + indent),
                     .role = ROLE_TOC};
    lay_para *t = para_make_text(e, en->title, &ps, link);
    char num[16];
    snprintf(num, sizeof num, "%d", L->outline[en->outline].page + 1);
    para_style ns = {.family = st->body_font, .size = em,
                     .measure = numcol + em, .role = ROLE_TOC};
    lay_para *nm = para_make_text(e, num, &ns, link);
    double wt = para_width(t);
    double x0 = style_left(st) + indent;
    double lx0 = x0 + (wt < ps.measure ? wt : ps.measure) + em / 2;
    double dy = -(0.3 * em);
    gal_add(g, (gal_item){
        .kind = GAL_LINE,
        .as.line = {.is_toc = true, .toc = (int)i,
                    .has_rule = lx0 < lead_end,
                    .rule = {lx0, dy, lead_end, dy, 0.8, true}}});
    if (t->nlines > 0) {
        lay_line ln = para_box(e, t, 0, x0, ROLE_TOC);
        gal_box_add(g, &ln, 0);
    }
    lay_line ln = para_box(e, nm, 0, right - para_width(nm), ROLE_TOC);
    gal_box_add(g, &ln, 0);
    para_free(t);
    para_free(nm);
}

/* The widest page number among the entries, at body size. */
static double number_column(const lay_env *e, size_t n)
{
    const style *st = e->st;
    double w = 0;
    para_style ns = {.family = st->body_font, .size = st->body_size,
                     .measure = style_measure(st), .role = ROLE_TOC};
    for (size_t i = 0; i < n; i++) {
        char num[16];
        snprintf(num, sizeof num, "%d",
                 e->L->outline[e->L->toc[i].outline].page + 1);
        lay_para *nm = para_make_text(e, num, &ns, -1);
        double x = para_width(nm);
        w = x > w ? x : w;
        para_free(nm);
    }
    return w;
}

void front_fill_contents(const lay_env *e, pagebuild *b, size_t first,
                         size_t npages)
{
    if (npages == 0)
        return;
    galley g = {0};
    blocks_plain_heading(e, &g, "目次", "contents");
    size_t n = e->L->ntoc; /* the contents' own heading is not listed */
    /* over several pages, the entries are shared out evenly: no page
     * holds the last few alone */
    int head = g.items[0].as.heading.lines;
    size_t per = (size_t)(head + (int)n + (int)npages - 1) / npages;
    size_t on_page = (size_t)head;
    double numcol = number_column(e, n);
    for (size_t i = 0; i < n; i++) {
        if (on_page >= per) {
            gal_add(&g, (gal_item){.kind = GAL_PAGE});
            on_page = 0;
        }
        toc_entry(e, &g, i, numcol);
        on_page++;
    }
    pb_reserved(b, first, npages);
    b->head = "目次";
    pb_run(b, &g);
    gal_free(&g);
}

/* One colophon line on grid line k at x; returns the lines it took. */
static int colophon_line(const lay_env *e, pagebuild *b, size_t pg, int k,
                         const char *text, const char *family, double size,
                         bool bold, double measure)
{
    para_style ps = {.family = family, .size = size, .bold = bold,
                     .measure = measure, .role = ROLE_TITLE};
    lay_para *p = para_make_text(e, text, &ps, -1);
    for (size_t i = 0; i < p->nlines; i++) {
        lay_line ln = para_box(e, p, i, style_left(e->st), ROLE_TITLE);
        pb_put(b, pg, &ln, layout_grid_y(e->st, k + (int)i));
    }
    int n = (int)p->nlines;
    para_free(p);
    return n;
}

void front_colophon(const lay_env *e, pagebuild *b)
{
    const doc_meta *m = &e->d->meta;
    const style *st = e->st;
    layout *L = e->L;
    char date[64], issued[160];
    doc_date_ja(e->d, date, sizeof date);
    snprintf(issued, sizeof issued, "%s%s%s発行", date, *date ? "\xe3\x80\x80" : "",
             m->edition ? m->edition : "第1版");
    struct { const char *label, *value; } rows[] = {
        {NULL, issued}, {"著者", m->author}, {"発行", m->publisher},
        {"連絡先", m->contact},
    };
    /* how many grid lines: the title, a blank, the rows, the rights (a
     * line per ~30 characters) */
    double measure = style_measure(st) * 0.75;
    int rights = 0;
    if (m->rights) {
        para_style ps = {.family = st->body_font, .size = st->note_size,
                         .measure = measure, .role = ROLE_BODY};
        lay_para *p = para_make_text(e, m->rights, &ps, -1);
        rights = (int)p->nlines;
        para_free(p);
    }
    /* small text, as colophons are: the title at h3's size in the heading
     * face, the rest at caption size, the rights at note size */
    para_style ts = {.family = st->heading_font, .size = st->heading[2].size,
                     .bold = true, .measure = measure, .role = ROLE_TITLE};
    lay_para *tp = para_make_text(e, m->title ? m->title : "", &ts, -1);
    int n = (int)tp->nlines + 1 + rights;
    para_free(tp);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        n += rows[i].value != NULL;
    int k = st->lines_per_page - n;
    if (k < 2)
        k = 2;
    size_t pg = page_new(L, NULL);
    L->pages[pg].mark = (lay_mark){MARK_COLOPHON, -1, 0};
    L->pages[pg].has_mark = true;
    L->colophon_page = (long)pg;
    L->colophon_notice_y = layout_grid_y(st, k - 2);
    double rule_w = measure;
    double top = layout_grid_y(st, k) - st->pitch * 0.8;
    page_add_rule(&L->pages[pg], (lay_rule){style_left(st), top,
                                            style_left(st) + rule_w, top, 0.6,
                                            false});
    k += colophon_line(e, b, pg, k, m->title ? m->title : "", st->heading_font,
                       st->heading[2].size, true, measure);
    k++;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        if (!rows[i].value)
            continue;
        char *t = rows[i].label ? xasprintf("%s\xe3\x80\x80%s", rows[i].label,
                                            rows[i].value)
                                : xstrdup(rows[i].value);
        k += colophon_line(e, b, pg, k, t, st->body_font, st->caption_size,
                           false, measure);
        free(t);
    }
    if (m->rights) {
        para_style ps = {.family = st->body_font, .size = st->note_size,
                         .measure = measure, .role = ROLE_TITLE};
        lay_para *p = para_make_text(e, m->rights, &ps, -1);
        for (size_t i = 0; i < p->nlines; i++) {
            lay_line ln = para_box(e, p, i, style_left(st), ROLE_TITLE);
            pb_put(b, pg, &ln, layout_grid_y(st, k + (int)i));
        }
        para_free(p);
        k += rights;
    }
    double bottom = layout_grid_y(st, k - 1) + st->pitch * 0.45;
    page_add_rule(&L->pages[pg], (lay_rule){style_left(st), bottom,
                                            style_left(st) + rule_w, bottom,
                                            0.6, false});
}

/* Running heads and folios: small sans above the text block (the section
 * in force, flush right, over a hairline) and the page number centred
 * below it. The title page has neither. On a vertical page the running
 * head is a short column right of the text, from its head, and the folio
 * stands upright at the foot's outer corner (the left on odd pages, which
 * a right-bound book has on the left): a ROLE_FOLIO line there is placed
 * on the page as printed (layout.paper_w), not on the turned frame. */
void front_decorate(const lay_env *e, pagebuild *b)
{
    const style *st = e->st;
    layout *L = e->L;
    bool vert = st->writing == WRITING_VERTICAL;
    double top = style_top(st), right = style_left(st) + style_measure(st);
    double bottom = top + style_block_height(st);
    for (size_t i = 0; i < L->npages; i++) {
        if (L->pages[i].has_mark && L->pages[i].mark.kind == MARK_TITLE)
            continue;
        para_style ps = {.family = st->heading_font, .size = st->head_size,
                         .bold = true, .measure = style_measure(st),
                         .role = ROLE_HEAD};
        if (L->pages[i].head) {
            lay_para *h = para_make_text(e, L->pages[i].head, &ps, -1);
            if (h->nlines > 0) {
                double w = para_width(h);
                if (w > style_measure(st))
                    w = style_measure(st);
                lay_line ln = para_box(e, h, 0, vert ? style_left(st) : right - w,
                                       ROLE_HEAD);
                ln.block = -1;
                pb_put(b, i, &ln, top - 2.2 * st->pitch);
            }
            para_free(h);
            double y = top - 2.2 * st->pitch + 0.5 * st->head_size;
            if (!vert)
                page_add_rule(&L->pages[i], (lay_rule){style_left(st), y, right,
                                                       y, 0.3, false});
        }
        char num[16];
        snprintf(num, sizeof num, "%d", L->pages[i].number);
        ps.family = st->body_font;
        ps.bold = false;
        ps.size = st->head_size + 1;
        ps.role = ROLE_FOLIO;
        lay_para *f = para_make_text(e, num, &ps, -1);
        if (f->nlines > 0) {
            double w = para_width(f);
            double x0 = style_left(st) + (style_measure(st) - w) / 2;
            double y = bottom + 2.5 * st->pitch;
            if (vert) {
                x0 = L->pages[i].number % 2 ? L->paper_w - bottom
                                            : L->paper_w - top - w;
                y = right + 2.5 * st->pitch;
            }
            lay_line ln = para_box(e, f, 0, x0, ROLE_FOLIO);
            pb_put(b, i, &ln, y);
        }
        para_free(f);
    }
}
