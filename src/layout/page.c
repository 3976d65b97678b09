/* The page store and the grid geometry (see page.h). */
#include <math.h>
#include <string.h>

#include "jp/embox.h"
#include "layout/page.h"
#include "util/xalloc.h"

double layout_grid_y(const style *st, int k)
{
    return style_top(st) + JP_EM_TOP * st->body_size + k * st->pitch;
}

double note_grid_y(const style *st, int k)
{
    return style_top(st) + JP_EM_TOP * st->note_size + k * st->note_pitch;
}

int note_lines_per_page(const style *st)
{
    return (int)floor((style_block_height(st) - st->note_size) / st->note_pitch) + 1;
}

size_t page_new(layout *L, const char *head)
{
    xgrow((void **)&L->pages, &L->cap_pages, L->npages + 1, sizeof *L->pages);
    lay_page *pg = &L->pages[L->npages++];
    memset(pg, 0, sizeof *pg);
    pg->number = (int)L->npages;
    pg->head = head;
    return L->npages - 1;
}

void page_add_line(lay_page *pg, const lay_line *ln)
{
    XPUSH(pg->lines, pg->nlines, pg->cap_lines, *ln);
}

void page_add_rule(lay_page *pg, lay_rule r)
{
    XPUSH(pg->rules, pg->nrules, pg->cap_rules, r);
}

void page_add_image(lay_page *pg, lay_image im)
{
    XPUSH(pg->images, pg->nimages, pg->cap_images, im);
}

void page_add_link(lay_page *pg, lay_link l)
{
    XPUSH(pg->links, pg->nlinks, pg->cap_links, l);
}

void page_add_dest(lay_page *pg, const char *name, double x, double y)
{
    XPUSH(pg->dests, pg->ndests, pg->cap_dests, ((lay_dest){name, x, y}));
}

int layout_add_target(layout *L, const char *uri, const char *dest, int note)
{
    XPUSH(L->targets, L->ntargets, L->cap_targets,
         ((lay_target){uri, dest, note}));
    return (int)L->ntargets - 1;
}

void layout_add_outline(layout *L, const char *title, const char *toc_title,
                        int level, const char *dest, int block, int page,
                        bool in_toc)
{
    int lv = level < 1 ? 1 : level;
    XPUSH(L->outline, L->noutline, L->cap_outline,
         ((lay_outline){title, lv, page, dest}));
    if (in_toc && level <= 2)
        XPUSH(L->toc, L->ntoc, L->cap_toc,
             ((lay_toc_entry){toc_title ? toc_title : title, lv, dest, block,
                              L->noutline - 1}));
}
