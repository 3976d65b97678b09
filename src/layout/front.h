/* What is not the flow of the text: the title page, the contents (its
 * pages reserved before the body, filled after it through a galley of
 * its own), and the running heads and folios. Calls para.h, blocks.h,
 * galley.h, pagebuild.h and page.h in layout/. */
#ifndef KM_LAYOUT_FRONT_H
#define KM_LAYOUT_FRONT_H
#include "layout/pagebuild.h"
#include "layout/para.h"

void front_title_page(const lay_env *e, pagebuild *b);

/* Appends the blank pages the contents will need, if any; *first is the
 * first one. Returns how many. */
size_t front_reserve_contents(const lay_env *e, size_t *first);
/* Fills them from L->toc, once the body has its page numbers. */
void front_fill_contents(const lay_env *e, pagebuild *b, size_t first,
                         size_t npages);

/* The colophon (奥付), the last page: title, issue date and edition,
 * author, publisher, contact and rights, a block at the page's bottom
 * left on the grid, with room above it for an edition's recipient notice
 * (L->colophon_notice_y). */
void front_colophon(const lay_env *e, pagebuild *b);

/* Running heads and folios on every page but the title page. */
void front_decorate(const lay_env *e, pagebuild *b);

#endif
