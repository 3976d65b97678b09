/* The title page, the contents, running heads and folios (see front.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jp/embox.h"
#include "layout/blocks.h"
#include "layout/front.h"
#include "layout/page.h"
#include "util/xalloc.h"

/* A title page's or colophon's text, broken at phrases in the measure,
 * and the lead its lines are set at (whole grid lines). */
static lay_para *centred_para(const lay_env *e, const char *text,
                              const char *family, double size, bool bold,
                              double *lead)
{
    const style *st = e->st;
    para_style ps = {.family = family, .size = size, .bold = bold,
                     .measure = style_measure(st), .role = ROLE_TITLE,
                     .phrases = true};
    *lead = ceil(size * 1.5 / st->pitch) * st->pitch;
    return para_make_text(e, text, &ps, -1);
}

/* The grid lines text set centred at `size` would take. */
static int centered_lines(const lay_env *e, const char *text,
                          const char *family, double size, bool bold)
{
    double lead;
    lay_para *p = centred_para(e, text, family, size, bold, &lead);
    int n = (int)ceil(((double)p->nlines - 1) * lead / e->st->pitch - 1e-9) + 1;
    para_free(p);
    return n;
}

/* Sets text centred from grid line `grid_line`; returns the grid line
 * after it. A line past the page's last grid line is not set (the title
 * page says what it left out: *lost). */
