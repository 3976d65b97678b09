/* Pages: the title page, the table of contents, the body, the notes and
 * the back matter; running heads and folios; the page map; and the
 * invariants layout_check() asserts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/internal.h"
#include "util/xalloc.h"

double layout_grid_y(const style *st, int k)
{
    return style_top(st) + 0.88 * st->body_size + k * st->pitch;
}

lay_page *page_new(lay_ctx *c)
{
    layout *L = c->L;
    xgrow((void **)&L->pages, &L->cap_pages, L->npages + 1, sizeof *L->pages);
    /* pages moved: the current page pointer is refreshed by the caller */
    lay_page *pg = &L->pages[L->npages++];
    memset(pg, 0, sizeof *pg);
    pg->number = (int)L->npages;
    pg->head = c->head;
    return pg;
}

#define PUSH(arr, n, cap, v)                                                \
    do {                                                                    \
        xgrow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr));            \
        (arr)[(n)++] = (v);                                                 \
    } while (0)

void page_add_rule(lay_ctx *c, lay_page *pg, lay_rule r)
{
    (void)c;
    PUSH(pg->rules, pg->nrules, pg->cap_rules, r);
}

void page_add_link(lay_ctx *c, lay_page *pg, lay_link l)
{
    (void)c;
    PUSH(pg->links, pg->nlinks, pg->cap_links, l);
}

void page_add_dest(lay_ctx *c, lay_page *pg, const char *name, double x,
                   double y)
{
    (void)c;
    PUSH(pg->dests, pg->ndests, pg->cap_dests, ((lay_dest){name, x, y}));
}

int add_target(lay_ctx *c, const char *uri, const char *dest)
{
    layout *L = c->L;
    PUSH(L->targets, L->ntargets, L->cap_targets, ((lay_target){uri, dest}));
    return (int)L->ntargets - 1;
}

void outline_add(lay_ctx *c, const char *title, int level, const char *dest,
                 int block)
{
    layout *L = c->L;
    int lv = level - c->top_level + 1;
    PUSH(L->outline, L->noutline, L->cap_outline,
         ((lay_outline){title, lv < 1 ? 1 : lv,
                        (int)(c->page - L->pages), dest}));
    if (lv <= 2)
        PUSH(L->toc, L->ntoc, L->cap_toc,
             ((lay_toc_entry){title, lv < 1 ? 1 : lv, dest, block, L->noutline - 1}));
}

/* page_new may move the page array: keep c->page valid across it */
static lay_page *fresh_page(lay_ctx *c)
{
    c->page = page_new(c);
    c->k = 0;
    return c->page;
}

static void centered(lay_ctx *c, const char *text, const char *family,
                     double size, bool bold, int grid_line)
{
    const style *st = c->st;
    para_style ps = {family, size, bold, false, style_measure(st), 0, ROLE_TITLE};
    lay_para *p = para_make_text(c, text, &ps, -1);
    double lead = ceil(size * 1.5 / st->pitch) * st->pitch;
    for (size_t i = 0; i < p->nlines; i++) {
        double *x = xmalloc((p->lines[i].end - p->lines[i].start + 1) * sizeof *x);
        double w = jp_justify(&p->jp, p->glue, &p->lines[i], 1e9, x);
        free(x);
        double x0 = style_left(st) + (style_measure(st) - w) / 2;
        double y = layout_grid_y(st, grid_line) + i * lead;
        para_place(c, p, i, x0, y, ROLE_TITLE);
    }
    para_free(p);
}

static void title_page(lay_ctx *c)
{
    const doc_meta *m = &c->d->meta;
    const style *st = c->st;
    lay_page *pg = fresh_page(c);
    pg->mark = (lay_mark){MARK_TITLE, -1, 0};
    pg->has_mark = true;
    pg->head = NULL;
    int L = st->lines_per_page;
    centered(c, m->title ? m->title : "", st->heading_font,
             st->heading[0].size * 1.5, true, L / 4);
    if (m->subtitle)
        centered(c, m->subtitle, st->heading_font, st->heading[1].size, false,
                 L / 4 + 5);
    char date[64];
    doc_date_ja(c->d, date, sizeof date);
    if (*date)
        centered(c, date, st->body_font, st->heading[2].size, false, L - 9);
    if (m->author)
        centered(c, m->author, st->heading_font, st->heading[2].size, true, L - 7);
    if (m->publisher)
        centered(c, m->publisher, st->heading_font, st->heading[2].size, true,
                 L - 6);
    if (m->rights) {
        para_style ps = {st->body_font, st->note_size, false, true,
                         style_measure(st), 0, ROLE_TITLE};
        lay_para *p = para_make_text(c, m->rights, &ps, -1);
        double y = note_grid_y(st, note_lines_per_page(st) - (int)p->nlines);
        for (size_t i = 0; i < p->nlines; i++)
            para_place(c, p, i, style_left(st), y + i * st->note_pitch, ROLE_TITLE);
        para_free(p);
    }
    c->page = NULL;
}

