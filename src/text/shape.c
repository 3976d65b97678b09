#include "text/shape.h"

#include <hb-ot.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "text/itemize.h"
#include "util/utf8.h"
#include "util/xalloc.h"

typedef struct builder {
    shaped *s;
    size_t cap_cells, cap_glyphs, cap_fonts, cap_missing;
} builder;

static int font_index(builder *b, PangoFont *font)
{
    shaped *s = b->s;
    for (size_t i = 0; i < s->nfonts; i++)
        if (s->fonts[i] == font)
            return (int)i;
    xgrow((void **)&s->fonts, &b->cap_fonts, s->nfonts + 1, sizeof *s->fonts);
    s->fonts[s->nfonts] = g_object_ref(font);
    return (int)s->nfonts++;
}

static int span_at(const shaped *s, size_t byte)
{
    for (size_t i = 0; i < s->nspans; i++)
        if (byte >= s->spans[i].start && byte < s->spans[i].end)
            return (int)i;
    return s->nspans ? (int)s->nspans - 1 : -1;
}

static void add_missing(builder *b, uint32_t cp)
{
    shaped *s = b->s;
    for (size_t i = 0; i < s->nmissing; i++)
        if (s->missing[i] == cp)
            return;
    xgrow((void **)&s->missing, &b->cap_missing, s->nmissing + 1, sizeof(uint32_t));
    s->missing[s->nmissing++] = cp;
}

/* JLREQ 3.1.2: brackets, 、。 and middle dots sit on a half-width body;
 * the space around them is the line composer's business. If the font set
 * the glyph full-width, trim the blank half: the left half of an opening
 * bracket, the right half of closing ones, a quarter each side of ・. */
static void half_body(jp_cell *c, shape_glyph *g, size_t ng)
{
    if (!jp_half_body(c->cls) || c->cls != c->cls_last || !jp_is_wide(c->first))
        return;
    if (c->advance < 0.75 * c->em)
        return;
    double cut = c->advance - 0.5 * c->em;
    c->advance -= cut;
    double shift = c->cls == JP_CL_01 ? cut : c->cls == JP_CL_05 ? cut / 2 : 0;
    for (size_t i = 0; i < ng; i++)
        g[i].dx -= (float)shift;
}

static void add_cluster(builder *b, PangoItem *item, PangoGlyphString *gs,
                        const int *kern, int g0, int g1, size_t byte0,
                        size_t byte1, int font)
{
    shaped *s = b->s;
    size_t cap = b->cap_cells;
    xgrow((void **)&s->cells, &b->cap_cells, s->ncells + 2, sizeof *s->cells);
    if (b->cap_cells != cap || !s->cell_byte) { /* the parallel arrays */
        s->cell_byte = xrealloc(s->cell_byte, b->cap_cells * sizeof(size_t));
        s->cell_glyph = xrealloc(s->cell_glyph, b->cap_cells * sizeof(size_t));
        s->cell_span = xrealloc(s->cell_span, b->cap_cells * sizeof(int));
    }
    xgrow((void **)&s->glyphs, &b->cap_glyphs, s->nglyphs + (size_t)(g1 - g0) + 1,
          sizeof *s->glyphs);
    size_t ci = s->ncells++;
    jp_cell *c = &s->cells[ci];
    int sp = span_at(s, byte0);
    const shape_span *span = sp >= 0 ? &s->spans[sp] : NULL;
    uint32_t first, last = 0;
    utf8_decode(s->text + byte0, byte1 - byte0, &first);
    for (size_t i = byte0; i < byte1;) {
        uint32_t cp;
        int k = utf8_decode(s->text + i, byte1 - i, &cp);
        i += k > 0 ? (size_t)k : 1;
        last = cp;
    }
    *c = (jp_cell){.cls = jp_class_of(first), .cls_last = jp_class_of(last),
                   .first = first, .last = last,
                   .em = span ? span->size : 10,
                   .flags = span ? span->flags & ~(unsigned)SHAPE_ITALIC : 0};
    s->cell_byte[ci] = byte0;
    s->cell_glyph[ci] = s->nglyphs;
    s->cell_span[ci] = sp;
    double x = 0;
    for (int g = g0; g < g1; g++) {
        PangoGlyphInfo *gi = &gs->glyphs[g];
        shape_glyph *out = &s->glyphs[s->nglyphs++];
        bool unknown = (gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) != 0;
        double width = gi->geometry.width / (double)PANGO_SCALE;
        out->id = gi->glyph;
        if (unknown) {
            /* No font has it: the font's .notdef box stands in its place,
             * as in a browser, so that the proof shows where (kumihan
             * also warns, with the line); Pango's own box is not in the
             * font, so its width is not the glyph's either. */
            add_missing(b, gi->glyph & ~PANGO_GLYPH_UNKNOWN_FLAG);
            out->id = 0;
            hb_font_t *hf = pango_font_get_hb_font(item->analysis.font);
            if (hf)
                width = hb_font_get_glyph_h_advance(hf, 0) / (double)PANGO_SCALE;
        }
        out->dx = (float)(x + gi->geometry.x_offset / (double)PANGO_SCALE);
        out->dy = (float)(gi->geometry.y_offset / (double)PANGO_SCALE -
                          (span ? span->rise : 0));
        out->font = font;
        out->draw = gi->glyph != PANGO_GLYPH_EMPTY &&
                    first != ' ' && first != '\n' && first != '\t';
        x += width;
    }
    /* the pair kerning with the next cell is space between the two,
     * which a line end takes away (jp_para_glue) */
    c->kern = kern ? kern[g1 - 1] / (double)PANGO_SCALE : 0;
    c->advance = x - c->kern;
    if (first == '\n') {
        c->flags |= JP_FORCED;
        c->advance = c->kern = 0;
    } else if (first == ' ' || first == '\t') {
        c->cls = c->cls_last = JP_CL_26;
        c->flags |= JP_SPACE;
        c->advance = c->kern = 0; /* the word space is glue (jp/spacing.c) */
    }
    if (c->flags & JP_NOTEREF) {
        c->cls = JP_CL_20;
        /* transparent on its right: the space after the character before
         * the mark goes after the mark */
        c->cls_last = ci > 0 ? s->cells[ci - 1].cls_last : JP_CL_19;
    }
    half_body(c, &s->glyphs[s->cell_glyph[ci]], (size_t)(g1 - g0));
}

