/* The galley's storage (see galley.h). */
#include <stdlib.h>

#include "layout/galley.h"
#include "util/xalloc.h"

size_t gal_add(galley *g, gal_item it)
{
    xgrow((void **)&g->items, &g->cap_items, g->nitems + 1, sizeof *g->items);
    it.box = g->nboxes;
    it.nbox = 0;
    g->items[g->nitems] = it;
    return g->nitems++;
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
