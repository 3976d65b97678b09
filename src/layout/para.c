/* One paragraph: inline tree -> text with styled spans -> shaped cells ->
 * breaks (jp/linebreak) -> line boxes (see para.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/page.h"
#include "jp/kinsoku.h"
#include "layout/para.h"
#include "text/hyphen.h"
#include "text/phrase.h"
#include "util/buf.h"
#include "util/xalloc.h"

typedef struct collect {
    const lay_env *c;
    const para_style *ps;
    buf text;
    shape_span *spans;
    size_t nspans, cap_spans;
    /* tree text offsets: per run of text, where it started in the tree */
    size_t *seg_at, *seg_tree;
    bool *seg_is_tree;
    size_t nseg, cap_seg;
    size_t tree_bytes;
    bool object;        /* the next run is an inline image's own span */
} collect;

static void add_run(collect *k, const char *s, size_t n, const char *family,
                    double size, bool bold, double rise, unsigned flags,
                    int link, bool is_tree)
{
    if (n == 0)
        return;
    size_t at = k->text.len;
    buf_put(&k->text, s, n);
    shape_span *last = k->nspans ? &k->spans[k->nspans - 1] : NULL;
    if (last && last->family == family && last->size == size &&
        last->bold == bold && last->rise == rise && last->flags == flags &&
        last->link == link && last->end == at && last->object == 0 &&
        !k->object) {
        last->end = k->text.len;
    } else {
        xgrow((void **)&k->spans, &k->cap_spans, k->nspans + 1, sizeof *k->spans);
        k->spans[k->nspans++] = (shape_span){at, k->text.len, family, size,
                                             bold, rise, flags, link, 0};
    }
    size_t cap = k->cap_seg;
    xgrow((void **)&k->seg_at, &k->cap_seg, k->nseg + 1, sizeof(size_t));
    size_t cap2 = cap;
    xgrow((void **)&k->seg_tree, &cap2, k->nseg + 1, sizeof(size_t));
    cap2 = cap;
    xgrow((void **)&k->seg_is_tree, &cap2, k->nseg + 1, sizeof(bool));
    k->seg_at[k->nseg] = at;
    k->seg_tree[k->nseg] = k->tree_bytes;
    k->seg_is_tree[k->nseg] = is_tree;
    k->nseg++;
    if (is_tree)
        k->tree_bytes += n;
}

/* The style an inline node inherits from its ancestors up to the block. */
static void inline_style(collect *k, const doc_node *n, const doc_node *block,
                         const char **family, bool *bold, unsigned *flags,
                         int *link)
{
    const style *st = k->c->st;
    *family = k->ps->family;
    *bold = k->ps->bold;
    *flags = 0;
    *link = -1;
    if (n->kind == DOC_CODE) {
        *family = st->mono_font;
        *flags |= JP_NOBREAK;
    }
    for (const doc_node *p = n->parent; p && p != block; p = p->parent) {
        if (p->kind == DOC_STRONG)
            *bold = true;
        else if (p->kind == DOC_EMPH && *family == k->ps->family)
            *family = st->heading_font; /* emphasis: gothic, Japanese style */
        else if (p->kind == DOC_LINK && *link < 0) {
            *link = layout_add_target(k->c->L, p->url, NULL, 0);
            if (p->autolink)
                *flags |= JP_URL;
        }
    }
}

/* An image in the text: one cell (an ideographic space, which draws
 * nothing and breaks like an ideograph) the image's width, the image
 * drawn on it at the height of the text (page builder). Its alt text is
 * for the EPUB. */
static const doc_node *inline_image(collect *k, const doc_node *n,
                                    const doc_node *block)
{
    const char *family;
    bool bold;
    unsigned flags;
    int link;
    inline_style(k, n, block, &family, &bold, &flags, &link);
    if (n->image >= 0) {
        k->object = true;
        add_run(k, "\xe3\x80\x80", 3, family, k->ps->size, bold, 0, flags,
                link, false);
        k->object = false;
        k->spans[k->nspans - 1].object = n->image + 1;
    }
    const doc_node *last = n; /* skip the alt text */
    while (last->last)
        last = last->last;
    return last;
}