static int centered(const lay_env *e, pagebuild *b, size_t page,
                    const char *text, const char *family, double size,
                    bool bold, int grid_line, bool *lost)
{
    const style *st = e->st;
    double lead;
    lay_para *p = centred_para(e, text, family, size, bold, &lead);
    double last = layout_grid_y(st, st->lines_per_page - 1) + 0.01;
    for (size_t i = 0; i < p->nlines; i++) {
        if (layout_grid_y(st, grid_line) + i * lead > last) {
            *lost = true;
            break;
        }
        /* a line that only fits closed up (an unbreakable run, broken as
         * a last resort) is set to the measure, not centred past it */
        double w = fmin(para_line_width(p, i), style_measure(st));
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
    e->L->pages[pg].mark = (doc_mark){DOC_MARK_TITLE, -1, 0};
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
    /* a title too long to leave the subtitle, date, author and publisher
     * their lines is set smaller, down to the body's size */
    const char *ttext = main ? main : title;
    double tsize = st->heading[0].size * 1.5;
    int sublines = sub ? centered_lines(e, sub, st->heading_font,
                                        st->heading[1].size, false) + 1 : 0;
    while (tsize * 0.85 >= st->body_size &&
           t0 + centered_lines(e, ttext, st->heading_font, tsize, true) +
                   sublines > L - (few ? 3 : 5))
        tsize *= 0.85;
    bool lost = false;
    int next = centered(e, b, pg, ttext, st->heading_font, tsize, true, t0,
                        &lost);
    if (sub) {
        /* a blank line after the title, where the page has one to spare */
        int at = few ? (next + 6 < L ? next + 1 : next)
                     : next + 1 > t0 + 5 ? next + 1 : t0 + 5;
        next = centered(e, b, pg, sub, st->heading_font, st->heading[1].size,
                        false, at, &lost);
    }
    free(main);
    char date[64];
    doc_date_ja(e->d, date, sizeof date);
    int d0 = few ? next + 1 : next + 1 > L - 9 ? next + 1 : L - 9;
    if (few)
        e->L->title_notice_y = layout_grid_y(st, next < L ? next : L - 1);
    if (*date)
        centered(e, b, pg, date, st->body_font, st->heading[2].size, false, d0,
                 &lost);
    if (m->author)
        centered(e, b, pg, m->author, st->heading_font, st->heading[2].size,
                 true, d0 + (few ? 1 : 2), &lost);
    if (m->publisher)
        centered(e, b, pg, m->publisher, st->heading_font, st->heading[2].size,
                 true, d0 + (few ? 2 : 3), &lost);
    if (lost)
        diag_warning(e->dg, (diag_loc){e->d->path, 1, 1}, "the title page "
                     "cannot hold the whole title, subtitle, date, author and "
                     "publisher: what does not fit is left off it (the title "
                     "is whole in the running heads and the metadata); a "
                     "shorter title, or \"main：sub\", fits");
    if (m->rights) {
        para_style ps = {.family = st->body_font, .size = st->note_size,
                         .justify = true, .measure = style_measure(st),
                         .role = ROLE_TITLE};
        lay_para *p = para_make_text(e, m->rights, &ps, -1);
        /* at the foot; a notice longer than the page keeps its end */
        int room = note_lines_per_page(st);
        size_t skip = p->nlines > (size_t)room ? p->nlines - (size_t)room : 0;
        double y = note_grid_y(st, room - (int)(p->nlines - skip)) -
                   (double)skip * st->note_pitch;
        for (size_t i = skip; i < p->nlines; i++) {
            lay_line ln = para_box(e, p, i, style_left(st), ROLE_TITLE);
            pb_put(b, pg, &ln, y + i * st->note_pitch);
        }
        para_free(p);
    }
}

/* The contents' geometry: entries' titles run from their indent to a
 * gap before the leader's room, the page numbers flush right in a column
 * `numcol` wide. */
static double toc_title_measure(const style *st, int level, double numcol)
{
    double em = st->body_size;
    double indent = (level - 1) * em;
    double lead_end = style_measure(st) - numcol - em / 2;
    return lead_end - em - indent;
}

/* An entry's title (level 1 in the heading face, deeper ones a step
 * smaller and a character in), broken at phrases into lines within its
 * measure, the lines after the first a character further in: a long
 * heading is set whole, never cut. */
static lay_para *toc_title(const lay_env *e, const char *title, int level,
                           double numcol, int link)
{
    const style *st = e->st;
    double em = st->body_size;
    para_style ps = {.family = level > 1 ? st->body_font : st->heading_font,
                     .size = level > 1 ? em * 0.9 : em,
                     .measure = toc_title_measure(st, level, numcol),
                     .role = ROLE_TOC, .cont_indent = em};
    return para_make_text(e, title, &ps, link);
}

/* The number column the contents are planned with: three digits at body
 * size. Titles are broken for it when the pages are reserved and when
 * they are filled, so both count the same lines (a document of a thousand
 * pages or more sets its numbers a little into the leader's gap). */
static double planned_column(const lay_env *e)
{
    para_style ns = {.family = e->st->body_font, .size = e->st->body_size,
                     .measure = style_measure(e->st), .role = ROLE_TOC};
    lay_para *nm = para_make_text(e, "999", &ns, -1);
    double w = para_width(nm);
    para_free(nm);
    return w;
}

/* Entries onto pages: each whole on one, the first page filled before
 * the next is begun (the contents' heading takes `head` lines of it),
 * and the last holding at least two when the one before can spare them.
 * page_of[i] is entry i's page (0-based); returns the pages. */
static size_t toc_pack(const int *lines, size_t n, int head, int per_page,
                       size_t *page_of)
{
    size_t page = 0;
    int used = head;
    for (size_t i = 0; i < n; i++) {
        if (used > 0 && used + lines[i] > per_page) {
            page++;
            used = 0;
        }
        page_of[i] = page;
        used += lines[i];
    }
    /* no last page with one entry alone, when the page before holds
     * three or more and the moved one fits */
    if (n >= 4 && page > 0 && page_of[n - 2] + 1 == page_of[n - 1] &&
        page_of[n - 3] == page_of[n - 2] && page_of[n - 4] == page_of[n - 2] &&
        lines[n - 2] + lines[n - 1] <= per_page)
        page_of[n - 2] = page_of[n - 1];
    return n ? page + 1 : 1;
}

/* The entries the contents will have, as the layout will list them: the
 * headings at the top two levels (their short forms) and the notes. */
static size_t toc_plan(const lay_env *e, int **lines_out)
{
    int top = doc_top_level(e->d);
    double numcol = planned_column(e);
    size_t n = 0, cap = 0;
    int *lines = NULL;
    for (const doc_node *h = e->d->root->first; h; h = h->next) {
        if (h->kind != DOC_HEADING || h->level > top + 1)
            continue;
        char *plain = h->short_title ? xstrdup(h->short_title)
                                     : doc_plain_text(h);
        /* with its number, as the contents will list it (blocks.c) */
        char *t = style_numbered_title(e->st, h->secno, plain);
        free(plain);
        lay_para *p = toc_title(e, t, h->level - top + 1, numcol, -1);
        xgrow((void **)&lines, &cap, n + 2, sizeof *lines);
        lines[n++] = p->nlines > 0 ? (int)p->nlines : 1;
        para_free(p);
        free(t);
    }
    if (e->d->nnotes) {
        xgrow((void **)&lines, &cap, n + 2, sizeof *lines);
        lines[n++] = 1; /* 注 */
    }
    *lines_out = lines;
    return n;
}

/* A list of figures or of tables (front.figure-list, front.table-list):
 * its heading, its entries ("図1　題") and their floats, in the numbers'
 * order. */
typedef struct float_list {
    const char *heading, *dest; /* 図目次 and "figures", 表目次 and "tables" */
    const doc_node **v;
    char **text;
    size_t n;
} float_list;

static void float_list_make(const lay_env *e, bool tables, float_list *fl)
{
    const style *st = e->st;
    *fl = (float_list){0};
    if (!(tables ? st->table_list : st->figure_list))
        return;
    fl->heading = tables ? "\xe8\xa1\xa8\xe7\x9b\xae\xe6\xac\xa1"  /* 表目次 */
                         : "\xe5\x9b\xb3\xe7\x9b\xae\xe6\xac\xa1"; /* 図目次 */
    fl->dest = tables ? "tables" : "figures";
    fl->v = doc_floats(e->d, tables ? DOC_TABLE : DOC_FIGURE, &fl->n);
    fl->text = xcalloc(fl->n + 1, sizeof *fl->text);
    for (size_t i = 0; i < fl->n; i++)
        fl->text[i] = doc_float_entry(fl->v[i], tables ? st->table_label
                                                       : st->figure_label);
}

static void float_list_free(float_list *fl)
{
    for (size_t i = 0; i < fl->n; i++)
        free(fl->text[i]);
    free(fl->text);
    free(fl->v);
}

/* An entry of a list of figures or tables: in the body face, at body
 * size, broken as a contents title is. */
static lay_para *list_title(const lay_env *e, const char *text, double numcol,
                            int link)
{
    const style *st = e->st;
    para_style ps = {.family = st->body_font, .size = st->body_size,
                     .measure = toc_title_measure(st, 1, numcol),
                     .role = ROLE_TOC, .cont_indent = st->body_size};
    return para_make_text(e, text, &ps, link);
}

/* The pages a list will take, planned as the contents are. */
static size_t float_list_pages(const lay_env *e, const float_list *fl)
{
    if (fl->n == 0)
        return 0;
    double numcol = planned_column(e);
    int *lines = xcalloc(fl->n + 1, sizeof *lines);
    size_t *page_of = xcalloc(fl->n + 1, sizeof *page_of);
    for (size_t i = 0; i < fl->n; i++) {
        lay_para *p = list_title(e, fl->text[i], numcol, -1);
        lines[i] = p->nlines > 0 ? (int)p->nlines : 1;
        para_free(p);
    }
    int top = doc_top_level(e->d);
    size_t pages = toc_pack(lines, fl->n,
                            style_heading_at(e->st, top, top)->lines,
                            e->st->lines_per_page, page_of);
    free(lines);
    free(page_of);
    return pages;
}

size_t front_reserve_contents(const lay_env *e, size_t *first)
{
    size_t pages = 0;
    if (e->st->toc) {
        int *lines;
        size_t n = toc_plan(e, &lines);
        if (n > 0) { /* no headings, no notes: no page */
            int top = doc_top_level(e->d);
            size_t *page_of = xmalloc(n * sizeof *page_of);
            pages = toc_pack(lines, n, style_heading_at(e->st, top, top)->lines,
                             e->st->lines_per_page, page_of);
            free(page_of);
        }
        free(lines);
    }
    *first = e->L->npages;
    for (size_t i = 0; i < pages; i++)
        page_new(e->L, "\xe7\x9b\xae\xe6\xac\xa1"); /* 目次 */
    for (int k = 0; k < 2; k++) { /* and each list's, with its head */
        float_list fl;
        float_list_make(e, k == 1, &fl);
        size_t more = float_list_pages(e, &fl);
        for (size_t i = 0; i < more; i++)
            page_new(e->L, fl.heading);
        pages += more;
        float_list_free(&fl);
    }
    return pages;
}

/* One contents entry: its title's lines, then on the last a dotted leader
 * that ends a fixed gap before the page numbers, and the page number in
 * one size, flush right in a column as wide as the widest. All linked to
 * the heading. */
static void toc_entry(const lay_env *e, galley *g, size_t i, int level,
                      int page, double numcol, const lay_para *t, int link)
{
    const style *st = e->st;
    double em = st->body_size;
    double x0 = style_left(st) + (level - 1) * em;
    double right = style_left(st) + style_measure(st);
    double lead_end = right - numcol - em / 2;
    char num[16];
    snprintf(num, sizeof num, "%d", page);
    para_style ns = {.family = st->body_font, .size = em,
                     .measure = numcol + em, .role = ROLE_TOC};
    lay_para *nm = para_make_text(e, num, &ns, link);
    size_t nl = t->nlines > 0 ? t->nlines : 1;
    for (size_t k = 0; k < nl; k++) {
        bool last = k + 1 == nl;
        double x = k > 0 ? x0 + em : x0;
        double wt = t->nlines > 0 ? para_line_width(t, k) : 0;
        double lx0 = x + wt + em / 2;
        double dy = -(0.3 * em);
        gal_add(g, (gal_item){
            .kind = GAL_LINE,
            .as.line = {.is_toc = k == 0, .toc = (int)i,
                        .has_rule = last && lx0 < lead_end,
                        .rule = {lx0, dy, lead_end, dy, 0.8, true}}});
        if (k < t->nlines) {
            lay_line ln = para_box(e, t, k, x, ROLE_TOC);
            gal_box_add(g, &ln, 0);
        }
        if (last) {
            lay_line ln = para_box(e, nm, 0, right - para_width(nm), ROLE_TOC);
            gal_box_add(g, &ln, 0);
        }
    }
    para_free(nm);
}

/* The widest page number among the entries, at body size. */
static double number_column(const lay_env *e, const int *pages, size_t n)
{
    const style *st = e->st;
    double w = 0;
    para_style ns = {.family = st->body_font, .size = st->body_size,
                     .measure = style_measure(st), .role = ROLE_TOC};
    for (size_t i = 0; i < n; i++) {
        char num[16];
        snprintf(num, sizeof num, "%d", pages[i]);
        lay_para *nm = para_make_text(e, num, &ns, -1);
        double x = para_width(nm);
        w = x > w ? x : w;
        para_free(nm);
    }
    return w;
}

/* The printed page of a float: where its destination is (its label, or
 * fig-N / tbl-N, as floats.c names it). */
static int float_page(const layout *L, const doc_node *n)
{
    char name[32];
    const char *want = n->label;
    if (!want) {
        snprintf(name, sizeof name, "%s-%d", n->kind == DOC_TABLE ? "tbl" : "fig",
                 n->number);
        want = name;
    }
    for (size_t p = 0; p < L->npages; p++)
        for (size_t i = 0; i < L->pages[p].ndests; i++)
            if (strcmp(L->pages[p].dests[i].name, want) == 0)
                return L->pages[p].number;
    return 0;
}

/* A list of figures or tables onto its pages, after those before it: its
 * entries are contents entries `base` on (their page marks). */
static void float_list_fill(const lay_env *e, galley *g, const float_list *fl,
                            size_t base)
{
    layout *L = e->L;
    if (g->nitems > 0) /* after the contents, or the list of figures */
        gal_add(g, (gal_item){.kind = GAL_PAGE, .as.head = fl->heading});
    size_t head = g->nitems;
    blocks_plain_heading(e, g, fl->heading, fl->dest);
    double planned = planned_column(e);
    int *pages = xcalloc(fl->n + 1, sizeof *pages);
    int *lines = xcalloc(fl->n + 1, sizeof *lines);
    lay_para **titles = xcalloc(fl->n + 1, sizeof *titles);
    int *links = xcalloc(fl->n + 1, sizeof *links);
    size_t *page_of = xcalloc(fl->n + 1, sizeof *page_of);
    for (size_t i = 0; i < fl->n; i++) {
        pages[i] = float_page(L, fl->v[i]);
        char name[32];
        const char *dest = fl->v[i]->label;
        if (!dest) {
            snprintf(name, sizeof name, "%s-%d",
                     fl->v[i]->kind == DOC_TABLE ? "tbl" : "fig",
                     fl->v[i]->number);
            dest = arena_strdup(L->a, name);
        }
        links[i] = layout_add_target(L, NULL, dest, 0);
        titles[i] = list_title(e, fl->text[i], planned, links[i]);
        lines[i] = titles[i]->nlines > 0 ? (int)titles[i]->nlines : 1;
    }
    double numcol = number_column(e, pages, fl->n);
    toc_pack(lines, fl->n, gal_at(g, head)->as.heading.lines,
             e->st->lines_per_page, page_of);
    for (size_t i = 0; i < fl->n; i++) {
        if (i > 0 && page_of[i] != page_of[i - 1])
            gal_add(g, (gal_item){.kind = GAL_PAGE});
        toc_entry(e, g, base + i, 1, pages[i], numcol, titles[i], links[i]);
        para_free(titles[i]);
    }
    free(pages);
    free(lines);
    free(titles);
    free(links);
    free(page_of);
}

void front_fill_contents(const lay_env *e, pagebuild *b, size_t first,
                         size_t npages)
{
    if (npages == 0)
        return;
    galley g = {0};
    layout *L = e->L;
    size_t n = L->ntoc; /* the contents' own heading is not listed */
    if (e->st->toc && n > 0) {
        blocks_plain_heading(e, &g, "目次", "contents");
        double planned = planned_column(e);
        int *pages = xcalloc(n + 1, sizeof *pages);
        for (size_t i = 0; i < n; i++)
            pages[i] = L->outline[L->toc[i].outline].page + 1;
        double numcol = number_column(e, pages, n);
        lay_para **titles = xcalloc(n + 1, sizeof *titles);
        int *lines = xcalloc(n + 1, sizeof *lines);
        int *links = xcalloc(n + 1, sizeof *links);
        for (size_t i = 0; i < n; i++) {
            links[i] = layout_add_target(L, NULL, L->toc[i].dest, 0);
            titles[i] = toc_title(e, L->toc[i].title, L->toc[i].level, planned,
                                  links[i]);
            lines[i] = titles[i]->nlines > 0 ? (int)titles[i]->nlines : 1;
        }
        size_t *page_of = xcalloc(n + 1, sizeof *page_of);
        toc_pack(lines, n, g.items[0].as.heading.lines, e->st->lines_per_page,
                 page_of);
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && page_of[i] != page_of[i - 1])
                gal_add(&g, (gal_item){.kind = GAL_PAGE});
            toc_entry(e, &g, i, L->toc[i].level, pages[i], numcol, titles[i],
                      links[i]);
            para_free(titles[i]);
        }
        free(pages);
        free(titles);
        free(lines);
        free(links);
        free(page_of);
    }
    /* the lists of figures and tables, each from a page of its own; their
     * entries go on from the contents' in the page marks (the EPUB's
     * contents page lists them in the same order) */
    size_t base = n;
    for (int k = 0; k < 2; k++) {
        float_list fl;
        float_list_make(e, k == 1, &fl);
        if (fl.n)
            float_list_fill(e, &g, &fl, base);
        base += fl.n;
        float_list_free(&fl);
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
    /* broken between phrases, never inside a word (産／業) */
    para_style ps = {.family = family, .size = size, .bold = bold,
                     .measure = measure, .role = ROLE_TITLE, .phrases = true};
    lay_para *p = para_make_text(e, text, &ps, -1);
    for (size_t i = 0; i < p->nlines; i++) {
        if (k + (int)i >= e->st->lines_per_page) /* past the page: left off */
            break;
        lay_line ln = para_box(e, p, i, style_left(e->st), ROLE_TITLE);
        pb_put(b, pg, &ln, layout_grid_y(e->st, k + (int)i));
    }
    int n = (int)p->nlines;
    para_free(p);
    return n;
}

