#include "pdf/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "pdf/images.h"
#include "pdf/subset.h"
#include "pdf/finish.h"
#include "pdf/sign.h"
#include "util/xalloc.h"


/* Cairo's attribute strings quote with '...' and escape ' and \ */
static char *quote_attr(const char *s)
{
    buf b = {0};
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            buf_putc(&b, '\\');
        buf_putc(&b, *s);
    }
    return buf_detach(&b);
}

/* One line's glyphs, a cairo_show_text_glyphs call per run of one font,
 * with clusters so the PDF's text is the source text; `silent`: drawn,
 * not text (ruby, emphasis dots, a watermark). */
static void draw_glyphs(cairo_t *cr, const lay_line *ln, pdf_fontset *fs,
                        bool silent)
{
    const shaped *sh = ln->sh;
    size_t c = ln->start;
    cairo_glyph_t *gl = NULL;
    cairo_text_cluster_t *cl = NULL;
    size_t cap_g = 0, cap_c = 0;
    while (c < ln->end) {
        if (sh->cells[c].flags & JP_INDENT) {
            c++;
            continue;
        }
        int font = sh->glyphs[sh->cell_glyph[c]].font;
        bool upright = sh->cell_glyph[c + 1] > sh->cell_glyph[c] &&
                       sh->glyphs[sh->cell_glyph[c]].upright;
        size_t ng = 0, nc = 0;
        size_t b0 = sh->cell_byte[c];
        size_t e = c;
        while (e < ln->end && !(sh->cells[e].flags & JP_INDENT)) {
            size_t g0 = sh->cell_glyph[e], g1 = sh->cell_glyph[e + 1];
            if (g1 > g0 && (sh->glyphs[g0].font != font ||
                            sh->glyphs[g0].upright != upright))
                break;
            xgrow((void **)&gl, &cap_g, ng + (g1 - g0) + 1, sizeof *gl);
            xgrow((void **)&cl, &cap_c, nc + 1, sizeof *cl);
            int drawn = 0;
            double x = ln->x0 + ln->x[e - ln->start];
            for (size_t g = g0; g < g1; g++) {
                const shape_glyph *sg = &sh->glyphs[g];
                bool space = sh->text[sh->cell_byte[e]] == ' ';
                if (!sg->draw && !space)
                    continue;
                unsigned id = pdf_fontset_glyph(fs, sh->fonts[font], sg->id);
                gl[ng++] = (cairo_glyph_t){id, x + sg->dx, ln->y + sg->dy};
                drawn++;
            }
            cl[nc++] = (cairo_text_cluster_t){
                (int)(sh->cell_byte[e + 1] - sh->cell_byte[e]), drawn};
            e++;
        }
        size_t b1 = sh->cell_byte[e];
        if (ln->goes_on && e == ln->end && nc > 0) {
            /* the first part of a code line broken for the measure: its
             * last character carries the rest of the source line, which
             * the continuation draws without text, so a copy gives the
             * line whole */
            size_t all = sh->cell_byte[sh->ncells];
            cl[nc - 1].num_bytes += (int)(all - b1);
            b1 = all;
        }
        cairo_scaled_font_t *sf = upright ? pdf_fontset_upright(fs, sh->fonts[font])
                                          : pdf_fontset_font(fs, sh->fonts[font]);
        if (ng > 0 && silent) {
            /* ruby and emphasis dots are drawn, not text: one cluster of
             * no characters (an empty ActualText), so a reader copies the
             * base text alone, as it is */
            cairo_text_cluster_t none = {0, (int)ng};
            cairo_set_scaled_font(cr, sf);
            cairo_show_text_glyphs(cr, "", 0, gl, (int)ng, &none, 1, 0);
        } else if (ng > 0) {
            cairo_set_scaled_font(cr, sf);
            cairo_show_text_glyphs(cr, sh->text + b0, (int)(b1 - b0), gl, (int)ng,
                                   cl, (int)nc, 0);
        }
        c = e;
    }
    /* the added hyphen: its text is U+00AD SOFT HYPHEN, which a reader's
     * copy drops, so the word comes back whole ("Dy-namics" pastes as
     * "Dynamics"), while its glyph still ends the line where the layout
     * put it */
    if (ln->hyphen && ln->end > ln->start) {
        size_t last = ln->end - 1;
        int font = sh->glyphs[sh->cell_glyph[last]].font;
        unsigned id = pdf_fontset_glyph(fs, sh->fonts[font], sh->hyphen_gid[font]);
        double w = sh->cells[last].hyphen;
        cairo_glyph_t g = {id, ln->x0 + ln->x[ln->end - ln->start] - w, ln->y};
        cairo_text_cluster_t k = {2, 1};
        cairo_set_scaled_font(cr, pdf_fontset_font(fs, sh->fonts[font]));
        cairo_show_text_glyphs(cr, "\xc2\xad", 2, &g, 1, &k, 1, 0);
    }
    free(gl);
    free(cl);
}

