#include "text/shape.h"

#include <hb-ot.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "jp/class.h"
#include "jp/embox.h"
#include "text/itemize.h"
#include "util/utf8.h"
#include "util/xalloc.h"

typedef struct builder {
    shaped *s;
    size_t cap_cells, cap_glyphs, cap_fonts, cap_missing;
    size_t span_hint;  /* the span of the last cell: cells come in order */
    int caps_limit;    /* shape_opts.caps_limit */
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

static int span_at(const shaped *s, size_t byte, size_t *hint)
{
    for (size_t i = *hint; i < s->nspans && i < *hint + 2; i++)
        if (byte >= s->spans[i].start && byte < s->spans[i].end)
            return (int)(*hint = i);
    for (size_t i = 0; i < s->nspans; i++)
        if (byte >= s->spans[i].start && byte < s->spans[i].end)
            return (int)i;
    return s->nspans ? (int)s->nspans - 1 : -1;
}

static void add_missing(builder *b, uint32_t cp)
{
    if (cp < 0x20) /* a <br>'s line break, a tab: nothing to draw */
        return;
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
    if (!jp_half_body(c->cls) || c->cls != c->cls_last ||
        !jp_is_wide(c->first) || (c->flags & JP_CODE))
        return;
    if (c->advance < 0.75 * c->em)
        return;
    double cut = c->advance - 0.5 * c->em;
    c->advance -= cut;
    double shift = c->cls == JP_CL_01 ? cut : c->cls == JP_CL_05 ? cut / 2 : 0;
    for (size_t i = 0; i < ng; i++)
        g[i].dx -= (float)shift;
}

/* A new cell for text[byte0..byte1), with room for `ng` more glyphs;
 * returns its index. */
static size_t new_cell(builder *b, size_t byte0, size_t byte1, size_t ng)
{
    shaped *s = b->s;
    size_t cap = b->cap_cells;
    xgrow((void **)&s->cells, &b->cap_cells, s->ncells + 2, sizeof *s->cells);
    if (b->cap_cells != cap || !s->cell_byte) { /* the parallel arrays */
        s->cell_byte = xrealloc(s->cell_byte, b->cap_cells * sizeof(size_t));
        s->cell_glyph = xrealloc(s->cell_glyph, b->cap_cells * sizeof(size_t));
        s->cell_span = xrealloc(s->cell_span, b->cap_cells * sizeof(int));
    }
    xgrow((void **)&s->glyphs, &b->cap_glyphs, s->nglyphs + ng + 1,
          sizeof *s->glyphs);
    size_t ci = s->ncells++;
    jp_cell *c = &s->cells[ci];
    int sp = span_at(s, byte0, &b->span_hint);
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
    return ci;
}

static double span_rise(const shaped *s, size_t ci)
{
    int sp = s->cell_span[ci];
    return sp >= 0 ? s->spans[sp].rise : 0;
}

/* What every cell gets once its glyphs are in: spaces, breaks and note
 * marks take their classes, punctuation its half-width body. */
static void end_cell(builder *b, size_t ci)
{
    shaped *s = b->s;
    jp_cell *c = &s->cells[ci];
    uint32_t first = c->first;
    if (first == '\n') {
        c->flags |= JP_FORCED;
        c->advance = c->kern = 0;
    } else if (first == ' ' || first == '\t') {
        c->cls = c->cls_last = JP_CL_26;
        c->flags |= JP_SPACE;
        /* the word space is glue (jp/spacing.c); code keeps its own, the
         * monospaced face's half em, so its indentation holds */
        c->advance = c->flags & JP_CODE ? 0.5 * c->em : 0;
        c->kern = 0;
    }
    if (c->flags & JP_NOTEREF) {
        c->cls = JP_CL_20;
        /* transparent on its right: the space after the character before
         * the mark goes after the mark */
        c->cls_last = ci > 0 ? s->cells[ci - 1].cls_last : JP_CL_19;
    }
    half_body(c, &s->glyphs[s->cell_glyph[ci]], s->nglyphs - s->cell_glyph[ci]);
}

static void add_cluster(builder *b, const PangoItem *item, PangoGlyphString *gs,
                        const int *kern, int g0, int g1, size_t byte0,
                        size_t byte1, int font)
{
    shaped *s = b->s;
    size_t ci = new_cell(b, byte0, byte1, (size_t)(g1 - g0));
    jp_cell *c = &s->cells[ci];
    uint32_t first = c->first;
    double rise = span_rise(s, ci);
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
        out->dy = (float)(gi->geometry.y_offset / (double)PANGO_SCALE - rise);
        out->font = font;
        out->draw = gi->glyph != PANGO_GLYPH_EMPTY &&
                    first != ' ' && first != '\n' && first != '\t';
        out->upright = false;
        x += width;
    }
    /* the pair kerning with the next cell is space between the two,
     * which a line end takes away (jp_para_glue) */
    c->kern = kern ? kern[g1 - 1] / (double)PANGO_SCALE : 0;
    c->advance = x - c->kern;
    end_cell(b, ci);
}

