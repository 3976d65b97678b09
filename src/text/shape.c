#include "text/shape.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"

typedef struct builder {
    shaped *s;
    size_t cap_cells, cap_glyphs, cap_fonts, cap_missing;
} builder;

static PangoAttrList *make_attrs(const shape_span *sp, size_t n,
                                 const char *features)
{
    PangoAttrList *al = pango_attr_list_new();
    for (size_t i = 0; i < n; i++) {
        PangoAttribute *a[4];
        int k = 0;
        a[k++] = pango_attr_family_new(sp[i].family);
        a[k++] = pango_attr_size_new_absolute((int)lround(sp[i].size * PANGO_SCALE));
        if (sp[i].bold)
            a[k++] = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        if (features && *features)
            a[k++] = pango_attr_font_features_new(features);
        for (int j = 0; j < k; j++) {
            a[j]->start_index = (guint)sp[i].start;
            a[j]->end_index = (guint)sp[i].end;
            pango_attr_list_insert(al, a[j]);
        }
    }
    return al;
}

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
                        int g0, int g1, size_t byte0, size_t byte1, int font)
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
                   .flags = span ? span->flags : 0};
    s->cell_byte[ci] = byte0;
    s->cell_glyph[ci] = s->nglyphs;
    s->cell_span[ci] = sp;
    double x = 0;
    for (int g = g0; g < g1; g++) {
        PangoGlyphInfo *gi = &gs->glyphs[g];
        shape_glyph *out = &s->glyphs[s->nglyphs++];
        bool unknown = (gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) != 0;
        if (unknown)
            add_missing(b, gi->glyph & ~PANGO_GLYPH_UNKNOWN_FLAG);
        out->id = gi->glyph;
        out->dx = (float)(x + gi->geometry.x_offset / (double)PANGO_SCALE);
        out->dy = (float)(gi->geometry.y_offset / (double)PANGO_SCALE -
                          (span ? span->rise : 0));
        out->font = font;
        out->draw = !unknown && gi->glyph != PANGO_GLYPH_EMPTY &&
                    first != ' ' && first != '\n' && first != '\t';
        x += gi->geometry.width / (double)PANGO_SCALE;
    }
    c->advance = x;
    if (first == '\n') {
        c->flags |= JP_FORCED;
        c->advance = 0;
    } else if (first == ' ' || first == '\t') {
        c->cls = c->cls_last = JP_CL_26;
        c->flags |= JP_SPACE;
        c->advance = 0; /* the word space is glue (jp/spacing.c) */
    }
    if (c->flags & JP_NOTEREF) {
        c->cls = JP_CL_20;
        /* transparent on its right: the space after the character before
         * the mark goes after the mark */
        c->cls_last = ci > 0 ? s->cells[ci - 1].cls_last : JP_CL_19;
    }
    half_body(c, &s->glyphs[s->cell_glyph[ci]], (size_t)(g1 - g0));
    (void)item;
}

static void shape_item(builder *b, PangoItem *item, const char *text,
                       size_t len)
{
    PangoGlyphString *gs = pango_glyph_string_new();
    pango_shape_full(text + item->offset, item->length, text, (int)len,
                     &item->analysis, gs);
    int font = font_index(b, item->analysis.font);
    /* clusters: runs of glyphs with the same log_cluster (LTR) */
    int g = 0;
    while (g < gs->num_glyphs) {
        int c0 = gs->log_clusters[g];
        int g1 = g + 1;
        while (g1 < gs->num_glyphs && gs->log_clusters[g1] == c0)
            g1++;
        int c1 = g1 < gs->num_glyphs ? gs->log_clusters[g1] : item->length;
        if (c1 <= c0) /* right-to-left text: keep it one cluster */
            c1 = item->length;
        add_cluster(b, item, gs, g, g1, (size_t)item->offset + (size_t)c0,
                    (size_t)item->offset + (size_t)c1, font);
        g = g1;
    }
    pango_glyph_string_free(gs);
}

shaped *shape_text(fonts *f, const char *text, size_t len,
                   const shape_span *spans, size_t nspans,
                   const char *features)
{
    shaped *s = xcalloc(1, sizeof *s);
    s->text = xstrndup(text, len);
    s->len = len;
    s->spans = xmalloc((nspans ? nspans : 1) * sizeof *spans);
    if (nspans)
        memcpy(s->spans, spans, nspans * sizeof *spans);
    s->nspans = nspans;
    builder b = {.s = s};
    if (len > 0) {
        PangoAttrList *al = make_attrs(spans, nspans, features);
        GList *items = pango_itemize(fonts_context(f), s->text, 0, (int)len,
                                     al, NULL);
        for (GList *l = items; l; l = l->next) {
            shape_item(&b, l->data, s->text, len);
            pango_item_free(l->data);
        }
        g_list_free(items);
        pango_attr_list_unref(al);
    }
    if (!s->cell_byte) {
        s->cell_byte = xmalloc(sizeof(size_t));
        s->cell_glyph = xmalloc(sizeof(size_t));
        s->cell_span = xmalloc(sizeof(int));
    }
    s->cell_byte[s->ncells] = len;
    s->cell_glyph[s->ncells] = s->nglyphs;
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
    free(s);
}
