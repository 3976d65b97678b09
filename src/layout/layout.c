/* The driver: the title page, the contents' pages reserved, the body,
 * notes and back matter composed into a galley and built into pages,
 * the contents filled, then running heads and folios. Also the
 * invariants layout_check() asserts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/blocks.h"
#include "layout/front.h"
#include "layout/pagebuild.h"
#include "text/hyphen.h"
#include "text/phrase.h"
#include "util/xalloc.h"

/* A paragraph set again, remembered: the pages are paginated several
 * times over while short ones are cured (fill_pages). */
typedef struct respaced {
    int which;
    size_t want, got;
    lay_line *lines;  /* got of them */
    double demerits;
} respaced;

typedef struct respace_ctx {
    const lay_env *e;
    respaced *v;
    size_t n, cap;
} respace_ctx;

/* pagebuild.respace: a kept paragraph broken into `want` lines within
 * the limits, as line boxes (a copy the caller frees). */
static size_t respace(void *ctx, int which, size_t want, lay_line **lines,
                      double *demerits)
{
    respace_ctx *rc = ctx;
    respaced *r = NULL;
    for (size_t i = 0; i < rc->n && !r; i++)
        if (rc->v[i].which == which && rc->v[i].want == want)
            r = &rc->v[i];
    if (!r) {
        const para_kept *k = &rc->e->keep->v[which];
        jp_line *jl;
        double dem = 0;
        size_t got = jp_break_lines_n(&k->p->jp, k->p->glue, want, &jl, &dem);
        lay_line *boxes = NULL;
        if (got) {
            lay_para copy = *k->p;
            copy.lines = jl;
            copy.nlines = got;
            boxes = xmalloc(got * sizeof *boxes);
            for (size_t i = 0; i < got; i++)
                boxes[i] = para_box(rc->e, &copy, i, k->x0, k->role);
            free(jl);
        }
        xgrow((void **)&rc->v, &rc->cap, rc->n + 1, sizeof *rc->v);
        r = &rc->v[rc->n++];
        *r = (respaced){which, want, got, boxes, dem};
    }
    *lines = NULL;
    *demerits = r->demerits;
    if (r->got == 0)
        return 0;
    *lines = xmalloc(r->got * sizeof **lines);
    memcpy(*lines, r->lines, r->got * sizeof **lines);
    return r->got;
}

/* What the body's pagination starts from: the pages, outline and
 * contents entries there are before it (the title page, the contents'
 * reserved pages). */
typedef struct paging {
    pagebuild *b;
    const doc *d;
    const galley *g;
    lay_env *e;
    const char *head;
    respace_ctx *rc;
    size_t npages, noutline, ntoc;
    signed char *force;  /* per kept paragraph */
    long *kept_page;
    long *widow_ok;      /* pages filled though a widow then stands */
    size_t nwidow_ok, cap_widow_ok;
} paging;

/* The body paginated (again), from that start. Returns its short pages. */
static size_t paginate(paging *pg)
{
    layout *L = pg->e->L;
    for (size_t i = pg->npages; i < L->npages; i++) {
        lay_page *p = &L->pages[i];
        free(p->lines);
        free(p->rules);
        free(p->links);
        free(p->dests);
        free(p->images);
    }
    L->npages = pg->npages;
    L->noutline = pg->noutline;
    L->ntoc = pg->ntoc;
    pb_free(pg->b);
    pb_init(pg->b, L, pg->d, pg->head);
    pg->b->respace = respace;
    pg->b->respace_ctx = pg->rc;
    pg->b->force = pg->force;
    pg->b->kept_page = pg->kept_page;
    pg->b->widow_ok = pg->widow_ok;
    pg->b->nwidow_ok = pg->nwidow_ok;
    pb_run(pg->b, pg->g);
    return pg->b->nshorts;
}

/* Short pages before and at page `upto` (index) */
static size_t shorts_upto(const pagebuild *b, long upto)
{
    size_t n = 0;
    while (n < b->nshorts && b->shorts[n] <= upto)
        n++;
    return n;
}

