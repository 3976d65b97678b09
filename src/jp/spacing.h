/* Spacing (aki) between adjacent characters: JLREQ 3.1.4-3.1.6 and
 * Appendix B (Table 1), with the shrink and stretch each space allows in
 * justification (JLREQ 3.8, JIS X 4051 Tables 4 and 6). Pure: libc only. */
#ifndef KM_JP_SPACING_H
#define KM_JP_SPACING_H
#include "jp/cell.h"

/* Priorities, applied in order (JLREQ 3.8.3 Table 3 for shrinking, JIS X
 * 4051 Table 6 for stretching). */
enum {
    JP_SHRINK_WORDSPACE, /* word spaces 1/3 -> 1/4 em */
    JP_SHRINK_MIDDOT,    /* 1/4 around middle dots -> 0 */
    JP_SHRINK_BRACKET,   /* 1/2 before cl-01, after cl-02/07 -> 0 */
    JP_SHRINK_JW,        /* Japanese-Western 1/4 -> 1/8 em */
    JP_SHRINK_LEVELS
};
enum {
    JP_STRETCH_WORDSPACE, /* word spaces 1/3 -> 1/2 em */
    JP_STRETCH_JW,        /* Japanese-Western 1/4 -> 1/2 em */
    JP_STRETCH_SEPARABLE, /* other breakable, separable gaps: + 1/4 em */
    JP_STRETCH_FILL,      /* then equally at every separable gap */
    JP_STRETCH_LEVELS
};

typedef struct jp_glue {
    double width;                      /* natural space, pt */
    double shrink[JP_SHRINK_LEVELS];   /* pt that may be taken away */
    double stretch[JP_STRETCH_LEVELS]; /* pt that may be added; FILL is a
                                          weight (0 or 1), not pt */
    unsigned char jw;                  /* 1: a Japanese-Western space */
} jp_glue;

/* The space between cells a and b in the middle of a line. */
void jp_glue_between(const jp_cell *a, const jp_cell *b, jp_glue *g);

/* The space after the last cell of a line that JLREQ keeps there by
 * preference (1/2 after cl-02, cl-06, cl-07; 1/4 after cl-05). The line
 * breaker takes it all or none (JLREQ 3.8.3 Table 3, item 2). */
double jp_end_aki(const jp_cell *last);

#endif