/* The page a layout's lines are drawn on. Vertical text was laid out on
 * the page turned a quarter anticlockwise (style_turned): its frame is
 * turned back, a quarter clockwise about the paper's top right corner,
 * which makes the turned page's lines columns running down the paper,
 * right to left. The folio stands on the paper itself. */
typedef struct frame {
    bool turned;
    double paper_w;
    cairo_matrix_t paper; /* the paper's own frame */
} frame;

static frame frame_begin(cairo_t *cr, bool turned, double paper_w)
{
    frame f = {.turned = turned, .paper_w = paper_w};
    cairo_get_matrix(cr, &f.paper);
    if (turned) {
        cairo_translate(cr, paper_w, 0);
        cairo_rotate(cr, G_PI / 2);
    }
    return f;
}

/* A rectangle of the frame (top left x, y and size w, h) on the paper. */
static void frame_rect(const frame *f, double x, double y, double w, double h,
                       double out[4])
{
    if (f->turned) {
        out[0] = f->paper_w - y - h;
        out[1] = x;
        out[2] = h;
        out[3] = w;
    } else {
        out[0] = x;
        out[1] = y;
        out[2] = w;
        out[3] = h;
    }
}

/* Draws in the paper's own frame until paper_end: what is placed on the
 * paper (the folio, figures, destinations and link areas). */
static cairo_matrix_t paper_begin(cairo_t *cr, const frame *f)
{
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    cairo_set_matrix(cr, &f->paper);
    return m;
}

static void paper_end(cairo_t *cr, const cairo_matrix_t *m)
{
    cairo_set_matrix(cr, m);
}

static void draw_line(cairo_t *cr, const lay_line *ln, pdf_fontset *fs,
                      const frame *f)
{
    if (f->turned && ln->role == ROLE_FOLIO) {
        cairo_matrix_t m = paper_begin(cr, f);
        draw_glyphs(cr, ln, fs, false);
        paper_end(cr, &m);
        return;
    }
    draw_glyphs(cr, ln, fs, ln->role == ROLE_RUBY || ln->role == ROLE_MARK ||
                                ln->going_on);
}

