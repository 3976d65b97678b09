/* Layout: the document tree -> shaped, broken, positioned lines on pages.
 * Reads the tree and never changes it; no Cairo here (the pdf backend
 * draws what this module places). Coordinates are pt, y down, origin at
 * the page's top left. */
#ifndef KM_LAYOUT_H
#define KM_LAYOUT_H
#include <stdbool.h>
#include <stddef.h>

#include "doc/doc.h"
#include "style/style.h"
#include "text/fonts.h"
#include "text/shape.h"
#include "util/buf.h"
#include "util/diag.h"

typedef enum lay_role {
    ROLE_BODY,     /* body text on the page grid */
    ROLE_HEADING,
    ROLE_NOTE,     /* endnotes and back matter, on the note grid */
    ROLE_TITLE,    /* the title page */
    ROLE_TOC,      /* table of contents entries (on the grid) */
    ROLE_HEAD,     /* running head */
    ROLE_FOLIO,    /* page number */
    ROLE_CODE,
    ROLE_CAPTION,  /* a figure's or table's caption */
    ROLE_CELL,     /* table text */
    ROLE_RUBY,     /* ruby, or emphasis dots, over a line: drawn, not text
                      (the base copies as it is) */
    ROLE_MARK,     /* a sign drawn, not text: a code line's continuation
                      mark */
} lay_role;

/* An annotation over base cells: a ruby's reading, or the emphasis dot
 * (one, repeated over each character). */
typedef struct lay_annot {
    const shaped *text;  /* shaped at the annotation's size (owned by the
                            layout, in paras) */
    double w;            /* its width */
} lay_annot;

typedef struct lay_line {
    const shaped *sh;   /* the paragraph's shaped text (owned by layout) */
    size_t start, end;  /* its cells on this line */
    double *x;          /* end - start + 1 cell edges from x0 (arena) */
    double x0, y;       /* origin: left end of the line, baseline */
    lay_role role;
    int level;          /* a heading's level in the tree, or 0 */
    int row;            /* a table cell: its row's number in the table,
                           from 1 (the PDF's TR), or 0 */
    bool header_row;    /* a table cell in the header row (TH) */
    int block;          /* id of the tree block it sets, or -1 */
    size_t tree_off;    /* bytes of the block's text before this line */
    bool para_start;    /* the first line of a block */
    bool last;          /* the last line of a block */
    bool goes_on;       /* a code line broken for the measure, which goes
                           on in the next line: its text, copied, is the
                           whole source line */
    bool going_on;      /* the rest of such a line: drawn, not text */
    bool hyphen;        /* ends with an added hyphen: its glyph is
                           sh->hyphen_gid[font of the last cell], its
                           advance the last cell's `hyphen`, and it ends
                           at x[end - start] */
} lay_line;

typedef struct lay_rule {
    double x0, y0, x1, y1, width;
    bool dotted;        /* a leader */
} lay_rule;

/* An image placed on a page (an image of doc.images). */
typedef struct lay_image {
    int image;
    double x, y, w, h;  /* top left and size, pt */
    int block;          /* the figure's tree block */
} lay_image;

typedef struct lay_link {
    double x0, y0, x1, y1;
    const char *uri;    /* external, or NULL (borrowed, as lay_target's) */
    const char *dest;   /* internal destination name, or NULL (borrowed) */
} lay_link;

typedef struct lay_dest {
    const char *name;   /* borrowed: layout arena or a literal */
    double x, y;
} lay_dest;

typedef struct lay_page {
    lay_line *lines;
    size_t nlines, cap_lines;
    lay_rule *rules;
    size_t nrules, cap_rules;
    lay_link *links;
    size_t nlinks, cap_links;
    lay_dest *dests;
    size_t ndests, cap_dests;
    lay_image *images;
    size_t nimages, cap_images;
    int number;         /* printed page number, from 1 */
    const char *head;   /* running head text, or NULL. Borrowed: a string
                           literal, the document's title (document arena)
                           or a heading's text (layout arena); each
                           outlives the layout */
    doc_mark mark;      /* where in the tree the page begins (the page
                           map's entry, layout_page_map) */
    bool has_mark;
} lay_page;

typedef struct lay_outline {
    const char *title;  /* borrowed: layout arena or a literal */
    int level;          /* 1 = top */
    int page;           /* 0-based index */
    const char *dest;   /* borrowed: layout arena or a literal */
} lay_outline;

typedef struct lay_toc_entry {
    const char *title;  /* borrowed, as lay_outline's */
    int level;
    const char *dest;   /* borrowed, as lay_outline's */
    int block;          /* heading block id */
    size_t outline;     /* its outline entry (which has its page) */
} lay_toc_entry;

