/* Blocks on the grid: paragraphs, headings (gyodori), lists, quotes, code,
 * rules and tables for the body; the endnotes and back matter on the
 * smaller note grid. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/internal.h"
#include "util/xalloc.h"

double note_grid_y(const style *st, int k)
{
    return style_top(st) + 0.88 * st->note_size + k * st->note_pitch;
}

int note_lines_per_page(const style *st)
{
    return (int)floor((style_block_height(st) - st->note_size) / st->note_pitch) + 1;
}

static double grid_y(lay_ctx *c, int k)
{
    return c->note_grid ? note_grid_y(c->st, k) : layout_grid_y(c->st, k);
}

/* Switches between the body and the note grid, keeping the next free
 * position on the page. */
static void use_grid(lay_ctx *c, bool notes)
{
    if (c->note_grid == notes && c->pitch > 0)
        return;
    const style *st = c->st;
    double used = c->page ? c->k * c->pitch : 0; /* from the block top */
    c->note_grid = notes;
    c->size = notes ? st->note_size : st->body_size;
    c->pitch = notes ? st->note_pitch : st->pitch;
    c->lines = notes ? note_lines_per_page(st) : st->lines_per_page;
    c->k = (int)ceil(used / c->pitch - 1e-6);
}

static void need_lines(lay_ctx *c, int n)
{
    if (!c->page || c->k + n > c->lines) {
        c->page = page_new(c);
        c->k = 0;
    }
}

static double left(lay_ctx *c)
{
    return style_left(c->st) + c->indent;
}

static double measure(lay_ctx *c)
{
    return style_measure(c->st) - c->indent;
}

/* Indents deeper nesting would give stop where ten characters of measure
 * are left: deep nesting still sets, inside the text block. */
static void indent_by(lay_ctx *c, double pt)
{
    double max = style_measure(c->st) - 10 * c->size;
    c->indent = c->indent + pt < max ? c->indent + pt : c->indent;
}

static para_style text_style(lay_ctx *c, double indent_em)
{
    return (para_style){c->st->body_font, c->size, false, true, measure(c),
                        indent_em, c->note_grid ? ROLE_NOTE : ROLE_BODY};
}

/* Sets the lines of p one grid line each from line `from` on. */
static void flow(lay_ctx *c, lay_para *p, double x, lay_role role)
{
    for (size_t i = 0; i < p->nlines; i++) {
        need_lines(c, 1);
        para_place(c, p, i, x, grid_y(c, c->k), role);
        c->k++;
    }
}

static void paragraph(lay_ctx *c, const doc_node *n, double indent_em)
{
    para_style ps = text_style(c, indent_em);
    lay_para *p = para_make(c, n, &ps);
    flow(c, p, left(c), ps.role);
    para_free(p);
}

const style_heading *heading_style(lay_ctx *c, int level)
{
    int i = level - c->top_level + 1; /* the top level gets h1's... */
    if (c->top_level > 1)
        i = level; /* ...unless the report starts at ##: keep h2 for ## */
    if (i < 1)
        i = 1;
    return &c->st->heading[(i > STYLE_HEADING_LEVELS ? STYLE_HEADING_LEVELS : i) - 1];
}


void layout_heading(lay_ctx *c, const doc_node *n, const char *text,
                    int level, const char *dest_name)
{
    const style *st = c->st;
    use_grid(c, false);
    const style_heading *hs = heading_style(c, level);
    para_style ps = {st->heading_font, hs->size, true, false,
                     style_measure(st), 0, ROLE_HEADING};
    lay_para *p = n ? para_make(c, n, &ps) : para_make_text(c, text, &ps, -1);
    double lead = hs->size * 1.4;
    int lines = hs->lines;
    int needed = (int)ceil(p->nlines * lead / st->pitch - 1e-6);
    if (needed > lines)
        lines = needed;
    int before = c->page && c->k > 0 ? hs->before : 0;
    /* a heading never stands at a page foot without two lines after it */
    if (!c->page || c->k + before + lines + 2 > c->lines) {
        c->page = page_new(c);
        c->k = 0;
        before = 0;
    }
    c->k += before;
    double gap = st->pitch - st->body_size;
    double area_top = layout_grid_y(st, c->k) - 0.88 * st->body_size - gap / 2;
    double area_h = lines * st->pitch;
    double y = area_top + (area_h - p->nlines * lead) / 2 + (lead - hs->size) / 2 +
               0.88 * hs->size;
    if (level <= c->top_level) {
        c->head = text;
        if (c->k == 0)
            c->page->head = text;
    }
    page_add_dest(c, c->page, dest_name, style_left(st), area_top);
    for (size_t i = 0; i < p->nlines; i++) {
        lay_line *ln = para_place(c, p, i, style_left(st), y + i * lead,
                                  ROLE_HEADING);
        ln->level = level;
    }
    outline_add(c, text, level, dest_name, n ? n->id : -1);
    c->k += lines;
    para_free(p);
}