static void draw_rule(cairo_t *cr, const lay_rule *r)
{
    cairo_save(cr);
    cairo_set_line_width(cr, r->width);
    if (r->dotted) {
        /* leader dots on a 3 pt pitch counted from the page's edge, so
         * the dots of every line stand in the same columns */
        double dash[] = {0.01, 3};
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_dash(cr, dash, 2, fmod(r->x0, 3.0));
    }
    cairo_move_to(cr, r->x0, r->y0);
    cairo_line_to(cr, r->x1, r->y1);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* ---- structure ------------------------------------------------------ */

/* The structure the drawing makes: each cairo_tag_begin recorded with
 * what Cairo 1.16 cannot write (pdf/finish.c adds it), or nothing at all
 * when drawing a picture. Cairo marks the content of leaf elements only,
 * so an element holds either content or elements, never both: a figure's
 * caption and a paragraph's links are moved into them afterwards. */
typedef struct tagger {
    cairo_t *cr;
    pdf_tags *tags;            /* NULL: a picture, no structure */
    const doc *d;
    const style *st;
    const doc_node **node;     /* tree blocks by id */
    int nnodes;
    const doc_node *lang_of;   /* the block whose language was last asked */
    const char *lang;          /* and its answer: each block read once */
} tagger;

/* Records and begins an element; g.into 0 (the Document, which nothing
 * moves into) stands for -1, so that designated initialisers may leave
 * it out. */
static long tag_begin(tagger *t, const char *name, pdf_tag g)
{
    g.name = name;
    if (g.into == 0)
        g.into = -1;
    XPUSH(t->tags->v, t->tags->n, t->tags->cap, g);
    cairo_tag_begin(t->cr, name, NULL);
    return (long)t->tags->n - 1;
}

static void tag_end(tagger *t, const char *name)
{
    cairo_tag_end(t->cr, name);
}

static const doc_node *block_node(const tagger *t, int block)
{
    return block >= 0 && block < t->nnodes ? t->node[block] : NULL;
}

/* The open elements of a page's content: a group at the top (P, H1-H6,
 * a Figure's Caption, or a Table or TOC holding more), then a TR or TOCI
 * or a table's Caption, then a TH or TD. */
enum { DEPTH = 3 };
typedef struct open_tags {
    int n;
    const char *name[DEPTH];
    long key[DEPTH];           /* what tells it from its neighbours */
    long index[DEPTH];         /* its tag's index */
} open_tags;

typedef struct want {
    int n;
    const char *name[DEPTH];
    long key[DEPTH];
    pdf_tag g[DEPTH];
} want;

static void close_to(tagger *t, open_tags *o, int level)
{
    while (o->n > level) {
        o->n--;
        tag_end(t, o->name[o->n]);
    }
}

static const char *const heads[] = {"H1", "H2", "H3", "H4", "H5", "H6"};

/* A figure drawn on this page: its block and its tag. */
typedef struct drawn_figure {
    int block;
    long tag;
} drawn_figure;

typedef struct page_tags {
    open_tags open;
    drawn_figure fig[16];
    size_t nfig;
    long *line_tag;            /* each line's leaf tag, or -1 */
} page_tags;

static long figure_tag(const page_tags *p, int block)
{
    for (size_t i = 0; i < p->nfig; i++)
        if (p->fig[i].block == block)
            return p->fig[i].tag;
    return -1;
}

/* The elements a content line belongs in, outermost first. */
static want line_wants(tagger *t, const page_tags *p, const lay_page *pg,
                       size_t i)
{
    want w = {0};
    const lay_line *ln = &pg->lines[i];
    const doc_node *n = block_node(t, ln->block);
    /* the caption a continued table repeats is no block's: it is the
     * caption of the table whose cells follow */
    for (size_t k = i + 1; !n && ln->role == ROLE_CAPTION && k < pg->nlines; k++) {
        const doc_node *c = block_node(t, pg->lines[k].block);
        if (pg->lines[k].role == ROLE_CELL && c && c->parent && c->parent->parent)
            n = c->parent->parent;
    }
    if (ln->role == ROLE_CELL && n && n->parent && n->parent->parent) {
        w.n = 3;
        w.name[0] = "Table", w.key[0] = n->parent->parent->id;
        w.name[1] = "TR", w.key[1] = ln->row;
        w.name[2] = ln->header_row ? "TH" : "TD", w.key[2] = ln->block;
        w.g[2].column_header = ln->header_row;
    } else if (ln->role == ROLE_CAPTION && n &&
               ((n->kind == DOC_CAPTION && n->parent) || n->kind == DOC_TABLE)) {
        /* a table's caption, or its repetition over a continued table */
        w.n = 2;
        w.name[0] = "Table", w.key[0] = n->kind == DOC_TABLE ? n->id : n->parent->id;
        w.name[1] = "Caption", w.key[1] = ln->block;
    } else if (ln->role == ROLE_CAPTION) {
        w.n = 1;
        w.name[0] = "Caption", w.key[0] = ln->block;
        w.g[0].into = figure_tag(p, ln->block);
    } else if (ln->role == ROLE_TOC) {
        w.n = 2;
        w.name[0] = "TOC", w.key[0] = -1;
        w.name[1] = "TOCI", w.key[1] = ln->block;
    } else {
        w.n = 1;
        w.name[0] = ln->role == ROLE_HEADING
                        ? heads[ln->level < 1 ? 0 : ln->level > 6 ? 5 : ln->level - 1]
                        : "P";
        w.key[0] = ln->block;
        if (n && ln->role != ROLE_HEADING) {
            if (t->lang_of != n)
                t->lang = doc_block_lang(t->d, n), t->lang_of = n;
            w.g[0].lang = t->lang;
        }
    }
    return w;
}

/* Opens what `ln` needs, closing what it does not; returns its leaf. */
static long open_for(tagger *t, page_tags *p, const lay_page *pg, size_t i)
{
    const lay_line *ln = &pg->lines[i];
    want w = line_wants(t, p, pg, i);
    open_tags *o = &p->open;
    int same = 0;
    while (same < o->n && same < w.n && strcmp(o->name[same], w.name[same]) == 0 &&
           o->key[same] == w.key[same] &&
           !(same == w.n - 1 && (ln->para_start || ln->block < 0)))
        same++;
    close_to(t, o, same);
    for (int k = same; k < w.n; k++) {
        o->name[k] = w.name[k];
        o->key[k] = w.key[k];
        o->index[k] = tag_begin(t, w.name[k], w.g[k]);
        o->n = k + 1;
    }
    return o->index[w.n - 1];
}

/* The text a figure's /Alt gives: its caption, which is its alt text, or
 * an image's alt text inside a paragraph; else its label and number. */
static char *figure_alt(const tagger *t, const lay_image *im)
{
    const doc_node *n = block_node(t, im->block);
    char *alt = NULL;
    if (n && n->kind == DOC_FIGURE) {
        alt = doc_plain_text(n);
    } else if (n) {
        for (const doc_node *c = n; c; c = doc_next(n, c))
            if (c->kind == DOC_IMAGE && c->image == im->image) {
                alt = doc_plain_text(c);
                break;
            }
    }
    if (alt && *alt)
        return alt;
    free(alt);
    const doc_image *di = &t->d->images[im->image];
    return n && n->kind == DOC_FIGURE
               ? xasprintf("%s%d", t->st->figure_label, n->number)
               : xstrdup(di->src);
}

static bool draw_image(tagger *t, const lay_image *im, pdf_images *pi,
                       const frame *f)
{
    double r[4];
    frame_rect(f, im->x, im->y, im->w, im->h, r);
    cairo_matrix_t m = paper_begin(t->cr, f);
    bool ok = pdf_images_draw(pi, t->cr, im->image, r[0], r[1], r[2], r[3]);
    paper_end(t->cr, &m);
    return ok;
}

static bool is_block_figure(const tagger *t, const lay_image *im)
{
    const doc_node *n = block_node(t, im->block);
    return n && n->kind == DOC_FIGURE;
}

/* A figure, as an element of its own at the page's top level. */
static bool put_figure(tagger *t, page_tags *p, const lay_image *im,
                       pdf_images *pi, const frame *f)
{
    close_to(t, &p->open, 0);
    long k = tag_begin(t, "Figure", (pdf_tag){.alt = figure_alt(t, im)});
    bool ok = draw_image(t, im, pi, f);
    tag_end(t, "Figure");
    if (p->nfig < sizeof p->fig / sizeof *p->fig)
        p->fig[p->nfig++] = (drawn_figure){im->block, k};
    return ok;
}

static bool is_artifact(const lay_line *ln)
{
    return ln->role == ROLE_HEAD || ln->role == ROLE_FOLIO ||
           ln->role == ROLE_RUBY || ln->role == ROLE_MARK || ln->going_on;
}

/* The text of a line's cells between x0 and x1 (a link's words). */
static char *line_text(const lay_line *ln, double x0, double x1)
{
    const shaped *sh = ln->sh;
    size_t b0 = 0, b1 = 0;
    bool any = false;
    for (size_t c = ln->start; c < ln->end; c++) {
        double mid = ln->x0 + (ln->x[c - ln->start] + ln->x[c + 1 - ln->start]) / 2;
        if (mid < x0 || mid > x1 || (sh->cells[c].flags & JP_INDENT))
            continue;
        if (!any)
            b0 = sh->cell_byte[c];
        b1 = sh->cell_byte[c + 1];
        any = true;
    }
    return any ? xstrndup(sh->text + b0, b1 - b0) : NULL;
}

/* A link: its annotation, and an element moved into the paragraph whose
 * line it lies on, its /Contents the words it covers. */
static void put_link(tagger *t, const lay_page *pg, const page_tags *p,
                     const lay_link *l, const frame *f)
{
    pdf_tag g = {.into = -1};
    for (size_t i = 0; i < pg->nlines; i++) {
        const lay_line *ln = &pg->lines[i];
        /* its baseline in the area, or just under it (a raised note mark) */
        if (p->line_tag[i] < 0 || ln->y < l->y0 - 0.5 || ln->y > l->y1 + 6)
            continue;
        char *text = line_text(ln, l->x0, l->x1);
        if (!text)
            continue;
        g.into = p->line_tag[i];
        g.contents = text;
        break;
    }
    if (!g.contents)
        g.contents = xstrdup(l->uri ? l->uri : l->dest);
    char *target = quote_attr(l->uri ? l->uri : l->dest);
    double r[4];
    frame_rect(f, l->x0, l->y0, l->x1 - l->x0, l->y1 - l->y0, r);
    char *a = xasprintf("rect=[%.2f %.2f %.2f %.2f] %s='%s'", r[0], r[1],
                        r[2], r[3], l->uri ? "uri" : "dest", target);
    g.name = "Link";
    if (g.into == 0)
        g.into = -1;
    XPUSH(t->tags->v, t->tags->n, t->tags->cap, g);
    cairo_matrix_t m = paper_begin(t->cr, f);
    cairo_tag_begin(t->cr, CAIRO_TAG_LINK, a);
    cairo_tag_end(t->cr, CAIRO_TAG_LINK);
    paper_end(t->cr, &m);
    free(a);
    free(target);
}

static void put_dests(cairo_t *cr, const lay_page *pg, const frame *f)
{
    cairo_matrix_t m = paper_begin(cr, f);
    for (size_t i = 0; i < pg->ndests; i++) {
        char *name = quote_attr(pg->dests[i].name);
        double r[4];
        frame_rect(f, pg->dests[i].x, pg->dests[i].y, 0, 0, r);
        char *a = xasprintf("name='%s' x=%.2f y=%.2f", name, r[0], r[1]);
        cairo_tag_begin(cr, CAIRO_TAG_DEST, a);
        cairo_tag_end(cr, CAIRO_TAG_DEST);
        free(a);
        free(name);
    }
    paper_end(cr, &m);
}

/* A picture's page: everything drawn, no structure. */
static void draw_page_plain(cairo_t *cr, const lay_page *pg, pdf_fontset *fs,
                            const frame *f)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (size_t i = 0; i < pg->nrules; i++)
        draw_rule(cr, &pg->rules[i]);
    for (size_t i = 0; i < pg->nlines; i++)
        draw_line(cr, &pg->lines[i], fs, f);
}

