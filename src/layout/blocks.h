/* Blocks on the grid: the tree's paragraphs, headings (gyodori), lists,
 * quotes, code, rules and tables, then the endnotes and the back matter
 * on the smaller note grid, composed into a galley. Knows no page. Calls
 * para.h and galley.h in layout/. */
#ifndef KM_LAYOUT_BLOCKS_H
#define KM_LAYOUT_BLOCKS_H
#include "layout/galley.h"
#include "layout/para.h"

/* Appends the body up to `back` (exclusive; NULL: to the end), the
 * endnotes, and the back matter from `back` on. */
void blocks_build(const lay_env *e, galley *g, const doc_node *back);

/* Appends a heading set from plain `text` (the contents' own heading),
 * at the top level; listed in the outline but not in the contents. */
void blocks_plain_heading(const lay_env *e, galley *g, const char *text,
                          const char *dest);

#endif
