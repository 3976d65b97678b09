/* The galley's storage (see galley.h). */
#include <stdlib.h>

#include "layout/galley.h"
#include "util/xalloc.h"

gal_item *gal_item_add(galley *g, gal_kind kind)
{
    xgrow((void **)&g->items, &g->cap_items, g->nitems + 1, sizeof *g->items);
    gal_item *it = &g->items[g->nitems++];
    *it = (gal_item){.kind = kind, .box = g->nboxes, .check = true,
                     .advance = 1, .toc = -1, .block = -1,
                     .head_row = -1, .cont_row = -1, .image = -1};
    return it;
}

void gal_box_add(galley *g, const lay_line *ln, int row)
{
    xgrow((void **)&g->boxes, &g->cap_boxes, g->nboxes + 1, sizeof *g->boxes);
    g->boxes[g->nboxes++] = (gal_box){*ln, row};
    g->items[g->nitems - 1].nbox++;
}

void gal_free(galley *g)
{
    if (!g)
        return;
    free(g->items);
    free(g->boxes);
    *g = (galley){0};
}
