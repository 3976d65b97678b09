/* Shaping: a styled paragraph -> Pango itemizing and font fallback ->
 * HarfBuzz glyphs (through pango_shape_full) -> the jp cells the
 * composition rules work on, with their glyphs and clusters kept so the
 * PDF's text maps back to the source exactly. */
#ifndef KM_SHAPE_H
#define KM_SHAPE_H
#include <stdbool.h>
#include <stddef.h>

#include "jp/cell.h"
#include "text/fonts.h"

/* A styled stretch of the paragraph text: what it carries. How the
 * whole text is shaped is the call's (shape_opts). */
typedef struct shape_span {
    size_t start, end;   /* bytes of the text */
    const char *family;  /* borrowed */
    double size;         /* pt */
    bool bold;
    bool italic;         /* set italic (a Latin word under emphasis) */
    bool tcy;            /* in vertical text, set upright across the line
                            in one em (縦中横, Denden's ^AI^) */
    double rise;         /* pt, raised above the baseline (note marks) */
    unsigned flags;      /* its cells' flags (jp/cell.h): JP_NOTEREF,
                            JP_URL, JP_NOBREAK, JP_CODE, JP_INDENT */
    int link;            /* index of a link, or -1 */
    int object;          /* 1 + the doc.images index of an inline image
                            set as this span's one cell, or 0 */
    int ruby;            /* 1 + the layout's annotation index of the ruby
                            over this span's cells, or 0 */
    int dots;            /* 1 + the layout's annotation index of the
                            emphasis dot set over each of its cells, or 0 */
    bool strike, under;  /* struck through (a deletion), underlined (an
                            addition): lines the page builder draws */
} shape_span;

typedef struct shape_glyph {
    unsigned id;         /* font glyph index */
    float dx, dy;        /* offset from the cell's origin, pt (dy down) */
    int font;            /* index into shaped.fonts */
    bool draw;           /* false for spaces and controls */
    bool upright;        /* vertical text (shape_opts.vertical): the glyph
                            stands upright in a line that runs down the
                            page. The line is laid out as a horizontal
                            one and the page turned a quarter clockwise,
                            so (dx, dy) is where the glyph's horizontal
                            origin goes in the line's own frame, and it
                            is drawn turned a quarter back. Glyphs
                            without it turn with the line (Latin). */
} shape_glyph;

typedef struct shaped {
    char *text;          /* the paragraph text (owned) */
    size_t len;
    jp_cell *cells;
    size_t ncells;
    size_t *cell_byte;   /* ncells + 1: byte where each cell starts */
    size_t *cell_glyph;  /* ncells + 1: first glyph of each cell */
    int *cell_span;      /* span index of each cell */
    shape_glyph *glyphs;
    size_t nglyphs;
    PangoFont **fonts;   /* referenced */
    size_t nfonts;
    shape_span *spans;   /* copy of the input spans */
    size_t nspans;
    unsigned *hyphen_gid; /* per font: its hyphen's glyph, where a word of
                            this text may be hyphenated (text/hyphen.c),
                            or NULL */
    uint32_t *missing;   /* code points no font could draw */
    size_t nmissing;
} shaped;

/* How a whole text is shaped: the call's options ({0}: a horizontal
 * line, itemized the fast way where it can be). */
typedef struct shape_opts {
    bool vertical;       /* a vertical line (縦組み): Japanese shaped top
                            to bottom with vert/vrt2 and the font's
                            vertical metrics (VORG, vmtx), upright; Latin
                            and long numbers turned with the line
                            (text-orientation: mixed); half-width digit
                            runs up to tcy_limit upright in one em */
    int tcy_limit;       /* with vertical: the longest run of half-width
                            digits set upright (composition.tate-chu-yoko;
                            0: none but tcy spans) */
    int caps_limit;      /* with vertical: the longest run of capitals
                            set upright, a letter an em (composition.
                            upright-capitals, jp_caps_end; 0: none) */
    bool pango_itemize;  /* itemize with pango_itemize, never the fast
                            way (the tests compare the two) */
} shape_opts;

/* Shapes text[0..len) with the spans (which must cover it in order).
 * `features` is an OpenType feature string for every span ("" none).
 * Punctuation is put on its half-width body here (JLREQ 3.1.2). Never
 * NULL; free with shaped_free. */
shaped *shape_text(fonts *f, const char *text, size_t len,
                   const shape_span *spans, size_t nspans,
                   const char *features, shape_opts opts);
void shaped_free(shaped *s);

#endif