static void block(lay_ctx *c, const doc_node *n);

static void children(lay_ctx *c, const doc_node *n)
{
    for (const doc_node *ch = n->first; ch; ch = ch->next)
        block(c, ch);
}

static void list(lay_ctx *c, const doc_node *n)
{
    int count = 0;
    for (const doc_node *it = n->first; it; it = it->next)
        count++;
    int last_no = n->start + count - 1;
    /* the text hangs 2 em: clear of the 1-em paragraph indent, so an item's
     * last line never reads as running on into the next paragraph */
    double hang_em = last_no >= 100 ? 3 : 2;
    double hang = hang_em * c->size;
    int no = n->start;
    for (const doc_node *it = n->first; it; it = it->next, no++) {
        char mark[32];
        if (n->ordered)
            snprintf(mark, sizeof mark, "%d.", no);
        else
            snprintf(mark, sizeof mark, "\xe2\x80\xa2"); /* • */
        double saved = c->indent;
        double marker_x = left(c);
        indent_by(c, hang);
        if (left(c) - marker_x < hang) /* too deep to indent: no marker room */
            marker_x = left(c) - hang;
        c->depth++;
        bool first = true;
        for (const doc_node *b = it->first; b; b = b->next) {
            if (first && b->kind == DOC_PARA) {
                para_style ps = text_style(c, 0);
                lay_para *p = para_make(c, b, &ps);
                para_style ms = {c->st->body_font, c->size, false, false, hang,
                                 0, ps.role};
                lay_para *m = para_make_text(c, mark, &ms, -1);
                need_lines(c, 1);
                if (m->nlines > 0)
                    para_place(c, m, 0, marker_x, grid_y(c, c->k), ps.role);
                flow(c, p, left(c), ps.role);
                para_free(m);
                para_free(p);
            } else if (b->kind == DOC_PARA) {
                paragraph(c, b, 1);
            } else {
                block(c, b);
            }
            first = false;
        }
        c->depth--;
        c->indent = saved;
    }
}

static void code_block(lay_ctx *c, const doc_node *n)
{
    para_style ps = {c->st->mono_font, c->size * 0.9, false, false,
                     measure(c), 0, ROLE_CODE};
    const char *s = n->text ? n->text : "";
    size_t len = n->len;
    while (len > 0 && s[len - 1] == '\n')
        len--;
    for (size_t pos = 0; pos <= len;) {
        const char *e = memchr(s + pos, '\n', len - pos);
        size_t l = e ? (size_t)(e - (s + pos)) : len - pos;
        char *line = xstrndup(s + pos, l);
        lay_para *p = para_make_text(c, l ? line : " ", &ps, -1);
        p->block = n->id;
        if (p->nlines == 0)
            c->k++;
        flow(c, p, left(c), ROLE_CODE);
        para_free(p);
        free(line);
        pos += l + 1;
    }
}

static void rule(lay_ctx *c)
{
    need_lines(c, 1);
    double y = grid_y(c, c->k) - 0.35 * c->size;
    double x0 = style_left(c->st) + style_measure(c->st) / 3;
    page_add_rule(c, c->page, (lay_rule){x0, y, x0 + style_measure(c->st) / 3,
                                         y, 0.5, false});
    c->k++;
}