/* What is drawn but is not the text (PDF 14.8.2.2): rules and leaders,
 * ruby and dots, continuation marks (`pagination` false); or the running
 * head and folio (true). */
static void draw_artifacts(tagger *t, const lay_page *pg, pdf_fontset *fs,
                           const frame *f, bool pagination)
{
    bool any = !pagination && pg->nrules > 0;
    for (size_t i = 0; i < pg->nlines && !any; i++) {
        const lay_line *ln = &pg->lines[i];
        any = is_artifact(ln) &&
              (ln->role == ROLE_HEAD || ln->role == ROLE_FOLIO) == pagination;
    }
    if (!any)
        return;
    tag_begin(t, PDF_ARTIFACT_TAG,
              (pdf_tag){.artifact = pagination ? ART_PAGINATION : ART_LAYOUT});
    if (!pagination)
        for (size_t i = 0; i < pg->nrules; i++)
            draw_rule(t->cr, &pg->rules[i]);
    for (size_t i = 0; i < pg->nlines; i++) {
        const lay_line *ln = &pg->lines[i];
        if (is_artifact(ln) &&
            (ln->role == ROLE_HEAD || ln->role == ROLE_FOLIO) == pagination)
            draw_line(t->cr, ln, fs, f);
    }
    tag_end(t, PDF_ARTIFACT_TAG);
}