/* The lines `text` takes in the style ps. */
static int text_lines(const lay_env *e, const char *text, const para_style *ps)
{
    lay_para *p = para_make_text(e, text, ps, -1);
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
    /* how many grid lines: the title, a blank, the rows and the rights,
     * each as many as it takes in the colophon's measure */
    double measure = style_measure(st) * 0.75;
    /* small text, as colophons are: the title at h3's size in the heading
     * face, the rest at caption size, the rights at note size */
    para_style ts = {.family = st->heading_font, .size = st->heading[2].size,
                     .bold = true, .measure = measure, .role = ROLE_TITLE,
                     .phrases = true};
    para_style rs = {.family = st->body_font, .size = st->caption_size,
                     .measure = measure, .role = ROLE_TITLE, .phrases = true};
    para_style ns = {.family = st->body_font, .size = st->note_size,
                     .measure = measure, .role = ROLE_BODY};
    int rights = m->rights ? text_lines(e, m->rights, &ns) : 0;
    int n = text_lines(e, m->title ? m->title : "", &ts) + 1 + rights;
    char *row[sizeof rows / sizeof *rows] = {0};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        if (!rows[i].value)
            continue;
        row[i] = rows[i].label ? xasprintf("%s\xe3\x80\x80%s", rows[i].label,
                                           rows[i].value)
                               : xstrdup(rows[i].value);
        n += text_lines(e, row[i], &rs);
    }
    int k = st->lines_per_page - n;
    if (k < 2) {
        k = 2;
        if (n > st->lines_per_page - 2)
            diag_warning(e->dg, (diag_loc){e->d->path, 1, 1}, "the colophon "
                         "cannot hold the whole title and its rows: what does "
                         "not fit is left off it (a shorter title, or "
                         "\"main：sub\", fits)");
    }
    size_t pg = page_new(L, NULL);
    L->pages[pg].mark = (doc_mark){DOC_MARK_COLOPHON, -1, 0};
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
        if (!row[i])
            continue;
        k += colophon_line(e, b, pg, k, row[i], st->body_font,
                           st->caption_size, false, measure);
        free(row[i]);
    }
    if (m->rights) {
        para_style ps = {.family = st->body_font, .size = st->note_size,
                         .measure = measure, .role = ROLE_TITLE};
        lay_para *p = para_make_text(e, m->rights, &ps, -1);
        for (size_t i = 0; i < p->nlines && k + (int)i < st->lines_per_page;
             i++) {
            lay_line ln = para_box(e, p, i, style_left(st), ROLE_TITLE);
            pb_put(b, pg, &ln, layout_grid_y(st, k + (int)i));
        }
        para_free(p);
        k += rights;
    }
    /* a colophon longer than the page (a title of pages) keeps to it */
    if (k > st->lines_per_page)
        k = st->lines_per_page;
    double bottom = layout_grid_y(st, k - 1) + st->pitch * 0.45;
    page_add_rule(&L->pages[pg], (lay_rule){style_left(st), bottom,
                                            style_left(st) + rule_w, bottom,
                                            0.6, false});
}