/* Pages the widow and orphan rules leave short while the text goes on
 * are cured where a paragraph on them (the one that went over, or one
 * before it) can be set a line longer or shorter within the limits: each
 * is tried, the body paginated again, and kept when it leaves fewer short
 * pages up to that one and no more in all. A bounded number of tries. */
static void fill_pages(paging *pg, size_t nkept)
{
    pagebuild *b = pg->b;
    int tries = 0;
    bool stale = false; /* the last try was undone: paginate again */
    for (size_t s = 0; s < b->nshorts && tries < 24; s++) {
        long page = b->shorts[s];
        size_t before = shorts_upto(b, page), total = b->nshorts;
        bool cured = false;
        for (size_t k = nkept; k-- > 0 && !cured && tries < 24;) {
            if (pg->kept_page[k] != page && pg->kept_page[k] != page + 1)
                continue;
            if (pg->force[k])
                continue;
            for (int delta = 1; delta >= -1 && !cured; delta -= 2) {
                pg->force[k] = (signed char)delta;
                tries++;
                paginate(pg);
                if (shorts_upto(b, page) < before && b->nshorts <= total) {
                    cured = true;
                    stale = false;
                } else {
                    pg->force[k] = 0;
                    stale = true;
                }
            }
        }
        if (stale) {
            paginate(pg);
            stale = false;
        }
        if (cured)
            s = (size_t)-1; /* from the start: the pages moved */
        if (cured && b->nshorts == 0)
            break;
    }
}

/* A page still short after that keeps its text block full: the widow
 * stands (the text blocks' feet line up; a page ends short only before a
 * heading, a float or the notes). Each is tried in turn and kept when it
 * leaves fewer short pages, up to it and in all (a page short for an
 * orphan stays so, as does one whose fill only moves the hole on). */
static void fill_with_widows(paging *pg)
{
    pagebuild *b = pg->b;
    int tries = 0;
    for (size_t s = 0; s < b->nshorts && tries < 24; s++, tries++) {
        long page = b->shorts[s];
        size_t before = shorts_upto(b, page), total = b->nshorts;
        XPUSH(pg->widow_ok, pg->nwidow_ok, pg->cap_widow_ok, page);
        paginate(pg);
        if (shorts_upto(b, page) < before && b->nshorts < total) {
            s = (size_t)-1; /* from the start: the pages moved */
            continue;
        }
        pg->nwidow_ok--;
        paginate(pg);
    }
}

typedef struct named_target {
    const char *name;   /* its destination: "h12", "fig:x" */
    int id;
} named_target;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const named_target *)a)->name,
                  ((const named_target *)b)->name);
}

/* L->target_page: where each cross-reference's target stands, found by
 * its destination (a heading's h<id>, a figure's or table's label). */
static void target_pages(layout *L, const doc *d)
{
    named_target *v = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i <= d->nnotes; i++) {
        const doc_node *top = i ? d->notes[i - 1].body : d->root;
        for (const doc_node *x = top; x; x = doc_next(top, x)) {
            if (x->kind != DOC_XREF || !x->target)
                continue;
            char *name = arena_alloc(L->a, 24);
            if (x->target->kind == DOC_HEADING)
                snprintf(name, 24, "h%d", x->target->id);
            else
                name = (char *)x->label;
            xgrow((void **)&v, &cap, n + 1, sizeof *v);
            v[n++] = (named_target){name, x->target->id};
        }
    }
    if (n)
        qsort(v, n, sizeof *v, by_name);
    L->ntarget_page = d->nblocks;
    L->target_page = xcalloc((size_t)d->nblocks + 1, sizeof(int));
    for (size_t p = 0; p < L->npages && n; p++)
        for (size_t i = 0; i < L->pages[p].ndests; i++) {
            named_target key = {L->pages[p].dests[i].name, 0};
            named_target *t = bsearch(&key, v, n, sizeof *v, by_name);
            if (t && !L->target_page[t->id])
                L->target_page[t->id] = L->pages[p].number;
        }
    free(v);
}

