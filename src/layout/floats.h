/* Figures and tables into the galley: an image with its caption lines as
 * one float item; a table as its caption and rows, columns sized from
 * their content. Calls para.c and galley.c only: never back into
 * blocks.c, which calls it. */
#ifndef KM_LAYOUT_FLOATS_H
#define KM_LAYOUT_FLOATS_H
#include "layout/galley.h"
#include "layout/para.h"

/* A figure (doc FIGURE node) set in the column from x, `measure` wide. */
void floats_figure(const lay_env *e, galley *g, const doc_node *fig, double x,
                   double measure);

/* A table (doc TABLE node): a blank line, the caption above, the header
 * and body rows with the report rules, a blank line. */
void floats_table(const lay_env *e, galley *g, const doc_node *tbl, double x,
                  double measure);

#endif