/* How many entries the contents will have: headings at the top two
 * levels, the notes and the back matter. */
static size_t count_toc(lay_ctx *c)
{
    size_t n = c->d->nnotes ? 1 : 0;
    for (const doc_node *h = c->d->root->first; h; h = h->next)
        if (h->kind == DOC_HEADING && h->level <= c->top_level + 1)
            n++;
    return n;
}

static size_t reserve_toc(lay_ctx *c, size_t *first)
{
    size_t n = count_toc(c);
    int per_page = c->st->lines_per_page;
    int lines = heading_style(c, c->top_level)->lines + (int)n;
    size_t pages = (size_t)((lines + per_page - 1) / per_page);
    *first = c->L->npages;
    for (size_t i = 0; i < pages; i++) {
        lay_page *pg = fresh_page(c);
        pg->head = "目次";
    }
    c->page = NULL;
    return pages;
}

static void fill_toc(lay_ctx *c, size_t first, size_t npages)
{
    if (npages == 0)
        return;
    const style *st = c->st;
    layout *L = c->L;
    c->page = &L->pages[first];
    c->k = 0;
    c->head = "目次";
    size_t saved_outline = L->noutline;
    size_t saved_toc = L->ntoc;
    layout_heading(c, NULL, "目次", c->top_level, "contents");
    /* the contents list itself is not an entry of the contents */
    L->ntoc = saved_toc;
    L->outline[saved_outline].page = (int)first;
    for (size_t i = 0; i < L->ntoc; i++) {
        const lay_toc_entry *e = &L->toc[i];
        if (c->k >= st->lines_per_page) {
            if (c->page - L->pages + 1 >= (ptrdiff_t)(first + npages))
                break; /* cannot happen: reserve_toc counted the entries */
            c->page++;
            c->k = 0;
        }
        int page = L->outline[e->outline].page;
        char num[16];
        snprintf(num, sizeof num, "%d", page + 1);
        int link = add_target(c, NULL, e->dest);
        double indent = (e->level - 1) * st->body_size;
        /* sub-entries one step smaller, as contents pages set them */
        double size = e->level > 1 ? st->body_size * 0.9 : st->body_size;
        para_style ps = {st->body_font, size, false, false,
                         style_measure(st) - indent - 4 * st->body_size, 0,
                         ROLE_TOC};
        lay_para *t = para_make_text(c, e->title, &ps, link);
        lay_para *nm = para_make_text(c, num, &ps, link);
        double y = layout_grid_y(st, c->k);
        double wn = para_width(nm);
        double wt = para_width(t);
        double x0 = style_left(st) + indent;
        double right = style_left(st) + style_measure(st);
        if (t->nlines > 0) {
            lay_line *ln = para_place(c, t, 0, x0, y, ROLE_TOC);
            ln->block = -1;
        }
        lay_line *ln = para_place(c, nm, 0, right - wn, y, ROLE_TOC);
        ln->block = -1;
        double lx0 = x0 + (wt < ps.measure ? wt : ps.measure) + st->body_size / 2;
        page_add_rule(c, c->page, (lay_rule){lx0, y - 0.3 * st->body_size,
                                             right - wn - st->body_size / 2,
                                             y - 0.3 * st->body_size, 0.8, true});
        if (!c->page->has_mark || c->k == 0) {
            c->page->mark = (lay_mark){MARK_TOC, (int)i, 0};
            c->page->has_mark = true;
        }
        para_free(t);
        para_free(nm);
        c->k++;
    }
}

/* Running heads and folios: small sans above the text block (the section
 * in force, flush right, over a hairline) and the page number centred
 * below it. The title page has neither. */
