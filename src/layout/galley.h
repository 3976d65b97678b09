/* The galley: the one type between composing (blocks.c, front.c) and the
 * page builder (pagebuild.c). A sequence of items, each taking whole grid
 * lines, made of line boxes that know no page; every box keeps its tree
 * block id and text offset (lay_line.block, .tree_off), so the page map
 * comes out of the page builder. Composers only append; the page builder
 * only reads. */
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

/* A line box and, in a row, the row's grid line it sits on. */
typedef struct gal_box {
    lay_line ln;         /* y is 0: the page builder sets it */
    int row;             /* GAL_ROW: 0-based line within the row */
} gal_box;

typedef struct gal_item {
    gal_kind kind;
    size_t box, nbox;    /* its boxes: galley.boxes[box .. box + nbox) */
    /* GAL_LINE */
    bool check;          /* a new page when no grid line is left (false
                            only for an empty code line, which just
                            advances) */
    int advance;         /* grid lines taken: 1, or 0 when the next item
                            shares the line (a list or note marker) */
    bool drop_at_top;    /* a blank line that a page does not start with */
    const char *dest;    /* a destination on the line, or NULL (borrowed:
                            the layout's arena); at (dest_x, baseline +
                            dest_dy) */
    double dest_x, dest_dy;
    bool has_rule;       /* rule.y0 and y1 relative to the baseline; in
                            a row, to the row's last baseline */
    lay_rule rule;
    int toc;             /* a contents entry: its index (the page map
                            marks it), or -1 */
    /* GAL_HEADING */
    int lines;           /* grid lines it takes, and `before` it unless
                            at a page top */
    int before;
    double lead, size;   /* line advance and size of its text */
    int level;           /* tree level; outline_level relative to the top */
    int outline_level;
    const char *text;    /* borrowed: layout arena or a literal */
    bool sets_head;      /* becomes the running head from here on */
    bool in_toc;         /* listed in the contents */
    int block;           /* tree block id, or -1 */
    /* GAL_ROW */
    int rows;            /* grid lines it takes */
    int keep;            /* grid lines of the rows after it that must
                            share its page (a caption, a header row) */
    bool has_top;        /* top rule: its y0 and y1 relative to the
                            row's first baseline */
    lay_rule top;
    long head_row;       /* a body row: the header row's item, repeated
                            on a new page, or -1 */
    long cont_row;       /* a body row: the caption's item "（続き）"
                            (hidden), or -1 */
    lay_rule close;      /* a body row: the rule that closes the table at
                            a page's foot (relative to its last baseline) */
    bool hidden;         /* not in the flow: only repeated */
    /* GAL_FIGURE: the image (boxes: caption lines, row = caption line) */
    int image;           /* doc.images index */
    double img_x, img_w, img_h;
    /* GAL_GRID */
    bool notes;
    /* GAL_PAGE: the running head from here on, or NULL to keep it */
    const char *head;
} gal_item;

typedef struct galley {
    gal_item *items;
    size_t nitems, cap_items;
    gal_box *boxes;
    size_t nboxes, cap_boxes;
} galley;

/* Appends an item (its boxes are the ones added after it, up to the next
 * item) and returns it; the pointer is good until the next gal_item_add. */
gal_item *gal_item_add(galley *g, gal_kind kind);
/* Adds a box to the last item. */
void gal_box_add(galley *g, const lay_line *ln, int row);
void gal_free(galley *g);

#endif