typedef struct lay_target {
    const char *uri;    /* external link, or NULL (borrowed: document) */
    const char *dest;   /* internal link, or NULL (borrowed: layout arena) */
    int note;           /* a note reference's note number, or 0 */
} lay_target;

typedef struct layout layout;
struct layout {
    arena *a;
    lay_target *targets; /* what each shape_span.link points to */
    size_t ntargets, cap_targets;
    const style *st;    /* the frame it is laid out in (style_turned) */
    double paper_w, paper_h; /* the page as printed, pt */
    lay_page *pages;
    size_t npages, cap_pages;
    lay_outline *outline;
    size_t noutline, cap_outline;
    lay_toc_entry *toc;
    size_t ntoc, cap_toc;
    shaped **paras;     /* every shaped text, freed with the layout */
    size_t nparas, cap_paras;
    lay_annot *annots;  /* what shape_span.ruby and .dots point to */
    size_t nannots, cap_annots;
    /* where an edition's recipient notice goes (layout_edition): on the
     * title page and on the colophon (奥付), baselines; -1: no such page */
    long title_page, colophon_page;
    double title_notice_y, colophon_notice_y;
    /* references.pages: per block id, the printed page a cross-
     * reference's target stands on (0 for the rest), nblocks of them; the
     * page map carries it to the EPUB. NULL when the style shows none */
    int *target_page;
    int ntarget_page;
    struct layout *older; /* an earlier pass the caller's hooks saw, kept
                             until this one is freed */
    /* counters for the benchmark and --timings */
    size_t ncells, nlines, nemergency;
};

/* What a caller may do while the layout goes on. */
typedef struct lay_hooks {
    /* The title page, L->pages[0], is complete and will not change: called
     * before the body is laid out, so that the EPUB can draw its cover
     * from it in another thread meanwhile. */
    void (*title_done)(const layout *L, void *ctx);
    void *ctx;
    /* Warn, at the paragraph's source line, of each character no font can
     * draw: the PDF leaves it blank (an e-reader may have a font for it). */
    bool glyph_warnings;
} lay_hooks;

/* Lays out the whole document: title page, contents, body, notes, back
 * matter. Returns NULL with an error if a font is missing. `hooks` may be
 * NULL. With references.pages and cross-references, it lays out again
 * until each reference's page is its target's (twice, at most four
 * times). */
layout *layout_run(const doc *d, const style *st, fonts *f, diag *dg,
                   const lay_hooks *hooks);
void layout_free(layout *l);

/* Checks the invariants: every line inside the text frame, body baselines
 * on the grid, no heading left at a page foot. Records each violation as
 * an error; returns true when there are none. */
bool layout_check(const layout *l, diag *dg);

/* A client edition's overlay: what one copy has over the pages all copies
 * share, placed by layout_edition; the PDF draws it over them without
 * moving anything. */
enum { LAY_OVERLAY_MAX = 16 };
typedef struct lay_overlay_line {
    lay_line line;      /* placed (x0, y); its cells live in the layout */
    long page;          /* its page's index, or -1: every page... */
    int parity;         /* ...or those whose folio is odd (1) or even (2),
                           or all of them (0) */
} lay_overlay_line;

typedef struct lay_overlay {
    const doc_edition *ed;  /* whose copy (borrowed: the document) */
    lay_overlay_line lines[LAY_OVERLAY_MAX]; /* the marking on every page,
                                the notice on the title page and colophon */
    size_t nlines;
    bool has_watermark;
    lay_line watermark;     /* the page's centre is its origin; drawn light
                               and turned under the text, not text */
    double watermark_w;
} lay_overlay;

/* Places one edition's marking, notices and watermark over the layout's
 * pages (their text shaped with the layout's fonts, their cells kept with
 * the layout). */
void layout_edition(layout *L, const doc *d, fonts *f, const doc_edition *ed,
                    lay_overlay *out);

/* The size a figure is set at: its width (a share of the measure, a
 * length, or its natural size), never wider than the measure nor taller
 * than `max_h` (the text block less its caption), its aspect kept. */
void layout_figure_size(const style *st, const doc_node *fig,
                        const doc_image *im, double *w, double *h);

/* The baseline of body grid line k (0-based) on any page. */
double layout_grid_y(const style *st, int k);

/* The page map of the layout's pages, for the EPUB's page-list (free it
 * with doc_pagemap_free). */
void layout_page_map(const layout *L, doc_pagemap *pm);

/* --dump=lines: every line with its page, position, role and text, and
 * the space after each cell where it is not zero. */
void layout_dump(const layout *l, buf *out);

#endif