/* A page of the PDF: its text in reading order, each block in its
 * element (Cairo 1.16 keeps an element to one page well: one split by a
 * page break becomes two, as a table split is a Table on each page),
 * figures where they stand, then what is drawn but is not text. */
static bool draw_page(tagger *t, const lay_page *pg, pdf_fontset *fs,
                      pdf_images *pi, const frame *f)
{
    cairo_t *cr = t->cr;
    cairo_set_source_rgb(cr, 0, 0, 0);
    put_dests(cr, pg, f);
    page_tags p = {.line_tag = xmalloc((pg->nlines + 1) * sizeof *p.line_tag)};
    bool *done = xcalloc(pg->nimages + 1, sizeof *done);
    bool ok = true;
    for (size_t i = 0; i < pg->nlines; i++) {
        const lay_line *ln = &pg->lines[i];
        p.line_tag[i] = -1;
        if (is_artifact(ln))
            continue;
        for (size_t k = 0; k < pg->nimages; k++) {
            const lay_image *im = &pg->images[k];
            if (!done[k] && is_block_figure(t, im) && im->y < ln->y) {
                ok &= put_figure(t, &p, im, pi, f);
                done[k] = true;
            }
        }
        p.line_tag[i] = open_for(t, &p, pg, i);
        draw_line(cr, ln, fs, f);
    }
    close_to(t, &p.open, 0);
    for (size_t k = 0; k < pg->nimages; k++) {
        const lay_image *im = &pg->images[k];
        if (done[k])
            continue;
        if (is_block_figure(t, im)) {
            ok &= put_figure(t, &p, im, pi, f);
            continue;
        }
        /* an image inside a paragraph: an element moved into it */
        pdf_tag g = {.alt = figure_alt(t, im), .into = -1};
        for (size_t i = 0; i < pg->nlines; i++)
            if (pg->lines[i].block == im->block && p.line_tag[i] >= 0)
                g.into = p.line_tag[i];
        tag_begin(t, "Figure", g);
        ok &= draw_image(t, im, pi, f);
        tag_end(t, "Figure");
    }
    draw_artifacts(t, pg, fs, f, false);
    draw_artifacts(t, pg, fs, f, true);
    for (size_t i = 0; i < pg->nlinks; i++)
        put_link(t, pg, &p, &pg->links[i], f);
    free(p.line_tag);
    free(done);
    return ok;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data,
                             unsigned int len)
{
    buf_put(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

static void outline(cairo_surface_t *sf, const layout *L)
{
    int parents[8] = {CAIRO_PDF_OUTLINE_ROOT};
    for (size_t i = 0; i < L->noutline; i++) {
        const lay_outline *o = &L->outline[i];
        int lv = o->level < 1 ? 1 : o->level > 7 ? 7 : o->level;
        char *dest = quote_attr(o->dest);
        char *a = xasprintf("dest='%s'", dest);
        int id = cairo_pdf_surface_add_outline(sf, parents[lv - 1], o->title, a,
                                               0);
        for (int k = lv; k < 8; k++)
            parents[k] = id;
        free(a);
        free(dest);
    }
}

pdf_fontset *pdf_fontset_editions(const layout *L, const lay_overlay *ov,
                                  size_t n)
{
    /* every copy's lines, then every watermark */
    const lay_line **all = xmalloc((n * (LAY_OVERLAY_MAX + 1) + 1) * sizeof *all);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < ov[i].nlines; j++)
            all[k++] = &ov[i].lines[j].line;
    for (size_t i = 0; i < n; i++)
        if (ov[i].has_watermark)
            all[k++] = &ov[i].watermark;
    pdf_fontset *fs = pdf_fontset_with(L, all, k);
    free(all);
    return fs;
}

/* An edition's lines for page i: its marking and notices (text a reader
 * can search), and its watermark under everything (light, turned, and
 * not text: an empty ActualText). The marking on every page and the
 * watermark are artifacts of the pagination; a notice is text. */
static void draw_watermark(tagger *t, const lay_overlay *ov, pdf_fontset *fs)
{
    if (!ov || !ov->has_watermark)
        return;
    cairo_t *cr = t->cr;
    tag_begin(t, PDF_ARTIFACT_TAG, (pdf_tag){.artifact = ART_WATERMARK});
    cairo_save(cr);
    cairo_translate(cr, t->st->page_w / 2, t->st->page_h / 2);
    cairo_rotate(cr, -atan2(t->st->page_h, t->st->page_w));
    cairo_translate(cr, -ov->watermark_w / 2, 0);
    lay_line wm = ov->watermark;
    wm.x0 = 0;
    wm.y = 0;
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    draw_glyphs(cr, &wm, fs, true);
    cairo_restore(cr);
    tag_end(t, PDF_ARTIFACT_TAG);
}

static void draw_overlay(tagger *t, const lay_overlay *ov, long page,
                         int folio, pdf_fontset *fs, const frame *f)
{
    if (!ov)
        return;
    cairo_set_source_rgb(t->cr, 0, 0, 0);
    for (size_t i = 0; i < ov->nlines; i++) {
        const lay_overlay_line *x = &ov->lines[i];
        if ((x->page >= 0 && x->page != page) ||
            (x->parity && (folio % 2 == 1) != (x->parity == 1)))
            continue;
        if (x->page < 0)
            tag_begin(t, PDF_ARTIFACT_TAG, (pdf_tag){.artifact = ART_PAGINATION});
        else
            tag_begin(t, "P", (pdf_tag){0});
        draw_line(t->cr, &x->line, fs, f);
        tag_end(t, x->page < 0 ? PDF_ARTIFACT_TAG : "P");
    }
}

/* The tree's blocks by id, for the elements' attributes. */
static const doc_node **blocks_by_id(const doc *d)
{
    const doc_node **v = xcalloc((size_t)d->nblocks + 1, sizeof *v);
    const doc_node *tops[1] = {d->root};
    for (size_t k = 0; k < d->nnotes + 1; k++) {
        const doc_node *top = k == 0 ? tops[0] : d->notes[k - 1].body;
        for (const doc_node *n = top; n; n = doc_next(top, n))
            if (n->id >= 0 && n->id < d->nblocks)
                v[n->id] = n;
    }
    return v;
}

static bool write_all(int fd, const buf *b, int *err)
{
    const char *p = b->data;
    size_t len = b->len;
    while (len > 0) {
        ssize_t k = write(fd, p, len);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            *err = errno;
            return false;
        }
        p += k;
        len -= (size_t)k;
    }
    return true;
}