static void decorate(lay_ctx *c)
{
    const style *st = c->st;
    layout *L = c->L;
    double top = style_top(st), right = style_left(st) + style_measure(st);
    double bottom = top + style_block_height(st);
    for (size_t i = 0; i < L->npages; i++) {
        c->page = &L->pages[i];
        if (i == 0 && st->title_page)
            continue;
        para_style ps = {st->heading_font, st->head_size, true, false,
                         style_measure(st), 0, ROLE_HEAD};
        if (c->page->head) {
            lay_para *h = para_make_text(c, c->page->head, &ps, -1);
            if (h->nlines > 0) {
                double w = para_width(h);
                if (w > style_measure(st))
                    w = style_measure(st);
                lay_line *ln = para_place(c, h, 0, right - w, top - 2.2 * st->pitch,
                                          ROLE_HEAD);
                ln->block = -1;
            }
            para_free(h);
            double y = top - 2.2 * st->pitch + 0.5 * st->head_size;
            page_add_rule(c, c->page, (lay_rule){style_left(st), y, right, y,
                                                 0.3, false});
        }
        char num[16];
        snprintf(num, sizeof num, "%d", c->page->number);
        ps.family = st->body_font;
        ps.bold = false;
        ps.size = st->head_size + 1;
        ps.role = ROLE_FOLIO;
        lay_para *f = para_make_text(c, num, &ps, -1);
        if (f->nlines > 0) {
            double w = para_width(f);
            lay_line *ln = para_place(c, f, 0, style_left(st) + (style_measure(st) - w) / 2,
                                      bottom + 2.5 * st->pitch, ROLE_FOLIO);
            ln->block = -1;
        }
        para_free(f);
    }
    c->page = NULL;
}

layout *layout_run(const doc *d, const style *st, fonts *f, diag *dg,
                   const lay_hooks *hooks)
{
    const char *need[] = {st->body_font, st->heading_font, st->mono_font};
    bool ok = true;
    for (size_t i = 0; i < 3; i++)
        ok &= fonts_require(f, need[i], dg);
    if (!ok)
        return NULL;
    layout *L = xcalloc(1, sizeof *L);
    L->a = arena_new();
    L->st = st;
    lay_ctx c = {.d = d, .st = st, .f = f, .dg = dg, .L = L,
                 .top_level = doc_top_level(d),
                 .glyph_warnings = hooks && hooks->glyph_warnings,
                 .ref_seen = xcalloc(d->nnotes + 1, sizeof(bool))};
    if (st->title_page) {
        title_page(&c);
        if (hooks && hooks->title_done)
            hooks->title_done(L, hooks->ctx);
    }
    size_t toc_first = 0, toc_pages = 0;
    if (st->toc && count_toc(&c) > 0) /* no headings, no notes: no page */
        toc_pages = reserve_toc(&c, &toc_first);
    c.head = d->meta.title;
    const doc_node *back = doc_back_matter(d);
    c.page = NULL;
    blocks_body(&c, d->root->first, back);
    blocks_notes(&c);
    blocks_back(&c, back);
    fill_toc(&c, toc_first, toc_pages);
    decorate(&c);
    free(c.ref_seen);
    return L;
}

void layout_free(layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->npages; i++) {
        lay_page *p = &l->pages[i];
        free(p->lines);
        free(p->rules);
        free(p->links);
        free(p->dests);
    }
    free(l->pages);
    free(l->outline);
    free(l->toc);
    free(l->targets);
    for (size_t i = 0; i < l->nparas; i++)
        shaped_free(l->paras[i]);
    free(l->paras);
    arena_free(l->a);
    free(l);
}

bool layout_check(const layout *l, diag *dg)
{
    const style *st = l->st;
    double x_min = style_left(st) - 0.5 * st->body_size - 0.01;
    double x_max = style_left(st) + style_measure(st) + 0.01 +
                   (st->hanging ? 0.5 * st->body_size : 0);
    double y_min = style_top(st) - 0.01;
    double y_max = style_top(st) + style_block_height(st) + 0.01;
    size_t bad = 0;
    for (size_t p = 0; p < l->npages; p++) {
        const lay_page *pg = &l->pages[p];
        for (size_t i = 0; i < pg->nlines; i++) {
            const lay_line *ln = &pg->lines[i];
            double x1 = ln->x0 + ln->x[ln->end - ln->start];
            if (ln->role == ROLE_HEAD || ln->role == ROLE_FOLIO)
                continue;
            if (ln->x0 < x_min || x1 > x_max || ln->y < y_min || ln->y > y_max) {
                diag_error(dg, (diag_loc){0}, "page %d: a line at (%.2f, %.2f)"
                           " leaves the text block", pg->number, ln->x0, ln->y);
                bad++;
            }
            if (ln->role == ROLE_BODY || ln->role == ROLE_TOC) {
                double k = (ln->y - layout_grid_y(st, 0)) / st->pitch;
                if (fabs(k - round(k)) > 1e-4) {
                    diag_error(dg, (diag_loc){0}, "page %d: a body baseline "
                               "at %.3f is off the grid", pg->number, ln->y);
                    bad++;
                }
            }
        }
        /* a heading must not be the last thing on a page */
        if (pg->nlines > 0 && pg->lines[pg->nlines - 1].role == ROLE_HEADING &&
            p + 1 < l->npages) {
            diag_error(dg, (diag_loc){0}, "page %d: a heading stands at the "
                       "page foot", pg->number);
            bad++;
        }
    }
    return bad == 0;
}