/* Does a head cut before s[i] keep its words whole (not inside a Latin
 * word or number, nor inside a UTF-8 sequence)? */
static bool head_cut_ok(const char *s, size_t i)
{
    unsigned char a = (unsigned char)s[i - 1], b = (unsigned char)s[i];
    if ((b & 0xC0) == 0x80)
        return false;
    bool wa = a < 0x80 && (isalnum(a) || a == '.' || a == '-');
    bool wb = b < 0x80 && (isalnum(b) || b == '.' || b == '-');
    return !(wa && wb);
}

/* The running head: the section's title on one line. One too long for it
 * is its part before a colon (「第3章：…」) when that fits, or else as much
 * as fits, cut between words, and an ellipsis. */
static lay_para *cut_head(const lay_env *e, const char *head, const para_style *ps)
{
    lay_para *h = para_make_text(e, head, ps, -1);
    if (h->nlines <= 1)
        return h;
    para_free(h);
    const char *colon = strstr(head, "\xef\xbc\x9a"); /* ： */
    if (colon && colon > head) {
        char *t = xstrndup(head, (size_t)(colon - head));
        h = para_make_text(e, t, ps, -1);
        free(t);
        if (h->nlines == 1)
            return h;
        para_free(h);
    }
    /* the longest cut that fits, by bisection over the bytes */
    size_t lo = 0, hi = strlen(head), best = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2, cut = mid;
        while (cut > 0 && !head_cut_ok(head, cut))
            cut--;
        if (cut == 0) { /* one word longer than the line: letters then */
            cut = mid;
            while (cut > 0 && ((unsigned char)head[cut] & 0xC0) == 0x80)
                cut--;
        }
        char *t = xasprintf("%.*s\xe2\x80\xa6", (int)cut, head); /* … */
        lay_para *c = para_make_text(e, t, ps, -1);
        bool fits = c->nlines == 1;
        para_free(c);
        free(t);
        if (fits) {
            best = cut;
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    /* Japanese: rather after a particle (国内外の|裁判例) than inside a
     * word (裁判例及|び), when one is among the last ten characters */
    static const char *const particles[] = {"\xe3\x81\xae", "\xe3\x81\xab",
        "\xe3\x82\x92", "\xe3\x81\xaf", "\xe3\x81\x8c", "\xe3\x81\xa8",
        "\xe3\x81\xa7", "\xe3\x81\xb8", "\xe3\x82\x84", "\xe3\x80\x81"};
    size_t end = best;
    for (size_t back = best, k = 0; k < 10 && back >= 3; k++) {
        bool particle = false;
        for (size_t q = 0; q < sizeof particles / sizeof *particles; q++)
            particle |= memcmp(head + back - 3, particles[q], 3) == 0;
        /* not a kana run's middle: the next is not hiragana (U+3041-309F:
         * E3 81 xx, E3 82 80-9F) */
        const unsigned char *nx = (const unsigned char *)head + back;
        bool next_kana = nx[0] == 0xE3 && nx[1] != 0 &&
                         (nx[1] == 0x81 || (nx[1] == 0x82 && nx[2] < 0xA0));
        if (particle && !next_kana && back < best) {
            end = back;
            break;
        }
        do
            back--;
        while (back > 0 && ((unsigned char)head[back] & 0xC0) == 0x80);
    }
    while (end > 0 && (head[end - 1] == ' ' ||
                       (end >= 3 && memcmp(head + end - 3, "\xe3\x80\x81", 3) == 0)))
        end -= head[end - 1] == ' ' ? 1 : 3; /* no space or 、 before … */
    char *t = xasprintf("%.*s\xe2\x80\xa6", (int)end, head);
    h = para_make_text(e, t, ps, -1);
    free(t);
    return h;
}

static lay_para *head_para(const lay_env *e, const char *head, const para_style *ps)
{
    /* a title of two lines (<br>) heads its pages with its first */
    const char *nl = strchr(head, '\n');
    char *first = nl ? xstrndup(head, (size_t)(nl - head)) : NULL;
    lay_para *h = cut_head(e, first ? first : head, ps);
    free(first);
    return h;
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
        if (L->pages[i].has_mark && L->pages[i].mark.kind == DOC_MARK_TITLE)
            continue;
        para_style ps = {.family = st->heading_font, .size = st->head_size,
                         .bold = true, .measure = style_measure(st),
                         .role = ROLE_HEAD};
        if (L->pages[i].head) {
            lay_para *h = head_para(e, L->pages[i].head, &ps);
            if (h->nlines > 0) {
                double w = para_width(h);
                if (w > style_measure(st))
                    w = style_measure(st);
                lay_line ln = para_box(e, h, 0, vert ? style_left(st) : right - w,
                                       ROLE_HEAD);
                ln.block = -1;
                double hy = top - 2.2 * st->pitch;
                /* vertical: on the fore-edge side, as the folio is: left
                 * of the last column on odd pages (a right-bound book's
                 * left-hand ones), the column's box mirrored */
                if (vert && L->pages[i].number % 2)
                    hy = top + bottom - hy + (JP_EM_TOP - JP_EM_BOTTOM) * st->head_size;
                pb_put(b, i, &ln, hy);
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