bool pdf_write(const layout *L, const doc *d, const pdf_opts *o, int fd,
               diag *dg)
{
    static const pdf_opts plain = {0};
    if (!o)
        o = &plain;
    const style *st = L->st;
    const lay_overlay *ov = o->overlay;
    pdf_fontset *shared = o->fonts;
    /* Cairo draws into memory; qpdf finishes it there (pdf/finish.h) */
    buf mem = {0};
    cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(
        to_buf, &mem, L->paper_w, L->paper_h);
    cairo_pdf_surface_restrict_to_version(sf, CAIRO_PDF_VERSION_1_5);
    pdf_fontset *fs = shared ? shared : pdf_fontset_new(L);
    pdf_images *pi = pdf_images_new(d, st->pdf_standard == PDF_STANDARD_A1B, dg);
    bool images_ok = true;
    cairo_t *cr = cairo_create(sf);
    pdf_tags tags = {0};
    tagger t = {.cr = cr, .tags = &tags, .d = d, .st = st,
                .node = blocks_by_id(d), .nnodes = d->nblocks};
    /* the structure root: Cairo 1.16 writes a broken cross-reference table
     * for a page with both text and links unless the content sits inside
     * a structure element */
    tag_begin(&t, "Document", (pdf_tag){0});
    for (size_t i = 0; i < L->npages; i++) {
        char label[16];
        snprintf(label, sizeof label, "%d", L->pages[i].number);
        cairo_pdf_surface_set_page_label(sf, label);
        cairo_save(cr);
        frame fr = frame_begin(cr, L->st->writing == WRITING_VERTICAL, L->paper_w);
        draw_watermark(&t, ov, fs);
        images_ok &= draw_page(&t, &L->pages[i], fs, pi, &fr);
        draw_overlay(&t, ov, (long)i, L->pages[i].number, fs, &fr);
        cairo_restore(cr);
        cairo_show_page(cr);
        if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
            break;
    }
    tag_end(&t, "Document");
    outline(sf, L);
    cairo_status_t cst = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(sf);
    if (cst == CAIRO_STATUS_SUCCESS)
        cst = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    bool ok = images_ok && cst == CAIRO_STATUS_SUCCESS;
    if (images_ok && !ok)
        diag_error(dg, (diag_loc){0}, "cannot make the PDF: %s",
                   cairo_status_to_string(cst));
    /* what finishing takes of the style, before the layout may go */
    bool pdfa = st->pdf_standard == PDF_STANDARD_A1B;
    bool r2l = st->writing == WRITING_VERTICAL;
    bool id_in_keywords = st->id_in_keywords;
    L = NULL;
    st = NULL;
    if (o->drawn)
        o->drawn(o->drawn_ctx);
    if (ok) {
        const doc_meta *m = &d->meta;
        char date[64];
        doc_timestamp(d, date, sizeof date);
        char *subject = NULL, *keywords = NULL;
        if (ov) { /* the copy's marking, and its id */
            char *mark = doc_edition_marking(d, ov->ed);
            subject = xasprintf("%s%s%s", m->subject ? m->subject : "",
                                m->subject ? " — " : "", mark);
            if (id_in_keywords)
                keywords = xasprintf("%s%sedition:%s",
                                     m->keywords ? m->keywords : "",
                                     m->keywords ? ", " : "", ov->ed->id);
            free(mark);
        }
        pdf_finish_opts fo = {
            .tags = &tags,
            .meta = {.title = m->title,
                     .author = m->author ? m->author : m->publisher,
                     .subject = subject ? subject : m->subject,
                     .keywords = keywords ? keywords : m->keywords,
                     .rights = m->rights,
                     .lang = m->lang,
                     .date = date},
            .pdfa = pdfa,
            .r2l = r2l,
            .encrypt = o->encrypt,
            .password = o->password,
        };
        ok = pdf_finish(&mem, &fo, dg);
        free(subject);
        free(keywords);
    }
    if (ok && o->sign)
        ok = pdf_sign(&mem, o->sign, dg);
    int err = 0;
    if (ok && !write_all(fd, &mem, &err)) {
        diag_io_error(dg, (diag_loc){0}, "cannot write the PDF: %s",
                      strerror(err));
        ok = false;
    }
    buf_free(&mem);
    pdf_tags_free(&tags);
    free(t.node);
    if (!shared)
        pdf_fontset_free(fs);
    pdf_images_free(pi);
    return ok;
}

