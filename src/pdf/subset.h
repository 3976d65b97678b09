/* Font subsetting ahead of Cairo, private to pdf/ (the type, the
 * editions' set and pdf_fontset_free are pdf.h's).
 *
 * Cairo 1.16 reads and parses a font's whole CFF table twice when it
 * writes a PDF (in cairo_show_page and cairo_surface_finish): about 200 ms
 * for each Noto CJK face, whatever the document draws with it. So before
 * drawing, each face is cut down with HarfBuzz's hb-subset to the glyphs
 * the layout uses, and Cairo is given the small font; it subsets that one
 * again, as it would any font. Glyph ids change in the subset: draw with
 * pdf_fontset_font() and pdf_fontset_glyph(). */
#ifndef KM_PDF_SUBSET_H
#define KM_PDF_SUBSET_H
#include <cairo.h>
#include <pango/pango.h>

#include "layout/layout.h"
#include "pdf/pdf.h"


/* Subsets every face the layout's lines draw with. Never fails: a face
 * that cannot be subset is drawn from the original font. */
pdf_fontset *pdf_fontset_new(const layout *L);
/* The same, with lines drawn beside the layout's own (an edition's). */
pdf_fontset *pdf_fontset_with(const layout *L, const lay_line *const *extra,
                              size_t n);
/* The fonts one page draws with, as they are (for a picture of it): every
 * Pango call is made here, so that the page can then be drawn in another
 * thread with Cairo alone, which opens them with pdf_fontset_open() (the
 * font files' opening, 5-10 ms, is then off the layout's way). */
pdf_fontset *pdf_fontset_page(const lay_page *pg);
void pdf_fontset_open(pdf_fontset *fs);

/* The scaled font to draw `font`'s glyphs with (owned by the set), and
 * the id of `glyph` in it. */
cairo_scaled_font_t *pdf_fontset_font(pdf_fontset *fs, PangoFont *font);
/* The same font turned a quarter anticlockwise: a vertical line's upright
 * glyphs, drawn on the page turned a quarter clockwise (shape_glyph). */
cairo_scaled_font_t *pdf_fontset_upright(pdf_fontset *fs, PangoFont *font);
unsigned pdf_fontset_glyph(const pdf_fontset *fs, PangoFont *font,
                           unsigned glyph);

#endif
