/* The unit the composition rules work on: one shaped cluster of a
 * paragraph (usually one character), with its class and advance. */
#ifndef KM_JP_CELL_H
#define KM_JP_CELL_H
#include <stdint.h>

#include "jp/class.h"

enum jp_cell_flags {
    JP_NOTEREF = 1 << 0,  /* part of a note reference mark (cl-20) */
    JP_URL = 1 << 1,      /* inside a URL: breaks after /, before . ? # & = - _ ~ */
    JP_INDENT = 1 << 2,   /* the paragraph indent: no glyph, no break after */
    JP_FORCED = 1 << 3,   /* a hard line break follows this cell */
    JP_NOBREAK = 1 << 4,  /* code and other runs that keep together */
    JP_SPACE = 1 << 5,    /* a western word space (cl-26) */
    JP_GLUED = 1 << 6,    /* no break before this cell (inside a phrase of
                             a title or heading, or a group ruby's base) */
    JP_CODE = 1 << 7,     /* code: set exactly as written, no space added
                             inside it, its own spaces fixed, its brackets
                             on their full bodies */
    JP_SOFT = 1 << 8,     /* with JP_NOBREAK: a kept number (a patent's,
                             特開2020-123456), parted only where keeping it
                             whole would space a line past JLREQ's limits:
                             after its prefix, a hyphen, slash or comma, or
                             at a space (linebreak.c, BREAK_EMERGENCY) */
    JP_SOLID = 1 << 9,    /* with JP_NOBREAK: a run set solid, its own gaps
                             never spread by justification (a paragraph's
                             number 【０００１】, upright capitals) */
    JP_CASE = 1 << 10,    /* with JP_SOFT: a court's case number, parted
                             only after its bracketed symbol
                             (平成30年(ネ)|第10063号) */
};

typedef struct jp_cell {
    jp_class cls;       /* class of the first code point */
    jp_class cls_last;  /* class of the last code point */
    uint32_t first, last;
    double advance;     /* pt; punctuation already on its half-width body */
    double em;          /* the cell's font size, pt */
    unsigned flags;
    double kern;        /* pt the font's pair kerning puts between this cell
                           and the next (negative: closer); a line that ends
                           here drops it with the rest of the glue */
    double hyphen;      /* a hyphenation point after this cell: the advance
                           of the hyphen a line ending here adds; 0: none */
    double penalty;     /* demerits a line ending here adds: a title's
                           break between phrases that belong together
                           costs (…が|示す); one after its ： is wanted
                           (negative: weighed only when a title's lines
                           are balanced); 0 elsewhere */
} jp_cell;

#endif