static layout *layout_once(const doc *d, const style *st, fonts *f, diag *dg,
                           const lay_hooks *hooks, const int *target_page)
{
    const char *need[] = {st->body_font, st->heading_font, st->mono_font};
    bool ok = true;
    for (size_t i = 0; i < 3; i++)
        ok &= fonts_require(f, need[i], dg);
    if (!ok)
        return NULL;
    layout *L = xcalloc(1, sizeof *L);
    L->a = arena_new();
    /* vertical text is laid out on the page turned (style_turned): its
     * lines are horizontal there, its columns' right-to-left order is the
     * turned page's top to bottom */
    style *turned = arena_alloc(L->a, sizeof *turned);
    style_turned(st, turned);
    L->paper_w = st->page_w;
    L->paper_h = st->page_h;
    st = turned;
    L->st = st;
    L->title_page = L->colophon_page = -1;
    hyphenator *hy = hyph_new(d->meta.lang);
    phraser *ph = phrase_new();
    para_keep keep = {0};
    lay_env e = {.d = d, .st = st, .f = f, .dg = dg, .L = L, .hy = hy, .ph = ph,
                 .glyph_warnings = hooks && hooks->glyph_warnings,
                 .keep = &keep, .target_page = target_page};
    pagebuild b;
    /* an untitled manuscript (its title is its file's name) has no title
     * page, and no running head until its first section */
    pb_init(&b, L, d, d->meta.untitled ? NULL : d->meta.title);
    if (st->title_page && !d->meta.untitled) {
        front_title_page(&e, &b);
        if (hooks && hooks->title_done)
            hooks->title_done(L, hooks->ctx);
    }
    size_t toc_first = 0;
    size_t toc_pages = front_reserve_contents(&e, &toc_first);
    galley g = {0};
    blocks_build(&e, &g, doc_back_matter(d));
    respace_ctx rc = {.e = &e};
    paging pg = {.b = &b, .d = d, .g = &g, .e = &e, .rc = &rc,
                 .head = d->meta.untitled ? NULL : d->meta.title,
                 .npages = L->npages, .noutline = L->noutline, .ntoc = L->ntoc,
                 .force = xcalloc(keep.n + 1, 1),
                 .kept_page = xcalloc(keep.n + 1, sizeof(long))};
    if (paginate(&pg) > 0)
        fill_pages(&pg, keep.n);
    if (b.nshorts > 0)
        fill_with_widows(&pg);
    b.respace = NULL;
    b.force = NULL;
    b.kept_page = NULL;
    b.widow_ok = NULL;
    b.nwidow_ok = 0;
    free(pg.force);
    free(pg.kept_page);
    free(pg.widow_ok);
    for (size_t i = 0; i < rc.n; i++)
        free(rc.v[i].lines);
    free(rc.v);
    gal_free(&g);
    for (size_t i = 0; i < keep.n; i++)
        para_free(keep.v[i].p);
    free(keep.v);
    e.keep = NULL;
    if (st->colophon)
        front_colophon(&e, &b);
    front_fill_contents(&e, &b, toc_first, toc_pages);
    front_decorate(&e, &b);
    pb_free(&b);
    hyph_free(hy);
    phrase_free(ph);
    if (st->ref_pages)
        target_pages(L, d);
    return L;
}

/* Does any cross-reference in the body or the notes name a target? */
static bool has_xrefs(const doc *d)
{
    for (size_t i = 0; i <= d->nnotes; i++) {
        const doc_node *top = i ? d->notes[i - 1].body : d->root;
        for (const doc_node *n = top; n; n = doc_next(top, n))
            if (n->kind == DOC_XREF && n->target)
                return true;
    }
    return false;
}