static void png_put(png_structp png, png_bytep data, size_t len)
{
    buf_put(png_get_io_ptr(png), data, len);
}

static void png_flush_none(png_structp png)
{
    (void)png;
}

/* The A8 image as an 8-bit grey PNG. Not Cairo's writer: libpng's
 * default adaptive filtering tries five filters on every row, which cost
 * more than the whole layout. A page is mostly runs of white: unfiltered
 * run-length deflate does it in a fifth of the time, 5% larger. */
static bool write_grey_png(cairo_surface_t *sf, buf *out)
{
    int w = cairo_image_surface_get_width(sf);
    int h = cairo_image_surface_get_height(sf);
    int stride = cairo_image_surface_get_stride(sf);
    unsigned char *px = cairo_image_surface_get_data(sf);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
                                              NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return false;
    }
    png_set_write_fn(png, out, png_put, png_flush_none);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_strategy(png, Z_RLE);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    png_write_info(png, info);
    for (int y = 0; y < h; y++)
        png_write_row(png, px + (size_t)y * (size_t)stride);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return true;
}

struct pdf_picture {
    lay_page page;      /* a copy: the layout's array may move */
    double w, h, scale;
    bool turned;        /* vertical text (frame) */
    pdf_fontset *fs;
};

pdf_picture *pdf_picture_new(const layout *L, size_t index, double scale)
{
    if (index >= L->npages)
        return NULL;
    pdf_picture *pic = xcalloc(1, sizeof *pic);
    pic->page = L->pages[index];
    pic->w = L->paper_w;
    pic->h = L->paper_h;
    pic->turned = L->st->writing == WRITING_VERTICAL;
    pic->scale = scale;
    pic->fs = pdf_fontset_page(&pic->page);
    return pic;
}

