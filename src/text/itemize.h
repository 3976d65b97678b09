/* Itemizing a styled paragraph: where the script, language and font
 * change (the items HarfBuzz shapes one by one), and which neighbouring
 * items may be shaped in one call all the same. */
#ifndef KM_ITEMIZE_H
#define KM_ITEMIZE_H
#include <pango/pango.h>
#include <stdbool.h>

#include "text/fonts.h"
#include "text/shape.h"

/* The items of text[0..len), a list of PangoItem the caller frees
 * (g_list_free_full with pango_item_free). They are made from Pango's
 * parts (its script iterator, derived languages and the fontset's first
 * font) when that font covers every character and the style sets no
 * OpenType features, and by pango_itemize otherwise or when `pango_only`
 * (the tests compare the two). Never NULL for len > 0. */
GList *itemize(fonts *f, const char *text, size_t len,
               const shape_span *spans, size_t nspans, const char *features,
               bool pango_only);

/* The fast way alone: NULL where it does not apply (a character the
 * span's first font lacks, right-to-left text, an emoji, a tab, any
 * OpenType feature, or no text). */
GList *itemize_fast(fonts *f, const char *text, size_t len,
                    const shape_span *spans, size_t nspans,
                    const char *features);

/* Han, hiragana and katakana: the scripts Japanese text changes between
 * every few characters. */
bool itemize_neutral_script(PangoScript sc);

/* May item b, just after a, be shaped in one run with it: same font,
 * size, language and attributes, both of a neutral script, and a font
 * whose GSUB and GPOS treat those scripts alike? */
bool itemize_mergeable(const PangoItem *a, const PangoItem *b);

#endif
