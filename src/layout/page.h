/* The page store at the bottom of layout: pages and what is drawn on them,
 * the link targets, the outline and the contents list; and the geometry of
 * the two grids. A leaf: it calls nothing else in layout/. */
#ifndef KM_LAYOUT_PAGE_H
#define KM_LAYOUT_PAGE_H
#include "layout/layout.h"

/* Appends a page numbered after the last one, with running head `head`
 * (borrowed, see lay_page.head). Returns its index: the page array may
 * move, so callers keep indices, not pointers. */
size_t page_new(layout *L, const char *head);
void page_add_line(lay_page *pg, const lay_line *ln);
void page_add_rule(lay_page *pg, lay_rule r);
void page_add_image(lay_page *pg, lay_image im);
void page_add_link(lay_page *pg, lay_link l);
/* `name` is borrowed: a literal or a string in the layout's arena. */
void page_add_dest(lay_page *pg, const char *name, double x, double y);

/* Registers what a span's link points to; returns its index for
 * shape_span.link. `uri` and `dest` are borrowed (document or layout
 * arena). `note` is the note number a reference mark links to, or 0. */
int layout_add_target(layout *L, const char *uri, const char *dest, int note);

/* Records a heading for the PDF outline at 0-based page `page`, and for
 * the contents when `in_toc` and it is at the top two levels, there as
 * `toc_title` (its short form) when not NULL. `level` is already
 * relative: 1 = the top level. */
void layout_add_outline(layout *L, const char *title, const char *toc_title,
                        int level, const char *dest, int block, int page,
                        bool in_toc);

/* Baselines of grid line k (0-based) on the note grid, and its lines. */
double note_grid_y(const style *st, int k);
int note_lines_per_page(const style *st);

#endif