static void collect_inlines(collect *k, const doc_node *block)
{
    const style *st = k->c->st;
    for (const doc_node *n = block->first; n; n = doc_next(block, n)) {
        const char *family;
        bool bold;
        unsigned flags;
        int link;
        switch (n->kind) {
        case DOC_TEXT:
        case DOC_CODE:
            inline_style(k, n, block, &family, &bold, &flags, &link);
            add_run(k, n->text, n->len, family, k->ps->size, bold, 0, flags,
                    link, true);
            break;
        case DOC_BREAK:
            add_run(k, "\n", 1, k->ps->family, k->ps->size, false, 0, 0, -1,
                    false);
            break;
        case DOC_IMAGE:
            n = inline_image(k, n, block);
            break;
        case DOC_XREF: {
            /* "図1", linked to the figure: not tree text (the EPUB writes
             * it from the same label and number) */
            char mark[64], *dest = arena_alloc(k->c->L->a, 80);
            const char *word = n->target && n->target->kind == DOC_TABLE
                                   ? st->table_label : st->figure_label;
            int len = snprintf(mark, sizeof mark, "%s%d", word, n->number);
            snprintf(dest, 80, "%s", n->label);
            inline_style(k, n, block, &family, &bold, &flags, &link);
            link = layout_add_target(k->c->L, NULL, dest, 0);
            add_run(k, mark, (size_t)len < sizeof mark ? (size_t)len : 0,
                    family, k->ps->size, bold, 0, flags, link, false);
            break;
        }
        case DOC_NOTEREF: {
            /* JLREQ 4.2: a Western numeral followed by ")" set small and
             * raised; a cluster of references is one mark, "6,7,9)", each
             * number linked to its note */
            size_t nr;
            const doc_node **refs = doc_ref_cluster(n, &nr);
            double ratio = k->ps->size / st->body_size;
            for (size_t i = 0; i < nr; i++) {
                char mark[32];
                int len = snprintf(mark, sizeof mark, "%d%s", refs[i]->note,
                                   i + 1 < nr ? "," : ")");
                char *dest = arena_alloc(k->c->L->a, 24);
                snprintf(dest, 24, "note%d", refs[i]->note);
                int t = layout_add_target(k->c->L, NULL, dest, refs[i]->note);
                add_run(k, mark, (size_t)len, st->body_font, st->ref_size * ratio,
                        false, st->ref_rise * ratio, JP_NOTEREF, t, false);
            }
            free(refs);
            break;
        }
        default:
            break;
        }
    }
}

static bool any_emergency(const jp_line *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (l[i].emergency)
            return true;
    return false;
}

/* Lines of even length (as CSS text-wrap: balance): the narrowest measure
 * that still sets the text in as many lines, found by halving. */
static void balance(lay_para *p)
{
    if (p->nlines < 2 || any_emergency(p->lines, p->nlines))
        return;
    size_t want = p->nlines;
    double full = p->jp.measure, lo = full / (double)want * 0.5, hi = full;
    for (int step = 0; step < 14 && hi - lo > 0.5; step++) {
        double mid = (lo + hi) / 2;
        p->jp.measure = mid;
        jp_line *l;
        size_t n = jp_break_lines(&p->jp, p->glue, &l);
        if (n == want && !any_emergency(l, n))
            hi = mid;
        else
            lo = mid;
        free(l);
    }
    p->jp.measure = hi;
    free(p->lines);
    p->nlines = jp_break_lines(&p->jp, p->glue, &p->lines);
    p->jp.measure = full;
}

