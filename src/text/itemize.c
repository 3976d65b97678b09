/* Itemizing (see itemize.h): the fast itemizer made from Pango's own
 * parts, pango_itemize for the rest, and which neighbouring items may be
 * shaped as one run. */
#include "text/itemize.h"

#include <hb-ot.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

static PangoAttrList *make_attrs(const shape_span *sp, size_t n,
                                 const char *features)
{
    PangoAttrList *al = pango_attr_list_new();
    for (size_t i = 0; i < n; i++) {
        PangoAttribute *a[5];
        int k = 0;
        a[k++] = pango_attr_family_new(sp[i].family);
        a[k++] = pango_attr_size_new_absolute((int)lround(sp[i].size * PANGO_SCALE));
        if (sp[i].bold)
            a[k++] = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        if (sp[i].italic)
            a[k++] = pango_attr_style_new(PANGO_STYLE_ITALIC);
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

/* Pango starts a new item wherever the script changes, and Japanese
 * changes script every two or three characters (漢字, かな, カナ):
 * the report has 5,000 items of three characters, and each costs a
 * HarfBuzz call whose fixed work (plan, buffer, sub-font) is most of the
 * shaping time. Where the font itself does not care (its GSUB and GPOS
 * give Han and kana the same features with the same lookups, as the Noto
 * CJK faces do), neighbouring items of the same font, size and language
 * are one run to it and are shaped in one call. Set solid (below), the
 * glyphs are the ones the separate calls give (tests/check_layout.c
 * compares them); with palt, kana pairs across the seam are kerned too,
 * as the font means them to be. Latin stays apart: Pango gives it
 * another language, and the fonts another language system. */
static const struct {
    PangoScript pango;
    hb_script_t hb;
} neutral[] = {
    {PANGO_SCRIPT_HAN, HB_SCRIPT_HAN},
    {PANGO_SCRIPT_HIRAGANA, HB_SCRIPT_HIRAGANA},
    {PANGO_SCRIPT_KATAKANA, HB_SCRIPT_KATAKANA},
};
#define NNEUTRAL (sizeof neutral / sizeof *neutral)

static bool same_langsys(hb_face_t *face, hb_tag_t table, unsigned a,
                         unsigned la, unsigned b, unsigned lb)
{
    hb_tag_t fa[64], fb[64];
    unsigned ia[64], ib[64];
    unsigned na = 64, nb = 64, nia = 64, nib = 64;
    unsigned ta = hb_ot_layout_language_get_feature_tags(face, table, a, la, 0, &na, fa);
    unsigned tb = hb_ot_layout_language_get_feature_tags(face, table, b, lb, 0, &nb, fb);
    hb_ot_layout_language_get_feature_indexes(face, table, a, la, 0, &nia, ia);
    hb_ot_layout_language_get_feature_indexes(face, table, b, lb, 0, &nib, ib);
    if (ta > 64 || tb > 64 || na != nb || nia != na || nib != nb)
        return false;
    for (unsigned i = 0; i < na; i++) {
        if (fa[i] != fb[i])
            return false;
        unsigned la_[64], lb_[64], nla = 64, nlb = 64;
        unsigned tla = hb_ot_layout_feature_get_lookups(face, table, ia[i], 0, &nla, la_);
        unsigned tlb = hb_ot_layout_feature_get_lookups(face, table, ib[i], 0, &nlb, lb_);
        if (tla > 64 || tlb > 64 || nla != nlb || memcmp(la_, lb_, nla * sizeof *la_))
            return false;
    }
    return true;
}

/* The script index HarfBuzz would pick in the table for a script. */
static unsigned chosen_script(hb_face_t *face, hb_tag_t table, hb_script_t sc)
{
    hb_tag_t tags[HB_OT_MAX_TAGS_PER_SCRIPT];
    unsigned n = HB_OT_MAX_TAGS_PER_SCRIPT;
    hb_ot_tags_from_script_and_language(sc, HB_LANGUAGE_INVALID, &n, tags, NULL, NULL);
    unsigned index = HB_OT_LAYOUT_NO_SCRIPT_INDEX;
    hb_tag_t chosen;
    hb_ot_layout_table_select_script(face, table, n, tags, &index, &chosen);
    return index;
}

/* Do all the neutral scripts select the same language systems, feature
 * for feature and lookup for lookup, in both tables? */
static bool face_script_neutral(hb_face_t *face)
{
    static const hb_tag_t tables[] = {HB_OT_TAG_GSUB, HB_OT_TAG_GPOS};
    for (size_t t = 0; t < 2; t++) {
        unsigned s0 = chosen_script(face, tables[t], neutral[0].hb);
        for (size_t k = 1; k < NNEUTRAL; k++) {
            unsigned s = chosen_script(face, tables[t], neutral[k].hb);
            if (s == s0)
                continue;
            if (s0 == HB_OT_LAYOUT_NO_SCRIPT_INDEX || s == HB_OT_LAYOUT_NO_SCRIPT_INDEX)
                return false;
            hb_tag_t l0[32], l1[32];
            unsigned n0 = 32, n1 = 32;
            if (hb_ot_layout_script_get_language_tags(face, tables[t], s0, 0, &n0, l0) > 32 ||
                hb_ot_layout_script_get_language_tags(face, tables[t], s, 0, &n1, l1) > 32 ||
                n0 != n1 || memcmp(l0, l1, n0 * sizeof *l0))
                return false;
            for (unsigned i = 0; i < n0; i++)
                if (!same_langsys(face, tables[t], s0, i, s, i))
                    return false;
            if (!same_langsys(face, tables[t], s0, HB_OT_LAYOUT_DEFAULT_LANGUAGE_INDEX,
                              s, HB_OT_LAYOUT_DEFAULT_LANGUAGE_INDEX))
                return false;
        }
    }
    return true;
}

/* Cached on the face: 1 neutral, 2 not. */
static hb_user_data_key_t neutral_key;

static bool font_script_neutral(PangoFont *font)
{
    hb_font_t *hf = pango_font_get_hb_font(font);
    hb_face_t *face = hf ? hb_font_get_face(hf) : NULL;
    if (!face)
        return false;
    uintptr_t v = (uintptr_t)hb_face_get_user_data(face, &neutral_key);
    if (!v) {
        v = face_script_neutral(face) ? 1 : 2;
        hb_face_set_user_data(face, &neutral_key, (void *)v, NULL, false);
    }
    return v == 1;
}

bool itemize_neutral_script(PangoScript sc)
{
    for (size_t k = 0; k < NNEUTRAL; k++)
        if (sc == neutral[k].pango)
            return true;
    return false;
}

static bool same_attrs(GSList *a, GSList *b)
{
    for (; a && b; a = a->next, b = b->next)
        if (!pango_attribute_equal(a->data, b->data))
            return false;
    return !a && !b;
}

bool itemize_mergeable(const PangoItem *a, const PangoItem *b)
{
    const PangoAnalysis *x = &a->analysis, *y = &b->analysis;
    return a->offset + a->length == b->offset && x->font == y->font &&
           x->level == y->level && x->gravity == y->gravity &&
           x->flags == y->flags && x->language == y->language &&
           itemize_neutral_script(x->script) && itemize_neutral_script(y->script) &&
           same_attrs(x->extra_attrs, y->extra_attrs) &&
           font_script_neutral(x->font);
}


/* May the fast itemizer take this character (the primary font `hf`
 * covering it where it needs a font)? Right-to-left text, emoji, tabs
 * and line separators are pango_itemize's. */
static bool fast_char(uint32_t cp, hb_font_t *hf)
{
    if ((cp >= 0x0590 && cp <= 0x08ff) || (cp >= 0xfb1d && cp <= 0xfdff) ||
        (cp >= 0xfe70 && cp <= 0xfeff) || (cp >= 0x10800 && cp <= 0x10fff) ||
        (cp >= 0x1e800 && cp <= 0x1efff) || cp == 0x061c || cp == 0x200e ||
        cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
        (cp >= 0x2066 && cp <= 0x2069))
        return false; /* bidi */
    if (cp == 0x200d || cp == 0x20e3 || (cp >= 0x2300 && cp <= 0x2bff) ||
        (cp >= 0xfe00 && cp <= 0xfe0f) || cp >= 0x1f000)
        return false; /* emoji and what may become one */
    if (cp == '\t' || cp == 0x2028)
        return false; /* items of their own in Pango */
    /* what Pango never changes font for */
    GUnicodeType t = g_unichar_type(cp);
    if (t == G_UNICODE_CONTROL || t == G_UNICODE_FORMAT ||
        t == G_UNICODE_LINE_SEPARATOR || t == G_UNICODE_PARAGRAPH_SEPARATOR ||
        (t == G_UNICODE_SPACE_SEPARATOR && cp != 0x1680))
        return true;
    hb_codepoint_t g;
    return hf && hb_font_get_nominal_glyph(hf, cp, &g);
}

static gboolean first_font(PangoFontset *fs, PangoFont *font, gpointer out)
{
    (void)fs;
    *(PangoFont **)out = font;
    return TRUE;
}

/* The items pango_itemize would make, when the text is simple enough to
 * make them here: pango_itemize costs ~2,700 instructions a character,
 * most of it finding, for every character, the font of a fontset that
 * covers it, and starting an item (and a fontset lookup) at each of
 * Japanese's script changes. Here the items are made from Pango's own
 * parts: its script iterator (which settles common characters and
 * brackets as pango_itemize does), the language it derives for a script,
 * and the fontset's first font for the span's description, which must
 * cover every character. Returns NULL, for pango_itemize to do it, when
 * a character is not that font's or is right-to-left, an emoji, a tab,
 * or when the style sets OpenType features. tests/check_layout.c checks
 * that both give the same glyphs on the report and on random text. */
GList *itemize_fast(fonts *f, const char *text, size_t len,
                    const shape_span *spans, size_t nspans,
                    const char *features)
{
    if ((features && *features) || nspans == 0)
        return NULL;
    PangoContext *ctx = fonts_context(f);
    PangoFontMap *map = pango_context_get_font_map(ctx);
    PangoLanguage *lang = pango_context_get_language(ctx);
    PangoLanguage *xx = pango_language_from_string("xx");
    GList *items = NULL;
    PangoItem *cur = NULL;
    PangoScriptIter *si = pango_script_iter_new(text, (int)len);
    const char *ss, *se;
    PangoScript sc;
    pango_script_iter_get_range(si, &ss, &se, &sc);
    typedef struct font_choice {
        const char *family;
        double size;
        bool bold, italic;
        PangoLanguage *lang;
        PangoFont *font;
    } font_choice;
    font_choice cache[8] = {{0}};
    size_t ncache = 0;
    size_t k = 0, pos = 0;
    bool ok = true;
    while (ok && pos < len) {
        /* the run of spans with this span's font description */
        while (k + 1 < nspans && spans[k].end <= pos)
            k++;
        size_t a1 = spans[k].end;
        for (size_t j = k + 1; j < nspans && spans[j].start == a1 &&
             strcmp(spans[j].family, spans[k].family) == 0 &&
             lround(spans[j].size * PANGO_SCALE) == lround(spans[k].size * PANGO_SCALE) &&
             spans[j].bold == spans[k].bold &&
             spans[j].italic == spans[k].italic; j++)
            a1 = spans[j].end;
        if (a1 > len || a1 <= pos)
            a1 = len;
        while ((size_t)(se - text) <= pos && pango_script_iter_next(si))
            pango_script_iter_get_range(si, &ss, &se, &sc);
        size_t end = (size_t)(se - text) < a1 ? (size_t)(se - text) : a1;
        if (end <= pos) {
            ok = false;
            break;
        }
        PangoLanguage *dl = pango_language_includes_script(lang, sc) ? lang
                            : pango_script_get_sample_language(sc);
        if (!dl)
            dl = xx;
        /* the font for (span's description, language): Japanese text
         * switches between two languages (ja, and Latin's) all the time */
        const shape_span *sp = &spans[k];
        bool italic = sp->italic;
        size_t c = 0;
        while (c < ncache && !(cache[c].lang == dl && cache[c].bold == sp->bold &&
                               cache[c].italic == italic &&
                               cache[c].size == sp->size &&
                               strcmp(cache[c].family, sp->family) == 0))
            c++;
        if (c == ncache) {
            PangoFontDescription *desc = pango_font_description_copy(
                pango_context_get_font_description(ctx));
            pango_font_description_set_family(desc, sp->family);
            pango_font_description_set_absolute_size(
                desc, (double)lround(sp->size * PANGO_SCALE));
            if (sp->bold)
                pango_font_description_set_weight(desc, PANGO_WEIGHT_BOLD);
            if (italic)
                pango_font_description_set_style(desc, PANGO_STYLE_ITALIC);
            PangoFontset *fs = pango_font_map_load_fontset(map, ctx, desc, dl);
            pango_font_description_free(desc);
            PangoFont *first = NULL;
            if (fs)
                pango_fontset_foreach(fs, first_font, &first);
            c = ncache < sizeof cache / sizeof *cache ? ncache++ : 0;
            if (cache[c].font)
                g_object_unref(cache[c].font);
            cache[c] = (font_choice){sp->family, sp->size, sp->bold, italic, dl,
                                     first ? g_object_ref(first) : NULL};
            if (fs)
                g_object_unref(fs);
        }
        PangoFont *font = cache[c].font;
        hb_font_t *hf = font ? pango_font_get_hb_font(font) : NULL;
        for (size_t i = pos; ok && i < end;) {
            uint32_t cp;
            int n = utf8_decode(text + i, end - i, &cp);
            i += n > 0 ? (size_t)n : 1;
            ok = n > 0 && fast_char(cp, hf);
        }
        if (!ok || !font)
            break;
        if (cur && cur->analysis.font == font && cur->analysis.script == sc &&
            cur->analysis.language == dl) {
            cur->length += (int)(end - pos);
        } else {
            cur = pango_item_new();
            cur->offset = (int)pos;
            cur->length = (int)(end - pos);
            cur->analysis.font = g_object_ref(font);
            cur->analysis.script = (guint8)sc;
            cur->analysis.language = dl;
            cur->analysis.gravity = PANGO_GRAVITY_SOUTH;
            items = g_list_prepend(items, cur);
        }
        pos = end;
    }
    pango_script_iter_free(si);
    for (size_t c = 0; c < ncache; c++)
        if (cache[c].font)
            g_object_unref(cache[c].font);
    if (!ok || pos < len) {
        g_list_free_full(items, (GDestroyNotify)pango_item_free);
        return NULL;
    }
    items = g_list_reverse(items);
    for (GList *l = items; l; l = l->next) {
        PangoItem *it = l->data;
        it->num_chars = (int)g_utf8_strlen(text + it->offset, it->length);
    }
    return items;
}

GList *itemize(fonts *f, const char *text, size_t len,
              const shape_span *spans, size_t nspans, const char *features,
              bool pango_only)
{
    GList *items = pango_only ? NULL
                              : itemize_fast(f, text, len, spans, nspans, features);
    if (!items) {
        PangoAttrList *al = make_attrs(spans, nspans, features);
        items = pango_itemize(fonts_context(f), text, 0, (int)len, al, NULL);
        pango_attr_list_unref(al);
    }
    return items;
}
