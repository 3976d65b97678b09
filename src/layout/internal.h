/* Shared by the layout stages (not a public header). */
#ifndef KM_LAYOUT_INTERNAL_H
#define KM_LAYOUT_INTERNAL_H
#include "jp/linebreak.h"
#include "layout/layout.h"

typedef struct lay_ctx {
    const doc *d;
    const style *st;
    fonts *f;
    diag *dg;
    layout *L;
    lay_page *page;     /* the page being filled, or NULL */
    int k;              /* next free body grid line on it */
    const char *head;   /* running head for new pages */
    int depth;          /* list / quote nesting */
    double indent;      /* left indent of the current container, pt */
    int top_level;      /* the highest heading level in the body */
    /* the grid being filled: body lines or the smaller note lines */
    double size;        /* text size on it */
    double pitch;
    int lines;          /* lines per page */
    bool note_grid;
    bool glyph_warnings; /* lay_hooks.glyph_warnings */
    bool *ref_seen;     /* [nnotes + 1]: note n's first reference is placed */
} lay_ctx;

/* How a paragraph is set. */
typedef struct para_style {
    const char *family;
    double size;
    bool bold;
    bool justify;
    double measure;     /* pt */
    double indent;      /* first-line indent in em (a cell of its own) */
    lay_role role;
} para_style;

/* A paragraph shaped and broken into lines. */
typedef struct lay_para {
    shaped *sh;         /* owned by the layout once made */
    jp_line *lines;
    size_t nlines;
    jp_glue *glue;
    jp_para jp;
    size_t *tree_off;   /* per cell: bytes of tree text before it */
    int block;
} lay_para;

/* para.c */
lay_para *para_make(lay_ctx *c, const doc_node *block, const para_style *ps);
lay_para *para_make_text(lay_ctx *c, const char *text, const para_style *ps,
                         int link);
void para_free(lay_para *p);
/* Places line i of p with its left end at x0 and baseline y. */
lay_line *para_place(lay_ctx *c, lay_para *p, size_t i, double x0, double y,
                     lay_role role);
/* Natural width of a one-line text (for right-aligned numbers). */
double para_width(const lay_para *p);

/* paginate.c */
lay_page *page_new(lay_ctx *c);
void page_add_rule(lay_ctx *c, lay_page *pg, lay_rule r);
void page_add_link(lay_ctx *c, lay_page *pg, lay_link l);
void page_add_dest(lay_ctx *c, lay_page *pg, const char *name, double x,
                   double y);
int add_target(lay_ctx *c, const char *uri, const char *dest);

/* blocks.c */
/* The style of a heading at `level` (## takes h2's when the report's top
 * level is ##; otherwise the top level takes h1's). */
const style_heading *heading_style(lay_ctx *c, int level);
void layout_heading(lay_ctx *c, const doc_node *n, const char *text,
                    int level, const char *dest_name);
/* paginate.c: records a heading for the outline and the contents */
void outline_add(lay_ctx *c, const char *title, int level, const char *dest,
                 int block);
void blocks_body(lay_ctx *c, const doc_node *first, const doc_node *stop);
void blocks_notes(lay_ctx *c);
void blocks_back(lay_ctx *c, const doc_node *from);
double note_grid_y(const style *st, int k);
int note_lines_per_page(const style *st);

#endif