static lay_para *finish(const lay_env *c, collect *k, const para_style *ps,
                        int block)
{
    lay_para *p = xcalloc(1, sizeof *p);
    p->block = block;
    /* the first-line indent is a cell of its own: no glyph, no break */
    size_t indent_bytes = 0;
    buf text = {0};
    shape_span *spans = k->spans;
    size_t nspans = k->nspans;
    /* an author's own ideographic space at the start is the indent */
    bool own = k->text.len >= 3 && memcmp(k->text.data, "\xe3\x80\x80", 3) == 0;
    if (ps->indent > 0 && !own) {
        buf_puts(&text, "\xe3\x80\x80"); /* U+3000, replaced below */
        indent_bytes = text.len;
        spans = xmalloc((nspans + 1) * sizeof *spans);
        spans[0] = (shape_span){0, indent_bytes, ps->family, ps->size, false,
                                0, JP_INDENT, -1, 0};
        for (size_t i = 0; i < nspans; i++) {
            spans[i + 1] = k->spans[i];
            spans[i + 1].start += indent_bytes;
            spans[i + 1].end += indent_bytes;
        }
        nspans++;
    }
    buf_put(&text, buf_str(&k->text), k->text.len);
    p->sh = shape_text(c->f, buf_str(&text), text.len, spans, nspans,
                       c->st->features, 0);
    if (spans != k->spans)
        free(spans);
    buf_free(&text);
    shaped *sh = p->sh;
    for (size_t i = 0; i < sh->ncells; i++) { /* inline images */
        int sp = sh->cell_span[i];
        int obj = sp >= 0 ? sh->spans[sp].object : 0;
        if (obj > 0) {
            const doc_image *im = &c->d->images[obj - 1];
            double em = sh->cells[i].em;
            sh->cells[i].advance = im->h > 0 ? em * im->w / im->h : em;
            sh->glyphs[sh->cell_glyph[i]].draw = false;
        }
    }
    if (ps->indent > 0 && !own && sh->ncells > 0) {
        sh->cells[0].advance = ps->indent * ps->size;
        sh->cells[0].cls = sh->cells[0].cls_last = JP_CL_14;
        sh->glyphs[sh->cell_glyph[0]].draw = false;
    }
    hyph_mark(c->hy, sh);
    if (ps->phrases)
        phrase_mark(c->ph, sh);
    /* tree offsets per cell */
    p->tree_off = xmalloc((sh->ncells + 1) * sizeof(size_t));
    size_t seg = 0;
    for (size_t i = 0; i <= sh->ncells; i++) {
        size_t b = sh->cell_byte[i];
        size_t tb = b >= indent_bytes ? b - indent_bytes : 0;
        while (seg + 1 < k->nseg && k->seg_at[seg + 1] <= tb)
            seg++;
        if (k->nseg == 0)
            p->tree_off[i] = 0;
        else if (k->seg_is_tree[seg] && tb >= k->seg_at[seg])
            p->tree_off[i] = k->seg_tree[seg] + (tb - k->seg_at[seg]);
        else
            p->tree_off[i] = k->seg_tree[seg];
    }
    p->jp = (jp_para){sh->cells, sh->ncells, ps->measure, 0, c->st->kinsoku,
                      c->st->hanging, ps->justify};
    p->glue = jp_para_glue(&p->jp);
    p->nlines = jp_break_lines(&p->jp, p->glue, &p->lines);
    if (ps->phrases)
        balance(p);
    for (size_t i = 0; i < p->nlines; i++)
        c->L->nemergency += p->lines[i].emergency;
    c->L->ncells += sh->ncells;
    c->L->nlines += p->nlines;
    xgrow((void **)&c->L->paras, &c->L->cap_paras, c->L->nparas + 1,
          sizeof *c->L->paras);
    c->L->paras[c->L->nparas++] = sh;
    buf_free(&k->text);
    free(k->spans);
    free(k->seg_at);
    free(k->seg_tree);
    free(k->seg_is_tree);
    return p;
}

lay_para *para_make(const lay_env *c, const doc_node *block,
                    const para_style *ps)
{
    collect k = {.c = c, .ps = ps};
    if (ps->prefix)
        add_run(&k, ps->prefix, strlen(ps->prefix), ps->family, ps->size,
                true, 0, 0, -1, false);
    collect_inlines(&k, block);
    lay_para *p = finish(c, &k, ps, block->id);
    for (size_t i = 0; c->glyph_warnings && i < p->sh->nmissing; i++)
        diag_warning(c->dg, (diag_loc){c->d->path, block->line, block->col},
                     "U+%04X cannot be rendered by '%s'; the PDF leaves it blank",
                     p->sh->missing[i], ps->family);
    return p;
}

lay_para *para_make_text(const lay_env *c, const char *text,
                         const para_style *ps, int link)
{
    collect k = {.c = c, .ps = ps};
    add_run(&k, text, strlen(text), ps->family, ps->size, ps->bold, 0, 0,
            link, false);
    return finish(c, &k, ps, -1);
}

void para_free(lay_para *p)
{
    if (!p)
        return;
    free(p->lines);
    free(p->glue);
    free(p->tree_off);
    free(p); /* p->sh belongs to the layout */
}

double para_min_width(const lay_para *p)
{
    const jp_cell *c = p->sh->cells;
    size_t n = p->sh->ncells;
    double w = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && jp_can_break_at(c, n, i, p->jp.kinsoku))
            run = 0;
        run += c[i].advance;
        w = run > w ? run : w;
    }
    return w;
}

double para_line_width(const lay_para *p, size_t i)
{
    const jp_line *ln = &p->lines[i];
    double *x = xmalloc((ln->end - ln->start + 1) * sizeof *x);
    double w = jp_justify(&p->jp, p->glue, ln, 1e9, x);
    free(x);
    return w;
}

lay_line para_box(const lay_env *e, const lay_para *p, size_t i, double x0,
                  lay_role role)
{
    const jp_line *jl = &p->lines[i];
    size_t n = jl->end - jl->start;
    lay_line ln = {.sh = p->sh, .start = jl->start, .end = jl->end,
                   .x = arena_alloc(e->L->a, (n + 1) * sizeof(double)),
                   .x0 = x0, .role = role, .block = p->block,
                   .tree_off = p->tree_off[jl->start],
                   .para_start = i == 0, .last = i + 1 == p->nlines,
                   .hyphen = jl->hyphen};
    jp_justify(&p->jp, p->glue, jl, p->jp.measure, ln.x);
    return ln;
}