/* What pair kerning added to each glyph's advance (Pango units), or NULL
 * if nothing. Kerning belongs between two glyphs: a line that ends between
 * them must not keep it, or its last glyph pokes past the measure. Where
 * a glyph's advance differs from its default the run is shaped again with
 * kerning off, and the difference is the kerning (palt and other single
 * adjustments being the same in both). */
static int *kern_deltas(const PangoItem *item, int length, const char *text,
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

static void shape_item(builder *b, const PangoItem *item, int length, bool kerned,
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

/* Vertical text. A line runs down the page; it is laid out as a
 * horizontal line in its own frame (x along it, y across it, down to the
 * left of the page) and the PDF turns that frame a quarter clockwise.
 * Latin turned with the line is then simply horizontal text. An upright
 * glyph is placed by its vertical origin (the top centre of its em box,
 * from the font's VORG and vmtx), on the centre line of the ideographic
 * em box (jp/embox.h). */
enum { UPRIGHT, TURNED, TCY, CAPS };

/* The style's features for a vertical run: palt and kern have their
 * vertical forms (vpal, vkrn); a solid setting turns vkrn off. */
static unsigned vertical_features(const char *features, bool kerned,
                                  hb_feature_t *out, unsigned cap)
{
    unsigned n = 0;
    for (const char *p = features ? features : ""; *p && n + 1 < cap;) {
        size_t k = strcspn(p, ",");
        char tok[64];
        if (k > 0 && k < sizeof tok) {
            memcpy(tok, p, k);
            tok[k] = 0;
            hb_feature_t f;
            if (hb_feature_from_string(tok, -1, &f)) {
                if (f.tag == HB_TAG('p', 'a', 'l', 't'))
                    f.tag = HB_TAG('v', 'p', 'a', 'l');
                else if (f.tag == HB_TAG('k', 'e', 'r', 'n'))
                    f.tag = HB_TAG('v', 'k', 'r', 'n');
                out[n++] = f;
            }
        }
        p += k;
        if (*p)
            p++;
    }
    if (!kerned && n < cap)
        hb_feature_from_string("vkrn=0", -1, &out[n++]);
    return n;
}

/* Japanese in a vertical line: HarfBuzz top to bottom (vert and vrt2 by
 * default), a cell per cluster, every glyph upright. */
static void shape_upright(builder *b, const PangoItem *item, bool kerned,
                          const char *text, size_t len, const char *features)
{
    shaped *s = b->s;
    hb_font_t *hf = pango_font_get_hb_font(item->analysis.font);
    int font = font_index(b, item->analysis.font);
    hb_buffer_t *hb = hb_buffer_create();
    hb_buffer_add_utf8(hb, text, (int)len, (unsigned)item->offset, item->length);
    hb_buffer_set_direction(hb, HB_DIRECTION_TTB);
    hb_buffer_set_language(hb, hb_language_from_string("ja", -1));
    hb_buffer_guess_segment_properties(hb);
    hb_buffer_set_cluster_level(hb, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_GRAPHEMES);
    hb_feature_t feats[16];
    unsigned nf = vertical_features(features, kerned, feats, 16);
    if (hf)
        hb_shape(hf, hb, feats, nf);
    unsigned n = 0;
    hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(hb, &n);
    hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(hb, &n);
    size_t end = (size_t)item->offset + (size_t)item->length;
    for (unsigned g = 0; hf && g < n;) {
        unsigned c0 = gi[g].cluster, g1 = g + 1;
        while (g1 < n && gi[g1].cluster <= c0)
            g1++;
        size_t byte1 = g1 < n ? gi[g1].cluster : end;
        size_t ci = new_cell(b, c0, byte1, g1 - g);
        jp_cell *c = &s->cells[ci];
        double rise = span_rise(s, ci), pen = 0;
        for (unsigned k = g; k < g1; k++) {
            shape_glyph *out = &s->glyphs[s->nglyphs++];
            out->id = gi[k].codepoint;
            if (out->id == 0)
                add_missing(b, c->first);
            out->dx = (float)(pen - gp[k].y_offset / (double)PANGO_SCALE);
            out->dy = (float)(-gp[k].x_offset / (double)PANGO_SCALE -
                              JP_EM_CENTRE * c->em - rise);
            out->font = font;
            out->draw = c->first != 0x3000;
            out->upright = true;
            pen -= gp[k].y_advance / (double)PANGO_SCALE;
        }
        c->advance = pen;
        c->kern = 0;
        end_cell(b, ci);
        g = g1;
    }
    hb_buffer_destroy(hb);
}

/* Tate-chu-yoko: the digits side by side, upright, centred across the
 * line in one em; two or more on their half-width forms (hwid). The
 * cell stands on the line as an ideograph does. */
static void shape_tcy(builder *b, const PangoItem *item, const char *text,
                      size_t len)
{
    shaped *s = b->s;
    PangoAnalysis a = item->analysis;
    PangoAttribute *hw = pango_attr_font_features_new("hwid 1, kern 0");
    if (utf8_count(text + item->offset, (size_t)item->length) > 1)
        a.extra_attrs = g_slist_append(g_slist_copy(item->analysis.extra_attrs), hw);
    PangoGlyphString *gs = pango_glyph_string_new();
    pango_shape_full(text + item->offset, item->length, text, (int)len, &a, gs);
    if (a.extra_attrs != item->analysis.extra_attrs)
        g_slist_free(a.extra_attrs);
    pango_attribute_destroy(hw);
    int font = font_index(b, item->analysis.font);
    size_t ci = new_cell(b, (size_t)item->offset,
                         (size_t)item->offset + (size_t)item->length,
                         (size_t)gs->num_glyphs);
    jp_cell *c = &s->cells[ci];
    double w = 0;
    for (int g = 0; g < gs->num_glyphs; g++)
        w += gs->glyphs[g].geometry.width / (double)PANGO_SCALE;
    double rise = span_rise(s, ci), x = 0;
    for (int g = 0; g < gs->num_glyphs; g++) {
        PangoGlyphInfo *pg = &gs->glyphs[g];
        shape_glyph *out = &s->glyphs[s->nglyphs++];
        out->id = pg->glyph & PANGO_GLYPH_UNKNOWN_FLAG ? 0 : pg->glyph;
        out->dx = (float)(JP_EM_TOP * c->em);
        out->dy = (float)(-JP_EM_CENTRE * c->em - rise + w / 2 - x);
        out->font = font;
        out->draw = true;
        out->upright = true;
        x += pg->geometry.width / (double)PANGO_SCALE;
    }
    c->cls = c->cls_last = JP_CL_19;
    c->advance = c->em;
    c->kern = 0;
    c->flags |= JP_NOBREAK;
    pango_glyph_string_free(gs);
}

/* What kind of run starts at byte i (and where it ends, for TCY). */
static int run_kind(builder *b, size_t i, size_t end, int limit,
                    size_t *tcy_end)
{
    const shaped *s = b->s;
    int sp = span_at(s, i, &b->span_hint);
    unsigned fl = sp >= 0 ? s->spans[sp].flags : 0;
    if (sp >= 0 && s->spans[sp].tcy) {
        size_t e = s->spans[sp].end;
        *tcy_end = e < end ? e : end;
        return TCY;
    }
    /* digits upright as the EPUB's vtext sets them: not in URLs, note
     * marks or code; in a kept run (令和2年(ネ)…) as anywhere else; and
     * short capitals, each letter upright in its em */
    if (!(fl & (JP_URL | JP_NOTEREF | JP_CODE))) {
        size_t e = jp_tcy_end(s->text, s->len, i, limit);
        if (e > i && e <= end) {
            *tcy_end = e;
            return TCY;
        }
        e = jp_caps_end(s->text, s->len, i, b->caps_limit);
        if (e > i && e <= end) {
            *tcy_end = e;
            return CAPS;
        }
    }
    uint32_t cp;
    utf8_decode(s->text + i, end - i, &cp);
    return jp_upright(cp) ? UPRIGHT : TURNED;
}

/* A vertical item: its runs of upright Japanese, turned Latin and
 * tate-chu-yoko, each shaped its own way. */
static void shape_vertical(builder *b, const PangoItem *item, int length,
                           bool kerned, const char *features, int limit)
{
    shaped *s = b->s;
    size_t i = (size_t)item->offset, end = i + (size_t)length;
    while (i < end) {
        size_t j = i, te = i;
        int kind = run_kind(b, i, end, limit, &te);
        if (kind == TCY || kind == CAPS) {
            j = te;
        } else {
            do {
                uint32_t cp;
                int k = utf8_decode(s->text + j, end - j, &cp);
                j += k > 0 ? (size_t)k : 1;
            } while (j < end && run_kind(b, j, end, limit, &te) == kind);
        }
        PangoItem sub = *item;
        sub.offset = (int)i;
        sub.length = (int)(j - i);
        size_t c0 = s->ncells;
        if (kind == UPRIGHT || kind == CAPS)
            shape_upright(b, &sub, kerned, s->text, s->len, features);
        else if (kind == TCY)
            shape_tcy(b, &sub, s->text, s->len);
        else
            shape_item(b, &sub, sub.length, kerned, s->text, s->len);
        if (kind == CAPS) /* upright capitals: as ideographs, kept whole */
            for (size_t c = c0; c < s->ncells; c++) {
                s->cells[c].cls = s->cells[c].cls_last = JP_CL_19;
                s->cells[c].flags |= JP_NOBREAK | JP_SOLID;
            }
        i = j;
    }
}

shaped *shape_text(fonts *f, const char *text, size_t len,
                   const shape_span *spans, size_t nspans,
                   const char *features, shape_opts opts)
{
    shaped *s = xcalloc(1, sizeof *s);
    s->text = xstrndup(text, len);
    s->len = len;
    s->spans = xmalloc((nspans ? nspans : 1) * sizeof *spans);
    if (nspans)
        memcpy(s->spans, spans, nspans * sizeof *spans);
    s->nspans = nspans;
    builder b = {.s = s, .caps_limit = opts.vertical ? opts.caps_limit : 0};
    /* JLREQ sets kana and kanji solid, one em each. Noto CJK's kern
     * pairs also tighten full-width kana (プラ, ドす: 0.97 em), which
     * belongs to proportional setting: they apply to Japanese runs only
     * when the style asks for palt or kern. Latin keeps its kerning. */
    bool solid = !features || (!strstr(features, "palt") && !strstr(features, "kern"));
    if (len > 0) {
        GList *items = itemize(f, s->text, len, spans, nspans, features,
                               opts.pango_itemize);
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
            if (opts.vertical)
                shape_vertical(&b, first, length, kerned, features,
                               opts.tcy_limit);
            else
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
