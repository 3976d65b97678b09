/* The galley: the one type between composing (blocks.c, front.c) and the
 * page builder (pagebuild.c). A sequence of items, each taking whole grid
 * lines, made of line boxes that know no page; every box keeps its tree
 * block id and text offset (lay_line.block, .tree_off), so the page map
 * comes out of the page builder. Composers only append; the page builder
 * only reads.
 *
 * Which calls move the arrays: gal_add() may move `items`, gal_box_add()
 * may move `boxes`. Nothing outside this file keeps a pointer into either
 * while composing: gal_add() takes the whole item by value and returns its
 * index, and gal_at() gives the item at an index for the one statement
 * that uses it. Once composing is over the galley does not change, and
 * the page builder may hold pointers into it. */
#ifndef KM_LAYOUT_GALLEY_H
#define KM_LAYOUT_GALLEY_H
#include "layout/layout.h"

typedef enum gal_kind {
    GAL_LINE,    /* boxes on one grid line: a line of text, a marker with
                    it, a rule, a contents entry */
    GAL_HEADING, /* a heading: its boxes centred in whole grid lines */
    GAL_ROW,     /* a table row (or a table's caption): its cells side by
                    side, rules above and under it */
    GAL_FIGURE,  /* an image and its caption lines: a float */
    GAL_GRID,    /* switch to the body grid or to the note grid */
    GAL_PAGE,    /* what follows starts a new page */
} gal_kind;

/* A line box and, in a row or a figure, the grid line it sits on: 0-based
 * within the row, or the caption line under the image. */
typedef struct gal_box {
    lay_line ln;         /* y is 0: the page builder sets it */
    int row;
} gal_box;

typedef struct gal_line {
    bool blank;          /* an empty grid line: it only advances, and
                            never starts a page (an empty code line, the
                            space around a list) */
    bool marker;         /* takes no grid line: the next item's first line
                            is its line (a list or note marker) */
    bool drop_at_top;    /* a blank line that a page does not start with */
    double dest_x, dest_dy; /* where gal_item.dest goes: (dest_x,
                            baseline + dest_dy) */
    bool has_rule;       /* rule.y0 and y1 relative to the baseline */
    lay_rule rule;
    bool is_toc;         /* a contents entry: `toc` is its index (the page
                            map marks it) */
    int toc;
    const char *outline; /* a run-in heading's outline entry (at `dest`),
                            or NULL (borrowed: the layout's arena) */
    const char *dest2;   /* a second destination at dest's place: the
                            paragraph's (p0001) when a run-in heading,
                            whose is `dest`, begins it; or NULL */
    int outline_level;
    int respace;         /* a paragraph's first line: 1 + the paragraph's
                            number for pagebuild.respace (set a line
                            longer or shorter), or 0 */
} gal_line;

typedef struct gal_heading {
    int lines;           /* grid lines it takes, and `before` it unless
                            at a page top */
    int before;
    double lead, size;   /* line advance and size of its text */
    int level;           /* tree level; outline_level relative to the top */
    int outline_level;
    const char *text;    /* borrowed: layout arena or a literal */
    const char *short_text; /* its short form for the contents and the
                            running heads, or NULL (borrowed: document) */
    bool sets_head;      /* becomes the running head from here on */
    bool in_toc;         /* listed in the contents */
} gal_heading;

typedef struct gal_row {
    int rows;            /* grid lines it takes */
    int keep;            /* grid lines of the rows after it that must
                            share its page (a caption, a header row) */
    bool has_top;        /* top rule: its y0 and y1 relative to the
                            row's first baseline */
    lay_rule top;
    bool has_rule;       /* the rule under it, relative to its last
                            baseline */
    lay_rule rule;
    long head_row;       /* a body row: the header row's item, repeated
                            on a new page, or -1 */
    long cont_row;       /* a body row: the caption's item "（続き）"
                            (hidden), or -1 */
    lay_rule close;      /* a body row: the rule that closes the table at
                            a page's foot (relative to its last baseline) */
} gal_row;

typedef struct gal_figure {
    int image;           /* doc.images index */
    double x, w, h;      /* the image's left end and size, pt */
} gal_figure;

typedef struct gal_item {
    gal_kind kind;
    size_t box, nbox;    /* its boxes: galley.boxes[box .. box + nbox);
                            set by gal_add and gal_box_add */
    int block;           /* tree block id, or -1 (headings, figures,
                            captions) */
    const char *dest;    /* a destination it carries, or NULL (borrowed:
                            the layout's arena or the document's) */
    bool hidden;         /* not in the flow: only repeated (a continued
                            table's caption) */
    union {
        gal_line line;       /* GAL_LINE */
        gal_heading heading; /* GAL_HEADING */
        gal_row row;         /* GAL_ROW */
        gal_figure figure;   /* GAL_FIGURE */
        bool notes;          /* GAL_GRID: the note grid, else the body's */
        const char *head;    /* GAL_PAGE: the running head from here on,
                                or NULL to keep it */
    } as;
} gal_item;

typedef struct galley {
    gal_item *items;
    size_t nitems, cap_items;
    gal_box *boxes;
    size_t nboxes, cap_boxes;
} galley;

/* Appends `it` (its box and nbox are set here: its boxes are the ones
 * gal_box_add adds after it, up to the next item). Returns its index. */
size_t gal_add(galley *g, gal_item it);
/* The item at index i: good until the next gal_add. */
static inline gal_item *gal_at(galley *g, size_t i)
{
    return &g->items[i];
}
/* Adds a box to the last item. */
void gal_box_add(galley *g, const lay_line *ln, int row);
void gal_free(galley *g);

#endif