static void table(lay_ctx *c, const doc_node *n)
{
    int cols = 0;
    for (const doc_node *cell = n->first ? n->first->first : NULL; cell;
         cell = cell->next)
        cols++;
    if (cols == 0)
        return;
    double colw = measure(c) / cols;
    for (const doc_node *row = n->first; row; row = row->next) {
        lay_para *ps[64];
        int nc = 0, rows = 1;
        for (const doc_node *cell = row->first; cell && nc < 64; cell = cell->next) {
            para_style st = {c->st->body_font, c->size * 0.9, row->header,
                             false, colw - c->size, 0, ROLE_CODE};
            ps[nc] = para_make(c, cell, &st);
            if ((int)ps[nc]->nlines > rows)
                rows = (int)ps[nc]->nlines;
            nc++;
        }
        need_lines(c, rows < c->lines ? rows : 1);
        int k0 = c->k;
        for (int i = 0; i < nc; i++) {
            c->k = k0;
            flow(c, ps[i], left(c) + i * colw, ROLE_CODE);
            para_free(ps[i]);
        }
        c->k = k0 + rows;
        double y = grid_y(c, c->k - 1) + 0.5 * c->size;
        page_add_rule(c, c->page, (lay_rule){left(c), y, left(c) + measure(c),
                                             y, 0.3, false});
    }
}

static void block(lay_ctx *c, const doc_node *n)
{
    switch (n->kind) {
    case DOC_PARA:
        paragraph(c, n, c->depth > 0 && n->prev == NULL ? 0 : 1);
        break;
    case DOC_HEADING: {
        if (c->note_grid) { /* a heading inside a note: set as bold text */
            paragraph(c, n, 0);
            break;
        }
        char *t = doc_plain_text(n);
        char *name = arena_alloc(c->L->a, 24);
        snprintf(name, 24, "h%d", n->id);
        layout_heading(c, n, arena_strdup(c->L->a, t), n->level, name);
        free(t);
        break;
    }
    case DOC_LIST:
        list(c, n);
        break;
    case DOC_QUOTE: {
        double saved = c->indent;
        indent_by(c, 2 * c->size);
        c->depth++;
        children(c, n);
        c->depth--;
        c->indent = saved;
        break;
    }
    case DOC_CODEBLOCK:
        code_block(c, n);
        break;
    case DOC_HR:
        rule(c);
        break;
    case DOC_TABLE:
        table(c, n);
        break;
    default:
        children(c, n);
        break;
    }
}

void blocks_body(lay_ctx *c, const doc_node *first, const doc_node *stop)
{
    use_grid(c, false);
    for (const doc_node *n = first; n && n != stop; n = n->next)
        block(c, n);
}

/* Endnotes (JLREQ 4.2): a new page, the heading, then each note with its
 * number hanging in a 3-em indent so the note line is a whole number of
 * note characters. */
void blocks_notes(lay_ctx *c)
{
    const doc *d = c->d;
    if (d->nnotes == 0)
        return;
    const style *st = c->st;
    c->page = NULL;
    c->head = "注";
    layout_heading(c, NULL, "注", c->top_level, "notes");
    use_grid(c, true);
    double hang = 3 * st->note_size;
    for (size_t i = 0; i < d->nnotes; i++) {
        const doc_note *nt = &d->notes[i];
        char num[32], ref[24], name[24];
        snprintf(num, sizeof num, "%d)", nt->number);
        snprintf(ref, sizeof ref, "ref%d", nt->number);
        snprintf(name, sizeof name, "note%d", nt->number);
        int back = add_target(c, NULL, arena_strdup(c->L->a, ref));
        para_style ms = {st->body_font, st->note_size, false, false, hang, 0,
                         ROLE_NOTE};
        lay_para *m = para_make_text(c, num, &ms, back);
        need_lines(c, 1);
        double w = para_width(m);
        page_add_dest(c, c->page, arena_strdup(c->L->a, name), style_left(st),
                      note_grid_y(st, c->k) - st->note_size);
        if (m->nlines > 0)
            para_place(c, m, 0, style_left(st) + hang - 0.5 * st->note_size - w,
                       note_grid_y(st, c->k), ROLE_NOTE);
        para_free(m);
        double saved = c->indent;
        c->indent += hang;
        c->depth++;
        for (const doc_node *b = nt->body->first; b; b = b->next) {
            if (b->kind == DOC_PARA)
                paragraph(c, b, 0);
            else
                block(c, b);
        }
        c->depth--;
        c->indent = saved;
    }
}

/* Back matter (a closing 参考資料 section): its heading on the body grid,
 * its contents at note size. */
void blocks_back(lay_ctx *c, const doc_node *from)
{
    if (!from)
        return;
    c->page = NULL;
    use_grid(c, false);
    block(c, from);
    use_grid(c, true);
    for (const doc_node *n = from->next; n; n = n->next)
        block(c, n);
    use_grid(c, false);
}
