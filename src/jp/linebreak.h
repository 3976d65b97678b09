/* Total-fit line breaking for Japanese paragraphs (Knuth-Plass style over
 * JLREQ break opportunities and spacing). Pure: libc only.
 *
 * Bounds: a line is searched back at most JP_MAX_LINE_CELLS cells, so time
 * is O(n * JP_MAX_LINE_CELLS) and memory O(n) for n cells, whatever the
 * text. A paragraph with no breaking that obeys the rules (a word longer
 * than the line) is set first-fit instead, in O(n), breaking where it must
 * and letter-spacing those lines, so a 20,000-character word still sets. */
#ifndef KM_JP_LINEBREAK_H
#define KM_JP_LINEBREAK_H
#include <stdbool.h>
#include <stddef.h>

#include "jp/cell.h"
#include "jp/spacing.h"
#include "style/style.h"

enum { JP_MAX_LINE_CELLS = 4096 };

typedef struct jp_para {
    const jp_cell *cells;
    size_t n;
    double measure;        /* line length, pt */
    double first_measure;  /* the first line's, when it differs (0: same) */
    kinsoku_level kinsoku;
    bool hanging;          /* burasage: 、。 may hang past the measure */
    bool justify;          /* false: ragged (the last line always is) */
    bool solid_jw;         /* no Japanese-Western space (court documents'
                              practice): those gaps only stretch */
} jp_para;

typedef struct jp_line {
    size_t start, end;     /* cells [start, end) */
    double end_aki;        /* space kept after the last cell */
    bool hang;             /* the last cell hangs outside the measure */
    bool last;             /* last line of the paragraph or before a
                              forced break: not justified */
    bool emergency;        /* a break no rule allows had to be taken */
    bool hyphen;           /* ends at a hyphenation point: a hyphen is
                              added (its advance is the last cell's
                              `hyphen`), and x[count] includes it */
} jp_line;

/* The glue between cells i-1 and i for every i in 1..n-1 (g[0] unused).
 * The caller frees the array. */
jp_glue *jp_para_glue(const jp_para *p);

/* Chooses the breaks. Returns the number of lines and stores a new array
 * in *lines (the caller frees it). An empty paragraph has no lines. */
size_t jp_break_lines(const jp_para *p, const jp_glue *glue, jp_line **lines);

/* A breaking into exactly `want` lines, every one within JLREQ's limits
 * (a paragraph set a line longer or shorter, as TeX's \looseness does, to
 * spare a page a widow or a short foot), with its demerits; 0 when there
 * is none. The caller frees *lines. */
size_t jp_break_lines_n(const jp_para *p, const jp_glue *glue, size_t want,
                        jp_line **lines, double *demerits);

/* Positions the cells of one line: x[k] is the left edge of cell
 * line->start + k, and x[count] the right edge of the line, so that every
 * line but the last fills `measure` exactly by JLREQ's priorities.
 * `x` has room for end - start + 1 values. Returns the line's width. */
double jp_justify(const jp_para *p, const jp_glue *glue, const jp_line *line,
                  double measure, double *x);

/* Where a kept number may be parted (JP_SOFT, both cells): after its
 * Japanese prefix (特開|2020-123456), after a hyphen, slash or comma,
 * before a space (EP 1 234|567); a case number (JP_CASE) only after its
 * bracketed symbol (平成30年(ネ)|第10063号). The breaker does so only
 * where keeping it whole would space a line past JLREQ's limits. */
bool jp_soft_point(const jp_cell *a, const jp_cell *b);

/* Would a break between a and b part a number from its counter or its 第
 * (「7|月」, 「31|か月」, 「第|3項」)? Allowed, at a cost (linebreak.c,
 * NUMBER_DEMERITS); a table's column is made wide enough to spare it. */
bool jp_number_split(const jp_cell *a, const jp_cell *b);

#endif