/* What pair kerning added to each glyph's advance (Pango units), or NULL
 * if nothing. Kerning belongs between two glyphs: a line that ends between
 * them must not keep it, or its last glyph pokes past the measure. Where
 * a glyph's advance differs from its default the run is shaped again with
 * kerning off, and the difference is the kerning (palt and other single
 * adjustments being the same in both). */
static int *kern_deltas(PangoItem *item, int length, const char *text,
                        size_t len, const PangoGlyphString *gs)
{
    hb_font_t *hf = pango_font_get_hb_font(item->analysis.font);
    if (!hf)
        return NULL;
    int g = 0;
    for (; g < gs->num_glyphs; g++) {
        PangoGlyph id = gs->glyphs[g].glyph;
        if (!(id & PANGO_GLYPH_UNKNOWN_FLAG) && id != PANGO_GLYPH_EMPTY &&
            gs->glyphs[g].geometry.width != hb_font_get_glyph_h_advance(hf, id))
            break;
    }
    if (g == gs->num_glyphs)
        return NULL;
    PangoAnalysis a = item->analysis;
    PangoAttribute *off = pango_attr_font_features_new("kern 0");
    /* last, so that it wins over the style's features */
    a.extra_attrs = g_slist_append(g_slist_copy(item->analysis.extra_attrs), off);
    PangoGlyphString *plain = pango_glyph_string_new();
    pango_shape_full(text + item->offset, length, text, (int)len, &a, plain);
    g_slist_free(a.extra_attrs);
    pango_attribute_destroy(off);
    int *kern = NULL;
    if (plain->num_glyphs == gs->num_glyphs) {
        kern = xcalloc((size_t)gs->num_glyphs, sizeof *kern);
        bool any = false;
        for (g = 0; g < gs->num_glyphs; g++) {
            kern[g] = gs->glyphs[g].geometry.width - plain->glyphs[g].geometry.width;
            any |= kern[g] != 0;
        }
        if (!any) {
            free(kern);
            kern = NULL;
        }
    }
    pango_glyph_string_free(plain);
    return kern;
}

