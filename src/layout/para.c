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
#include "util/utf8.h"
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
    bool italic;        /* set by inline_style: under bouten emphasis,
                           Latin runs go italic */
    int dot;            /* the paragraph's emphasis dot (annotation), or -1 */
} collect;

/* Appends s[0..n) set as `look` says (its start and end are set here);
 * is_tree: the text is the tree's own, not a mark made for it. A run
 * that looks like the one before it joins its span, unless either is an
 * inline image's or a ruby's base (each its own span). */
static void add_run(collect *k, const char *s, size_t n, shape_span look,
                    bool is_tree)
{
    if (n == 0)
        return;
    size_t at = k->text.len;
    buf_put(&k->text, s, n);
    shape_span *last = k->nspans ? &k->spans[k->nspans - 1] : NULL;
    if (last && last->family == look.family && last->size == look.size &&
        last->bold == look.bold && last->italic == look.italic &&
        last->tcy == look.tcy && last->rise == look.rise &&
        last->flags == look.flags && last->link == look.link &&
        last->end == at && last->object == 0 && look.object == 0 &&
        last->ruby == 0 && look.ruby == 0 && last->dots == look.dots &&
        last->strike == look.strike && last->under == look.under) {
        last->end = k->text.len;
    } else {
        xgrow((void **)&k->spans, &k->cap_spans, k->nspans + 1, sizeof *k->spans);
        look.start = at;
        look.end = k->text.len;
        k->spans[k->nspans++] = look;
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

/* How a text of this role is shaped: vertically on a vertical page, but
 * for the folio, which stands upright at the page's foot. */
static shape_opts shape_opts_for(const lay_env *c, lay_role role)
{
    if (c->st->writing != WRITING_VERTICAL || role == ROLE_FOLIO)
        return (shape_opts){0};
    return (shape_opts){.vertical = true, .tcy_limit = c->st->tcy_digits,
                        .caps_limit = c->st->upright_caps};
}

/* An annotation: `text` shaped at `size` in the body face. Returns its
 * index in L->annots. */
static int annotate(const lay_env *c, const char *text, size_t len,
                    double size)
{
    layout *L = c->L;
    shape_span sp = {.end = len, .family = c->st->body_font, .size = size,
                     .link = -1};
    shaped *sh = shape_text(c->f, text, len, &sp, 1, "",
                            shape_opts_for(c, ROLE_RUBY));
    double w = 0;
    for (size_t i = 0; i < sh->ncells; i++)
        w += sh->cells[i].advance;
    xgrow((void **)&L->paras, &L->cap_paras, L->nparas + 1, sizeof *L->paras);
    L->paras[L->nparas++] = sh;
    xgrow((void **)&L->annots, &L->cap_annots, L->nannots + 1,
          sizeof *L->annots);
    L->annots[L->nannots] = (lay_annot){sh, w};
    return (int)L->nannots++;
}

/* The emphasis dot (U+FE45 SESAME DOT, JLREQ 3.2.5) at half the text's
 * size, made once per paragraph. */
static int emphasis_dot(collect *k)
{
    if (k->dot < 0)
        k->dot = annotate(k->c, "\xef\xb9\x85", 3, k->ps->size / 2);
    return k->dot;
}

/* Whether a span's class attribute ("a b") names `cls`. */
static bool has_class(const char *info, const char *cls)
{
    size_t n = strlen(cls);
    for (const char *p = info; p && (p = strstr(p, cls)) != NULL; p += n)
        if ((p == info || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return true;
    return false;
}

/* The look an inline node inherits from its ancestors up to the block
 * (its emphasis dots among it); also k->italic. */
static shape_span inline_style(collect *k, const doc_node *n,
                               const doc_node *block)
{
    const style *st = k->c->st;
    shape_span sp = {.family = k->ps->family, .size = k->ps->size,
                     .bold = k->ps->bold, .link = -1};
    k->italic = false;
    if (n->kind == DOC_CODE) {
        sp.family = st->mono_font;
        sp.flags |= JP_NOBREAK | JP_CODE;
    }
    for (const doc_node *p = n->parent; p && p != block; p = p->parent) {
        if (p->kind == DOC_STRONG) { /* the Japanese way: gothic bold */
            sp.bold = true;
            if (sp.family == k->ps->family)
                sp.family = st->heading_font;
        } else if (p->kind == DOC_EMPH) {
            if (st->emphasis != EMPHASIS_BOUTEN && sp.family == k->ps->family)
                sp.family = st->heading_font;
            if (st->emphasis == EMPHASIS_BOUTEN)
                sp.dots = emphasis_dot(k) + 1;
            if (st->emphasis != EMPHASIS_GOTHIC)
                k->italic = n->kind != DOC_CODE;
        } else if (p->kind == DOC_SUP || p->kind == DOC_SUB) {
            /* about 60 %, raised a third of the text's size or lowered
             * a little: inside the line, the grid holds */
            sp.rise += p->kind == DOC_SUP ? 0.38 * sp.size : -0.12 * sp.size;
            sp.size *= 0.6;
        } else if (p->kind == DOC_TCY) {
            sp.tcy = true;
        } else if (p->kind == DOC_STRIKE) {
            sp.strike = true;
        } else if (p->kind == DOC_UNDERLINE) {
            sp.under = true;
        } else if (p->kind == DOC_SPAN && has_class(p->info, "nobreak")) {
            /* a case number, or the writer's; a document's number
             * (docnum) is parted only to spare a spaced-out line */
            sp.flags |= JP_NOBREAK;
            if (has_class(p->info, "docnum"))
                sp.flags |= JP_SOFT;
            else if (p->cite) /* a court's case number */
                sp.flags |= JP_SOFT | JP_CASE;
        } else if (p->kind == DOC_LINK && p->cite) {
            sp.flags |= JP_NOBREAK | JP_SOFT; /* a patent number, as docnum */
            if (st->patent_links && sp.link < 0)
                sp.link = layout_add_target(k->c->L, p->url, NULL, 0);
        } else if (p->kind == DOC_LINK && sp.link < 0) {
            sp.link = layout_add_target(k->c->L, p->url, NULL, 0);
            if (p->autolink)
                sp.flags |= JP_URL;
        }
    }
    return sp;
}

/* An image in the text: one cell (an ideographic space, which draws
 * nothing and breaks like an ideograph) the image's width, the image
 * drawn on it at the height of the text (page builder). Its alt text is
 * for the EPUB. */
static const doc_node *inline_image(collect *k, const doc_node *n,
                                    const doc_node *block)
{
    shape_span look = inline_style(k, n, block);
    if (n->image >= 0) { /* at the paragraph's size, on its baseline */
        look.size = k->ps->size;
        look.rise = 0;
        look.object = n->image + 1;
        add_run(k, "\xe3\x80\x80", 3, look, false);
    }
    const doc_node *last = n; /* skip the alt text */
    while (last->last)
        last = last->last;
    return last;
}

/* Emphasised text: Japanese with its dots, Latin (below U+2E80, spaces
 * between Latin words with it) set italic in the style's italic face, as
 * Western text is emphasised. */
static void emphasis_runs(collect *k, const char *s, size_t n,
                          shape_span look)
{
    shape_span italic = look;
    italic.family = k->c->st->italic_font;
    italic.italic = true;
    for (size_t i = 0, j; i < n; i = j) {
        bool latin;
        j = utf8_latin_run(s, n, i, &latin);
        add_run(k, s + i, j - i, latin ? italic : look, true);
    }
}

/* A ruby's base, as text runs that carry its annotation (one per base
 * character for mono ruby, each its own reading). Returns its last node:
 * the walk goes on after it. */
static const doc_node *ruby(collect *k, const doc_node *n,
                            const doc_node *block)
{
    shape_span look = inline_style(k, n, block);
    look.dots = 0; /* the ruby stands where emphasis dots would */
    double rs = look.size / 2;
    char *base = doc_plain_text(n);
    size_t blen = strlen(base);
    const char *rt = n->text ? n->text : "";
    if (!n->mono) {
        look.ruby = annotate(k->c, rt, n->len, rs) + 1;
        add_run(k, base, blen, look, true);
    } else {
        const char *r = rt, *rend = rt + n->len;
        for (size_t i = 0; i < blen;) {
            uint32_t cp;
            int len = utf8_decode(base + i, blen - i, &cp);
            size_t cl = len > 0 ? (size_t)len : 1;
            const char *sep = memchr(r, DOC_RUBY_SEP, (size_t)(rend - r));
            size_t rl = (size_t)((sep ? sep : rend) - r);
            look.ruby = annotate(k->c, r, rl, rs) + 1;
            add_run(k, base + i, cl, look, true);
            r = sep ? sep + 1 : rend;
            i += cl;
        }
    }
    free(base);
    const doc_node *last = n;
    while (last->last)
        last = last->last;
    return last;
}

/* Group ruby keeps its base on one line; a reading longer than its base
 * spreads the base JIS-style (1:2:1: a unit at each end, two between
 * characters), less what it may overhang neighbouring kana: one ruby
 * character, never a kanji, the same on both sides. */
static bool is_kana(const jp_cell *c)
{
    return c->cls == JP_CL_15 || c->cls == JP_CL_16 || c->cls == JP_CL_10 ||
           c->cls == JP_CL_11;
}

static void ruby_bases(const lay_env *c, shaped *sh)
{
    for (size_t i = 0; i < sh->ncells;) {
        int sp = sh->cell_span[i];
        int r = sp >= 0 ? sh->spans[sp].ruby : 0;
        if (r <= 0) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < sh->ncells && sh->cell_span[j] == sp)
            j++;
        double bw = 0;
        for (size_t q = i; q < j; q++)
            bw += sh->cells[q].advance;
        for (size_t q = i + 1; q < j; q++)
            sh->cells[q].flags |= JP_GLUED;
        const lay_annot *a = &c->L->annots[r - 1];
        double rs = sh->spans[sp].size / 2;
        double oh_l = i > 0 && is_kana(&sh->cells[i - 1]) ? rs : 0;
        double oh_r = j < sh->ncells && is_kana(&sh->cells[j]) ? rs : 0;
        double extra = a->w - bw - 2 * (oh_l < oh_r ? oh_l : oh_r);
        if (extra > 0.01) {
            double unit = extra / (2.0 * (double)(j - i));
            for (size_t q = i; q < j; q++) {
                sh->cells[q].advance += 2 * unit;
                for (size_t g = sh->cell_glyph[q]; g < sh->cell_glyph[q + 1]; g++)
                    sh->glyphs[g].dx += (float)unit;
            }
        }
        i = j;
    }
}

static void collect_inlines(collect *k, const doc_node *block)
{
    const style *st = k->c->st;
    for (const doc_node *n = block->first; n; n = doc_next(block, n)) {
        shape_span look;
        switch (n->kind) {
        case DOC_TEXT:
        case DOC_CODE:
            look = inline_style(k, n, block);
            if (k->italic)
                emphasis_runs(k, n->text, n->len, look);
            else
                add_run(k, n->text, n->len, look, true);
            break;
        case DOC_RUBY:
            n = ruby(k, n, block);
            break;
        case DOC_BREAK:
            add_run(k, "\n", 1,
                    (shape_span){.family = k->ps->family, .size = k->ps->size,
                                 .link = -1},
                    false);
            break;
        case DOC_IMAGE:
            n = inline_image(k, n, block);
            break;
        case DOC_XREF: {
            /* "図1", "2.1" or 「見出し」, linked to its target: not tree
             * text (the EPUB writes it from the same label and number) */
            const doc_node *t = n->target;
            char secno[64] = "", *dest = arena_alloc(k->c->L->a, 80);
            bool sec = t && t->kind == DOC_HEADING;
            if (sec)
                style_section_number(st, t->secno, true, secno, sizeof secno);
            int page = 0;
            if (st->ref_pages && t) /* a first pass guesses two digits */
                page = k->c->target_page ? k->c->target_page[t->id] : 10;
            char *mark = doc_xref_text(n, st->figure_label, st->table_label,
                                       secno, page);
            if (sec)
                snprintf(dest, 80, "h%d", t->id);
            else
                snprintf(dest, 80, "%s", n->label);
            look = inline_style(k, n, block);
            look.size = k->ps->size;
            look.rise = 0;
            look.link = layout_add_target(k->c->L, NULL, dest, 0);
            if (!sec) /* 表1 solid and whole, as its caption's label */
                look.flags |= JP_NOBREAK | JP_SOLID;
            add_run(k, mark, strlen(mark), look, false);
            free(mark);
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
                add_run(k, mark, (size_t)len,
                        (shape_span){.family = st->body_font,
                                     .size = st->ref_size * ratio,
                                     .rise = st->ref_rise * ratio,
                                     .flags = JP_NOTEREF, .link = t},
                        false);
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
/* A breaking of a title: its longest line, and what its breaks cost
 * (jp_cell.penalty, 10,000 weighed as an em of imbalance: three for a
 * break between phrases that belong together, five off for one after a
 * ：). */
typedef struct title_cost {
    double longest; /* pt */
    double breaks;  /* what its breaks cost, wanted ones taking off */
} title_cost;

static title_cost title_score(const lay_para *p, const jp_line *l, size_t n)
{
    title_cost t = {0};
    for (size_t i = 0; i < n; i++) {
        size_t k = l[i].end - l[i].start;
        double *x = xmalloc((k + 1) * sizeof *x);
        double w = jp_justify(&p->jp, p->glue, &l[i], 1e9, x);
        free(x);
        t.longest = w > t.longest ? w : t.longest;
        if (i + 1 < n)
            t.breaks += p->jp.cells[l[i].end - 1].penalty;
    }
    return t;
}

/* Can every line be set in `measure` (a breaking found at a
 * wider one, which the text's own measure may still hold by closing up)? */
static bool fits(const lay_para *p, const jp_line *l, size_t n, double measure)
{
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        size_t k = l[i].end - l[i].start;
        double *x = xmalloc((k + 1) * sizeof *x);
        ok = jp_justify(&p->jp, p->glue, &l[i], measure, x) <= measure + 0.01;
        free(x);
    }
    return ok;
}

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
    /* the narrowest measure gives the most even lines; a little wider may
     * part the title where its meaning parts (a ：, the end of a clause),
     * and a line more may spare a break inside a clause or gain the ：'s
     * (four ems a line; but never for breaks dearer than those in as many
     * lines: 「…発明：／カッパソフト事件／（…）」 where 「…発明：／カッパ
     * ソフト事件（…）」 parts at the same ：): the breaking of least score
     * from there to the full measure. "Dearer" is against the breaking in
     * as many lines that would be taken: 「米国・欧州における対Brightline
     * ／Robotics, Inc.係争…」 (inside a name) gives way to three lines
     * parted between phrases. */
    struct cand {
        jp_line *l;
        size_t n;
        double score, breaks;
    } c[17];
    double em = p->jp.n ? p->jp.cells[0].em : 10;
    int nc = 0, bw = -1; /* the candidates; the best in as many lines */
    for (int k = 0; k <= 16; k++) {
        double m = k <= 8 ? hi + (full - hi) * k / 8
                          : hi * (double)want / (double)(want + 1) *
                                (1 + (double)(k - 9) / 8);
        p->jp.measure = m;
        jp_line *l;
        size_t n = jp_break_lines(&p->jp, p->glue, &l);
        title_cost t = title_score(p, l, n);
        double score = t.longest + t.breaks / 10000 * em + (n > want ? 4 * em : 0);
        if (any_emergency(l, n) || !fits(p, l, n, full) ||
            (n != want && !(n == want + 1 && want < 3))) {
            free(l);
            continue;
        }
        c[nc] = (struct cand){l, n, score, t.breaks};
        if (n == want && (bw < 0 || score < c[bw].score - 0.01))
            bw = nc;
        nc++;
    }
    /* a line more only for breaks no dearer than those of the best
     * breaking in as many lines */
    jp_line *best = NULL;
    size_t nbest = 0;
    double least = 0;
    for (int i = 0; i < nc; i++)
        if ((c[i].n == want || (bw >= 0 && c[i].breaks <= c[bw].breaks + 1e-6)) &&
            (!best || c[i].score < least - 0.01)) {
            best = c[i].l;
            nbest = c[i].n;
            least = c[i].score;
        }
    for (int i = 0; i < nc; i++)
        if (c[i].l != best)
            free(c[i].l);
    p->jp.measure = full;
    if (!best)
        return;
    free(p->lines);
    p->lines = best;
    p->nlines = nbest;
}

/* The collected text shaped, after a first-line indent where the style
 * asks for one and the author wrote none (an ideographic space at the
 * start is the author's): U+3000 as a span of its own, its bytes in
 * *indent_bytes (0: none). */
static shaped *shape_collected(const lay_env *c, const collect *k,
                               const para_style *ps, size_t *indent_bytes)
{
    buf text = {0};
    shape_span *spans = k->spans;
    size_t nspans = k->nspans;
    bool own = k->text.len >= 3 && memcmp(k->text.data, "\xe3\x80\x80", 3) == 0;
    *indent_bytes = 0;
    if (ps->indent > 0 && !own) {
        buf_puts(&text, "\xe3\x80\x80"); /* U+3000, replaced below */
        *indent_bytes = text.len;
        spans = xmalloc((nspans + 1) * sizeof *spans);
        spans[0] = (shape_span){.end = *indent_bytes, .family = ps->family,
                                .size = ps->size, .flags = JP_INDENT,
                                .link = -1};
        for (size_t i = 0; i < nspans; i++) {
            spans[i + 1] = k->spans[i];
            spans[i + 1].start += *indent_bytes;
            spans[i + 1].end += *indent_bytes;
        }
        nspans++;
    }
    buf_put(&text, buf_str(&k->text), k->text.len);
    shaped *sh = shape_text(c->f, buf_str(&text), text.len, spans, nspans,
                            ps->features ? ps->features : c->st->features,
                            shape_opts_for(c, ps->role));
    if (spans != k->spans)
        free(spans);
    buf_free(&text);
    return sh;
}

/* The cells as the line breaker takes them: an inline image's cell as
 * wide as the image at the text's height, the indent cell (when `indent`)
 * its width and no glyph (JP_INDENT: no break after it), a ruby's base
 * spread under a longer reading, the points where a Latin word may be
 * hyphenated and, in titles, the phrase boundaries. */
static void prepare_cells(const lay_env *c, const para_style *ps, shaped *sh,
                          bool indent)
{
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
    if (indent && sh->ncells > 0) {
        sh->cells[0].advance = ps->indent * ps->size;
        sh->cells[0].cls = sh->cells[0].cls_last = JP_CL_14;
        sh->glyphs[sh->cell_glyph[0]].draw = false;
    }
    ruby_bases(c, sh);
    hyph_mark(c->hy, sh);
    if (ps->phrases)
        phrase_mark(c->ph, sh);
}

/* Per cell of sh (and its end), the bytes of tree text before it: the
 * indent, and text that is not the tree's (note marks, a caption's
 * prefix), add none. */
static size_t *tree_offsets(const collect *k, const shaped *sh,
                            size_t indent_bytes)
{
    size_t *off = xmalloc((sh->ncells + 1) * sizeof(size_t));
    size_t seg = 0;
    for (size_t i = 0; i <= sh->ncells; i++) {
        size_t b = sh->cell_byte[i];
        size_t tb = b >= indent_bytes ? b - indent_bytes : 0;
        while (seg + 1 < k->nseg && k->seg_at[seg + 1] <= tb)
            seg++;
        if (k->nseg == 0)
            off[i] = 0;
        else if (k->seg_is_tree[seg] && tb >= k->seg_at[seg])
            off[i] = k->seg_tree[seg] + (tb - k->seg_at[seg]);
        else
            off[i] = k->seg_tree[seg];
    }
    return off;
}

/* JLREQ's breaking of p's cells in the style's measure (a title's lines
 * balanced). */
static void break_para(const lay_env *c, const para_style *ps, lay_para *p)
{
    p->jp = (jp_para){p->sh->cells, p->sh->ncells, ps->measure - ps->cont_indent,
                      ps->cont_indent > 0 ? ps->measure : 0, c->st->kinsoku,
                      c->st->hanging, ps->justify,
                      c->st->latin_space == LATIN_SPACE_NONE};
    p->glue = jp_para_glue(&p->jp);
    p->nlines = jp_break_lines(&p->jp, p->glue, &p->lines);
    if (ps->phrases)
        balance(p);
}

/* The layout keeps p's shaped text and counts its cells, lines and the
 * breaks no rule allows (a URL's last resort, between any two of its
 * characters, is Chicago's rule, not counted). */
static void keep_shaped(const lay_env *c, const lay_para *p)
{
    const shaped *sh = p->sh;
    for (size_t i = 0; i < p->nlines; i++) {
        size_t e = p->lines[i].end;
        bool in_url = e < sh->ncells &&
                      (sh->cells[e - 1].flags & sh->cells[e].flags & JP_URL);
        c->L->nemergency += p->lines[i].emergency && !in_url;
    }
    c->L->ncells += sh->ncells;
    c->L->nlines += p->nlines;
    xgrow((void **)&c->L->paras, &c->L->cap_paras, c->L->nparas + 1,
          sizeof *c->L->paras);
    c->L->paras[c->L->nparas++] = p->sh;
}

static void collect_free(collect *k)
{
    buf_free(&k->text);
    free(k->spans);
    free(k->seg_at);
    free(k->seg_tree);
    free(k->seg_is_tree);
}

/* The collected paragraph shaped, its cells prepared, broken into lines
 * and kept with the layout. */
static lay_para *finish(const lay_env *c, collect *k, const para_style *ps,
                        int block)
{
    lay_para *p = xcalloc(1, sizeof *p);
    p->block = block;
    size_t indent_bytes;
    p->sh = shape_collected(c, k, ps, &indent_bytes);
    prepare_cells(c, ps, p->sh, indent_bytes > 0);
    p->tree_off = tree_offsets(k, p->sh, indent_bytes);
    break_para(c, ps, p);
    keep_shaped(c, p);
    collect_free(k);
    return p;
}

/* The style's prefix (a caption's 図1, a run-in heading, 【０００１】)
 * as the paragraph's first run, in its own face. */
static void add_prefix(collect *k, const para_style *ps)
{
    if (ps->prefix)
        add_run(k, ps->prefix, strlen(ps->prefix),
                (shape_span){.family = ps->prefix_family ? ps->prefix_family
                                                         : ps->family,
                             .size = ps->size, .bold = ps->prefix_bold,
                             .flags = ps->prefix_kept ? JP_NOBREAK | JP_SOLID
                                                      : 0,
                             .link = -1},
                false);
}

lay_para *para_make(const lay_env *c, const doc_node *block,
                    const para_style *ps)
{
    collect k = {.c = c, .ps = ps, .dot = -1};
    add_prefix(&k, ps);
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
    collect k = {.c = c, .ps = ps, .dot = -1};
    add_prefix(&k, ps);
    add_run(&k, text, strlen(text),
            (shape_span){.family = ps->family, .size = ps->size,
                         .bold = ps->bold,
                         .flags = ps->role == ROLE_CODE ? JP_CODE : 0,
                         .link = link},
            false);
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
        if (i > 0 && (jp_can_break_at(c, n, i, p->jp.kinsoku) ||
                      ((c[i - 1].flags & c[i].flags & JP_SOFT) &&
                       !(c[i].flags & JP_CASE) && jp_soft_point(&c[i - 1], &c[i])))) {
            /* a kept number's own places count (a narrow cell); a case
             * number's column holds it whole */
            run = 0;
        } else if (i > 0 && p->glue) { /* the space inside, shrunk */
            const jp_glue *g = &p->glue[i];
            run += g->width;
            for (int k = 0; k < JP_SHRINK_LEVELS; k++)
                run -= g->shrink[k];
        }
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
    double measure = i == 0 && p->jp.first_measure > 0 ? p->jp.first_measure
                                                       : p->jp.measure;
    jp_justify(&p->jp, p->glue, jl, measure, ln.x);
    return ln;
}