void pdf_picture_free(pdf_picture *pic)
{
    if (!pic)
        return;
    pdf_fontset_free(pic->fs);
    free(pic);
}

bool pdf_picture_png(const pdf_picture *pic, buf *png, diag *dg)
{
    pdf_fontset_open(pic->fs);
    int w = (int)(pic->w * pic->scale + 0.5), h = (int)(pic->h * pic->scale + 0.5);
    /* an 8-bit grey image: a quarter of the pixels' bytes to deflate.
     * Opaque is white; the page is drawn by clearing, so ink comes out
     * black. */
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
    cairo_t *cr = cairo_create(sf);
    cairo_set_source_rgba(cr, 0, 0, 0, 1);
    cairo_paint(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
    cairo_scale(cr, pic->scale, pic->scale);
    frame fr = frame_begin(cr, pic->turned, pic->w);
    draw_page_plain(cr, &pic->page, pic->fs, &fr);
    cairo_destroy(cr);
    cairo_surface_flush(sf);
    cairo_status_t cst = cairo_surface_status(sf);
    bool ok = cst == CAIRO_STATUS_SUCCESS && write_grey_png(sf, png);
    cairo_surface_destroy(sf);
    if (!ok)
        diag_error(dg, (diag_loc){0}, "cannot draw the cover: %s",
                   cst != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(cst)
                                               : "libpng failed");
    return ok;
}