layout *layout_run(const doc *d, const style *st, fonts *f, diag *dg,
                   const lay_hooks *hooks)
{
    if (!st->ref_pages || !has_xrefs(d))
        return layout_once(d, st, f, dg, hooks, NULL);
    /* a first pass, unseen, guesses each reference's page; each pass
     * after sets the pages the one before found, until they agree (a
     * longer number can push a target over a page) */
    diag quiet;
    diag_init(&quiet);
    layout *L = layout_once(d, st, f, &quiet, NULL, NULL), *kept = NULL;
    if (!L) { /* a font is missing: say so */
        diag_free(&quiet);
        return layout_once(d, st, f, dg, hooks, NULL);
    }
    for (int pass = 2;; pass++) {
        bool seen = pass == 2; /* the pass the caller's hooks and
                                  warnings see */
        layout *next = layout_once(d, st, f, seen ? dg : &quiet,
                                   seen ? hooks : NULL, L->target_page);
        bool settled = memcmp(next->target_page, L->target_page,
                              (size_t)L->ntarget_page * sizeof(int)) == 0;
        if (L != kept)
            layout_free(L);
        L = next;
        if (seen)
            kept = L;
        if (settled || pass == 4)
            break;
    }
    if (kept != L)
        L->older = kept;
    diag_free(&quiet);
    return L;
}

void layout_page_map(const layout *L, doc_pagemap *pm)
{
    pm->marks = xmalloc((L->npages + 1) * sizeof *pm->marks);
    pm->numbers = xmalloc((L->npages + 1) * sizeof *pm->numbers);
    for (size_t i = 0; i < L->npages; i++) {
        pm->marks[i] = L->pages[i].mark;
        pm->numbers[i] = L->pages[i].number;
    }
    pm->n = L->npages;
    pm->target_page = NULL;
    pm->nblocks = 0;
    if (L->target_page) {
        pm->nblocks = L->ntarget_page;
        pm->target_page = xmalloc((size_t)L->ntarget_page * sizeof(int) + 1);
        memcpy(pm->target_page, L->target_page,
               (size_t)L->ntarget_page * sizeof(int));
    }
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
        free(p->images);
    }
    free(l->pages);
    free(l->outline);
    free(l->toc);
    free(l->targets);
    for (size_t i = 0; i < l->nparas; i++)
        shaped_free(l->paras[i]);
    free(l->paras);
    free(l->annots);
    free(l->target_page);
    layout_free(l->older);
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
            /* ruby over a block's first line stands in the head margin,
             * as in print (JLREQ 3.3.4): only its sides are checked */
            double top = ln->role == ROLE_RUBY ? y_min - st->body_size : y_min;
            if (ln->x0 < x_min || x1 > x_max || ln->y < top || ln->y > y_max) {
                diag_error(dg, (diag_loc){0}, "internal error: page %d: a line "
                           "at (%.2f, %.2f) leaves the text block", pg->number, ln->x0, ln->y);
                bad++;
            }
            if (ln->role == ROLE_BODY || ln->role == ROLE_TOC) {
                double k = (ln->y - layout_grid_y(st, 0)) / st->pitch;
                if (fabs(k - round(k)) > 1e-4) {
                    diag_error(dg, (diag_loc){0}, "internal error: page %d: a "
                               "body baseline at %.3f is off the grid", pg->number, ln->y);
                    bad++;
                }
            }
        }
        /* a heading must not be the last thing on a page */
        size_t last = pg->nlines;
        while (last > 0 && pg->lines[last - 1].role == ROLE_RUBY)
            last--;
        if (last > 0 && pg->lines[last - 1].role == ROLE_HEADING &&
            p + 1 < l->npages) {
            diag_error(dg, (diag_loc){0}, "internal error: page %d: a heading "
                       "stands at the page foot", pg->number);
            bad++;
        }
    }
    if (bad)
        diag_error(dg, (diag_loc){0}, "this is kumihan's fault, not the "
                   "manuscript's: please report it with the manuscript");
    return bad == 0;
}
