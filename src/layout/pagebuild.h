/* The page builder: reads a galley and fills pages with it on the grid.
 * It decides every page break (a heading never stands at a page foot,
 * a paragraph leaves no widow or orphan, a table row stays whole unless
 * it is taller than a page and a table that goes on repeats its caption
 * and header), places figures (where they stand, or at the top of the
 * next page while the text goes on; never past a heading), records the
 * outline with page numbers and the page map, and makes the link
 * rectangles and note backlinks of each line it places. Calls only
 * page.h in layout/. */
#ifndef KM_LAYOUT_PAGEBUILD_H
#define KM_LAYOUT_PAGEBUILD_H
#include "layout/galley.h"

typedef struct pagebuild {
    layout *L;           /* borrowed: pages go here */
    const style *st;     /* borrowed */
    size_t nnotes;
    bool *ref_seen;      /* [nnotes + 1]: note n's first reference placed */
    long page;           /* index of the page being filled, or -1 */
    long reserved_end;   /* pages before this index exist already: a
                            new page is the next of them (contents) */
    int k;               /* next free grid line on it */
    const char *head;    /* running head for new pages (borrowed) */
    int top_level;       /* the body's top heading level */
    /* the grid being filled: body lines or the smaller note lines */
    bool note_grid;
    double size, pitch;
    int lines;
    /* the paragraph being placed, for widows and orphans */
    struct {
        const shaped *sh; /* its text (borrowed), or NULL */
        int k, n;         /* lines placed, lines in all */
        int split;        /* the line that must start the next page */
    } para;
    /* figures that did not fit where they stand: the next page starts
     * with them (items of g) */
    const galley *g;
    size_t *pending;
    size_t npending, cap_pending;
    bool repeating;      /* placing a table's caption and header again:
                            they do not begin the page in the page map */
    long weak_from;      /* the first of the pages whose marks deferred
                            figures set, or -1: the next text line sets
                            theirs (the text goes on there in reading
                            order, where the figures stand later) */
    /* the last table row placed: where a table that goes on to the next
     * page gets its closing rule */
    long last_row;       /* its item, or -1 */
    long row_page;
    double row_y;        /* its last baseline */
    /* A paragraph set again in `want` lines, every one within JLREQ's
     * limits (gal_line.respace - 1 is `which`): its line boxes in *lines
     * (the caller frees the array) and the breaking's demerits; returns
     * how many (0: no such breaking). NULL: paragraphs are set as they
     * came. The driver's (layout.c), so that this file calls no composer. */
    size_t (*respace)(void *ctx, int which, size_t want, lay_line **lines,
                      double *demerits);
    void *respace_ctx;
    /* per kept paragraph (gal_line.respace - 1), owned by the driver or
     * NULL: a line count to set it at, as a change (-1, 0, +1), and the
     * page its first line went on */
    const signed char *force;
    long *kept_page;
    /* pages (indices, ascending; the driver's, or NULL) whose foot no
     * paragraph could be respaced to fill: there the page is filled and a
     * widow stands (JLREQ's full text block before the widow rule) */
    const long *widow_ok;
    size_t nwidow_ok;
    /* pages that ended short because of the widow and orphan rules (not
     * before a heading, a float or the notes), in order */
    long *shorts;
    size_t nshorts, cap_shorts;
} pagebuild;

/* A builder that starts a new page for the first line it places. */
void pb_init(pagebuild *b, layout *L, const doc *d, const char *head);
void pb_free(pagebuild *b);
/* The next lines go onto the existing pages first .. first + n - 1, from
 * their top (the contents, laid out after the body). */
void pb_reserved(pagebuild *b, size_t first, size_t n);
/* Places every item of g in order. */
void pb_run(pagebuild *b, const galley *g);
/* Places one box on page `page` with its baseline at y: its links, note
 * backlinks and the page map. Returns the placed line (good until the
 * page gets another). */
lay_line *pb_put(pagebuild *b, size_t page, const lay_line *box, double y);

#endif