static void shape_item(builder *b, PangoItem *item, int length, bool kerned,
                       const char *text, size_t len)
{
    PangoGlyphString *gs = pango_glyph_string_new();
    pango_shape_full(text + item->offset, length, text, (int)len,
                     &item->analysis, gs);
    int font = font_index(b, item->analysis.font);
    if (item->analysis.level & 1) {
        /* Right-to-left text (Hebrew, Arabic inside Japanese): its glyphs
         * come in visual order and its clusters backwards, so the whole
         * run is one unbreakable cell, drawn as HarfBuzz ordered it. */
        if (gs->num_glyphs > 0)
            add_cluster(b, item, gs, NULL, 0, gs->num_glyphs, (size_t)item->offset,
                        (size_t)item->offset + (size_t)length, font);
        pango_glyph_string_free(gs);
        return;
    }
    int *kern = kerned ? kern_deltas(item, length, text, len, gs) : NULL;
    /* clusters: runs of glyphs with the same log_cluster, which HarfBuzz
     * keeps ascending in left-to-right text */
    int g = 0;
    while (g < gs->num_glyphs) {
        int c0 = gs->log_clusters[g];
        int g1 = g + 1;
        while (g1 < gs->num_glyphs && gs->log_clusters[g1] <= c0)
            g1++;
        int c1 = g1 < gs->num_glyphs ? gs->log_clusters[g1] : length;
        add_cluster(b, item, gs, kern, g, g1, (size_t)item->offset + (size_t)c0,
                    (size_t)item->offset + (size_t)c1, font);
        g = g1;
    }
    free(kern);
    pango_glyph_string_free(gs);
}

shaped *shape_text(fonts *f, const char *text, size_t len,
                   const shape_span *spans, size_t nspans,
                   const char *features, unsigned flags)
{
    shaped *s = xcalloc(1, sizeof *s);
    s->text = xstrndup(text, len);
    s->len = len;
    s->spans = xmalloc((nspans ? nspans : 1) * sizeof *spans);
    if (nspans)
        memcpy(s->spans, spans, nspans * sizeof *spans);
    s->nspans = nspans;
    builder b = {.s = s};
    /* JLREQ sets kana and kanji solid, one em each. Noto CJK's kern
     * pairs also tighten full-width kana (プラ, ドす: 0.97 em), which
     * belongs to proportional setting: they apply to Japanese runs only
     * when the style asks for palt or kern. Latin keeps its kerning. */
    bool solid = !features || (!strstr(features, "palt") && !strstr(features, "kern"));
    if (len > 0) {
        GList *items = itemize(f, s->text, len, spans, nspans, features,
                               (flags & SHAPE_PANGO_ITEMIZE) != 0);
        for (GList *l = items; l;) {
            PangoItem *first = l->data;
            int length = first->length;
            GList *m = l->next;
            for (; m && itemize_mergeable(m->prev->data, m->data); m = m->next)
                length += ((PangoItem *)m->data)->length;
            bool kerned = !(solid && itemize_neutral_script(first->analysis.script));
            if (!kerned)
                first->analysis.extra_attrs = g_slist_prepend(
                    first->analysis.extra_attrs, pango_attr_font_features_new("kern 0"));
            shape_item(&b, first, length, kerned, s->text, len);
            l = m;
        }
        g_list_free_full(items, (GDestroyNotify)pango_item_free);
    }
    if (!s->cell_byte) {
        s->cell_byte = xmalloc(sizeof(size_t));
        s->cell_glyph = xmalloc(sizeof(size_t));
        s->cell_span = xmalloc(sizeof(int));
    }
    s->cell_byte[s->ncells] = len;
    s->cell_glyph[s->ncells] = s->nglyphs;
    /* the arrays grew by doubling: give back what they did not fill (the
     * shaped texts of a long document live until its PDF is written) */
    if (b.cap_cells > s->ncells + 2) {
        size_t n = s->ncells + 2;
        s->cells = xrealloc(s->cells, n * sizeof *s->cells);
        s->cell_byte = xrealloc(s->cell_byte, n * sizeof *s->cell_byte);
        s->cell_glyph = xrealloc(s->cell_glyph, n * sizeof *s->cell_glyph);
        s->cell_span = xrealloc(s->cell_span, n * sizeof *s->cell_span);
    }
    if (b.cap_glyphs > s->nglyphs + 1)
        s->glyphs = xrealloc(s->glyphs, (s->nglyphs + 1) * sizeof *s->glyphs);
    return s;
}

void shaped_free(shaped *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nfonts; i++)
        g_object_unref(s->fonts[i]);
    free(s->fonts);
    free(s->text);
    free(s->cells);
    free(s->cell_byte);
    free(s->cell_glyph);
    free(s->cell_span);
    free(s->glyphs);
    free(s->spans);
    free(s->missing);
    free(s->hyphen_gid);
    free(s);
}
