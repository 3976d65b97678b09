/* One paragraph: inline tree -> text with styled spans -> shaped cells ->
 * JLREQ breaks -> line boxes. Knows no page: a box has its cells, their
 * justified positions and its left end; where it goes is the page
 * builder's business. Calls only page.h (link targets) in layout/. */
#ifndef KM_LAYOUT_PARA_H
#define KM_LAYOUT_PARA_H
#include "jp/linebreak.h"
#include "layout/layout.h"

struct lay_para;

/* Paragraphs kept after composing, for the page builder to set again a
 * line longer or shorter (layout.c's respace): each with where its lines
 * start and their role. */
typedef struct para_kept {
    struct lay_para *p;
    double x0;
    lay_role role;
} para_kept;

typedef struct para_keep {
    para_kept *v;
    size_t n, cap;
} para_keep;

/* What composing needs; every field borrowed, nothing here changes. */
typedef struct lay_env {
    const doc *d;
    const style *st;
    fonts *f;
    diag *dg;
    layout *L;           /* its arena, targets and shaped texts */
    const struct hyphenator *hy; /* Latin hyphenation patterns, or NULL */
    struct phraser *ph;  /* phrase segmenter, or NULL */
    bool glyph_warnings; /* lay_hooks.glyph_warnings */
    para_keep *keep;     /* where justified paragraphs are kept, or NULL */
    const int *target_page; /* references.pages: per block id, the printed
                           page of a cross-reference's target as the last
                           pass found it (0: not known), or NULL */
} lay_env;

/* How a paragraph is set. */
typedef struct para_style {
    const char *family;  /* borrowed */
    double size;
    bool bold;
    bool justify;
    double measure;     /* pt */
    double indent;      /* first-line indent in em (a cell of its own) */
    lay_role role;
    bool phrases;       /* a title or heading: break only between phrases
                           (文節), into lines of balanced length */
    const char *prefix; /* text set before the block's (a caption's
                           "図1　", a run-in heading), or NULL */
    const char *prefix_family; /* its face, or NULL: `family` */
    bool prefix_bold;
    bool prefix_kept;   /* the prefix is one unbreakable, unspread word (a
                           paragraph's number, 【０００１】) */
    const char *features; /* OpenType features instead of the style's
                           body.features, or NULL */
    double cont_indent; /* pt: the lines after the first are this much
                           shorter (the caller sets them that far in: a
                           code line's continuation) */
} para_style;

/* A paragraph shaped and broken into lines. */
typedef struct lay_para {
    shaped *sh;         /* owned by the layout (L->paras) once made */
    jp_line *lines;
    size_t nlines;
    jp_glue *glue;
    jp_para jp;
    size_t *tree_off;   /* per cell: bytes of tree text before it */
    int block;          /* tree block id, or -1 */
} lay_para;

/* The paragraph of a tree block, and of a plain string (`link`: a target
 * index or -1). Never NULL; free with para_free. */
lay_para *para_make(const lay_env *e, const doc_node *block,
                    const para_style *ps);
lay_para *para_make_text(const lay_env *e, const char *text,
                         const para_style *ps, int link);
void para_free(lay_para *p);

/* Line i of p as a box with its left end at x0 (y is 0 until placed);
 * its positions live in the layout's arena. */
lay_line para_box(const lay_env *e, const lay_para *p, size_t i, double x0,
                  lay_role role);

/* Natural width of a line, unjustified (for centred and right-aligned
 * text). */
double para_line_width(const lay_para *p, size_t i);
static inline double para_width(const lay_para *p)
{
    return p->nlines ? para_line_width(p, 0) : 0;
}
/* The widest stretch of p no line may break inside (a table column is
 * never narrower). */
double para_min_width(const lay_para *p);

#endif
