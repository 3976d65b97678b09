/* Blocks on the grid (see blocks.h): the tree walked in reading order
 * into galley items. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/blocks.h"
#include "layout/floats.h"
#include "layout/page.h"
#include "util/xalloc.h"

typedef struct blocks {
    const lay_env *e;
    galley *g;
    int depth;          /* list / quote nesting */
    double indent;      /* left indent of the current container, pt */
    int top_level;      /* the highest heading level in the body */
    bool note_grid;     /* composing for the note grid */
    double size;        /* text size on it */
    const doc_node *run_in; /* a run-in heading the next paragraph begins
                               with (同行見出し), or NULL */
} blocks;

/* Composes for the body or the note grid from here on; the page builder
 * switches with it. */
static void use_grid(blocks *b, bool notes)
{
    b->note_grid = notes;
    b->size = notes ? b->e->st->note_size : b->e->st->body_size;
    gal_add(b->g, (gal_item){.kind = GAL_GRID, .as.notes = notes});
}

static double left(blocks *b)
{
    return style_left(b->e->st) + b->indent;
}

static double measure(blocks *b)
{
    return style_measure(b->e->st) - b->indent;
}

/* Indents deeper nesting would give stop where ten characters of measure
 * are left: deep nesting still sets, inside the text block. */
static void indent_by(blocks *b, double pt)
{
    double max = style_measure(b->e->st) - 10 * b->size;
    b->indent = b->indent + pt < max ? b->indent + pt : b->indent;
}

static para_style text_style(blocks *b, double indent_em)
{
    return (para_style){.family = b->e->st->body_font, .size = b->size,
                        .justify = true, .measure = measure(b),
                        .indent = indent_em,
                        .role = b->note_grid ? ROLE_NOTE : ROLE_BODY};
}

/* Each line of p on a grid line of its own; the first one's item is
 * `first` (what else it carries: a destination, an outline entry). */
static void flow_from(blocks *b, const lay_para *p, double x, lay_role role,
                      gal_item first)
{
    for (size_t i = 0; i < p->nlines; i++) {
        gal_add(b->g, i == 0 ? first : (gal_item){.kind = GAL_LINE});
        lay_line ln = para_box(b->e, p, i, x, role);
        gal_box_add(b->g, &ln, 0);
    }
}

static void flow(blocks *b, const lay_para *p, double x, lay_role role)
{
    flow_from(b, p, x, role, (gal_item){.kind = GAL_LINE});
}

/* A marker (list bullet, note number) on the grid line its text starts
 * on: it takes no line of its own. `it` says what else it carries (a
 * destination). */
static void marker(blocks *b, const lay_para *m, double x, lay_role role,
                   gal_item it)
{
    it.kind = GAL_LINE;
    it.as.line.marker = true;
    gal_add(b->g, it);
    if (m->nlines > 0) {
        lay_line ln = para_box(b->e, m, 0, x, role);
        gal_box_add(b->g, &ln, 0);
    }
}

/* A numbered paragraph's number (paragraphs.numbers: head), its
 * destination named p0001 in *dest; NULL when it has none. */
static char *para_number(blocks *b, const doc_node *n, const char **dest)
{
    *dest = NULL;
    if (b->e->st->para_numbers != PARA_NUMBERS_HEAD || n->para_no <= 0 ||
        b->note_grid)
        return NULL;
    char label[64], *name = arena_alloc(b->e->L->a, 16);
    doc_para_label(n->para_no, label, sizeof label);
    doc_para_anchor(n->para_no, name, 16);
    *dest = name;
    return xasprintf("%s", label);
}

static void paragraph(blocks *b, const doc_node *n, double indent_em)
{
    const char *dest;
    char *no = para_number(b, n, &dest);
    para_style ps = text_style(b, no ? 0 : indent_em);
    ps.prefix = no; /* 【０００１】 where the indent was */
    ps.prefix_kept = true;
    lay_para *p = para_make(b->e, n, &ps);
    free(no);
    gal_item first = {.kind = GAL_LINE, .dest = dest,
                      .as.line = {.dest_x = left(b), .dest_dy = -b->size}};
    para_keep *keep = b->e->keep;
    if (!keep || p->nlines < 2) {
        flow_from(b, p, left(b), ps.role, first);
        para_free(p);
        return;
    }
    /* kept: the page builder may set it a line longer or shorter */
    xgrow((void **)&keep->v, &keep->cap, keep->n + 1, sizeof *keep->v);
    keep->v[keep->n++] = (para_kept){p, left(b), ps.role};
    first.as.line.respace = (int)keep->n;
    flow_from(b, p, left(b), ps.role, first);
}

/* A heading's number and a full-width space ("2.1　"), when the style
 * numbers it: in the layout's arena, or NULL. */
static const char *section_prefix(blocks *b, const doc_node *h)
{
    char no[64];
    style_section_number(b->e->st, h->secno, false, no, sizeof no);
    if (!*no)
        return NULL;
    char *p = arena_alloc(b->e->L->a, strlen(no) + 4);
    sprintf(p, "%s\xe3\x80\x80", no);
    return p;
}

/* text (a heading's, or its short form) after its number, if any */
static const char *numbered(blocks *b, const char *no, const char *text)
{
    if (!no || !text)
        return text;
    char *t = arena_alloc(b->e->L->a, strlen(no) + strlen(text) + 1);
    sprintf(t, "%s%s", no, text);
    return t;
}

/* A paragraph that a run-in heading (同行見出し) begins: the heading's
 * text in its face, a full-width space, then the paragraph's; the line
 * carries the heading's destination and outline entry. */
static void run_in_paragraph(blocks *b, const doc_node *n, const doc_node *h)
{
    const style *st = b->e->st;
    const style_heading *hs = style_heading_at(st, b->top_level, h->level);
    arena *a = b->e->L->a;
    char *t = doc_plain_text(h);
    const char *pdest;
    char *no = para_number(b, n, &pdest);
    const char *sec = section_prefix(b, h);
    char *pre = xasprintf("%s%s%s\xe3\x80\x80", no ? no : "", sec ? sec : "", t);
    free(no);
    char *name = arena_alloc(a, 24);
    snprintf(name, 24, "h%d", h->id);
    para_style ps = text_style(b, hs->indent);
    ps.prefix = pre;
    ps.prefix_family = st->heading_font;
    ps.prefix_bold = hs->bold;
    lay_para *p = para_make(b->e, n, &ps);
    flow_from(b, p, left(b), ps.role,
              (gal_item){.kind = GAL_LINE, .dest = name, .block = h->id,
                         .as.line = {.dest_x = left(b), .dest_dy = -b->size,
                                     .dest2 = pdest,
                                     .outline = numbered(b, sec, arena_strdup(a, t)),
                                     .outline_level =
                                         h->level - b->top_level + 1}});
    para_free(p);
    free(pre);
    free(t);
}


static void heading(blocks *b, const doc_node *n, const char *text, int level,
                    const char *dest, bool in_toc)
{
    const style *st = b->e->st;
    b->note_grid = false; /* the page builder puts headings on the body grid */
    b->size = st->body_size;
    const style_heading *hs = style_heading_at(st, b->top_level, level);
    double indent = hs->indent * hs->size;
    const char *no = n ? section_prefix(b, n) : NULL;
    para_style ps = {.family = st->heading_font, .size = hs->size,
                     .bold = hs->bold, .measure = style_measure(st) - indent,
                     .role = ROLE_HEADING, .phrases = true, .prefix = no,
                     .prefix_bold = hs->bold};
    lay_para *p = n ? para_make(b->e, n, &ps)
                    : para_make_text(b->e, text, &ps, -1);
    double lead = hs->size * 1.4;
    int lines = hs->lines;
    int needed = (int)ceil(p->nlines * lead / st->pitch - 1e-6);
    if (needed > lines)
        lines = needed;
    gal_add(b->g, (gal_item){
        .kind = GAL_HEADING, .block = n ? n->id : -1, .dest = dest,
        .as.heading = {.lines = lines, .before = hs->before, .lead = lead,
                       .size = hs->size, .level = level,
                       .outline_level = level - b->top_level + 1,
                       .text = numbered(b, no, text),
                       .short_text = n ? numbered(b, no, n->short_title) : NULL,
                       .sets_head = level <= b->top_level,
                       .in_toc = in_toc}});
    for (size_t i = 0; i < p->nlines; i++) {
        lay_line ln = para_box(b->e, p, i, style_left(st) + indent, ROLE_HEADING);
        ln.level = level;
        gal_box_add(b->g, &ln, 0);
    }
    para_free(p);
}

static void block(blocks *b, const doc_node *n);

static void children(blocks *b, const doc_node *n)
{
    for (const doc_node *ch = n->first; ch; ch = ch->next)
        block(b, ch);
}

/* An item's number in the style's form: "1." -> "12.", "(1)" -> "(12)". */
static void item_number(const style *st, int no, char *out, size_t n)
{
    const char *one = strchr(st->number_format, '1');
    snprintf(out, n, "%.*s%d%s", (int)(one - st->number_format),
             st->number_format, no, one + 1);
}

/* A blank grid line around a list in the body, dropped at a page top. */
static void list_space(blocks *b)
{
    gal_add(b->g, (gal_item){.kind = GAL_LINE,
                             .as.line = {.blank = true, .drop_at_top = true}});
}

/* Blocks that bring their own blank grid line (or a heading's space): a
 * quote beside one adds none. */
static bool spaced_kind(doc_kind k)
{
    return k == DOC_HEADING || k == DOC_LIST || k == DOC_CODEBLOCK ||
           k == DOC_QUOTE;
}

/* Lists the Japanese way: the marker indented one em (a bullet ・, or the
 * numbers flush right in a column as wide as the widest), the text hanging
 * after it from a whole em; in the body a blank grid line before and
 * after the outermost list. */
static void list(blocks *b, const doc_node *n)
{
    const style *st = b->e->st;
    double em = b->size;
    para_style ms = {.family = st->body_font, .size = em, .measure = 10 * em,
                     .role = b->note_grid ? ROLE_NOTE : ROLE_BODY};
    double markw = 0;
    int no = n->start;
    for (const doc_node *it = n->first; it; it = it->next, no++) {
        char mark[48];
        if (n->ordered)
            item_number(st, no, mark, sizeof mark);
        else
            snprintf(mark, sizeof mark, "%s", st->bullet);
        lay_para *m = para_make_text(b->e, mark, &ms, -1);
        double w = para_width(m);
        markw = w > markw ? w : markw;
        para_free(m);
        if (!n->ordered)
            break;
    }
    double lead = b->depth == 0 ? em : 0; /* the outermost list's indent */
    double gap = n->ordered ? em / 2 : 0;
    double hang = ceil((lead + markw + gap) / em - 1e-6) * em;
    /* the blank lines part a list from text, not from a heading's own
     * space (nor from the page's edge: dropped at a page top) */
    bool spaced = b->depth == 0 && !b->note_grid;
    if (spaced && n->prev && n->prev->kind != DOC_HEADING &&
        n->prev->kind != DOC_LIST)
        list_space(b);
    no = n->start;
    for (const doc_node *it = n->first; it; it = it->next, no++) {
        char mark[48];
        if (n->ordered)
            item_number(st, no, mark, sizeof mark);
        else
            snprintf(mark, sizeof mark, "%s", st->bullet);
        double saved = b->indent;
        double base = left(b);
        indent_by(b, hang);
        double text_x = left(b);
        if (text_x - base < hang) /* too deep to indent: no marker room */
            base = text_x - hang;
        b->depth++;
        bool first = true;
        for (const doc_node *c = it->first; c; c = c->next) {
            if (first && c->kind == DOC_PARA) {
                para_style ps = text_style(b, 0);
                lay_para *p = para_make(b->e, c, &ps);
                ms.role = ps.role;
                lay_para *m = para_make_text(b->e, mark, &ms, -1);
                /* numbers end `gap` before the text; a bullet is centred
                 * in the em before it */
                double mx = n->ordered ? text_x - gap - para_width(m)
                                       : text_x - em + (em - para_width(m)) / 2;
                marker(b, m, mx, ps.role, (gal_item){0});
                flow(b, p, text_x, ps.role);
                para_free(m);
                para_free(p);
            } else if (c->kind == DOC_PARA) {
                paragraph(b, c, 1);
            } else {
                block(b, c);
            }
            first = false;
        }
        b->depth--;
        b->indent = saved;
    }
    if (spaced && n->next && n->next->kind != DOC_HEADING)
        list_space(b);
}

static void code_lines(blocks *b, const doc_node *n);

static void code_block(blocks *b, const doc_node *n)
{
    /* a blank grid line parts code from the text around it */
    bool spaced = b->depth == 0 && !b->note_grid;
    if (spaced && n->prev && n->prev->kind != DOC_HEADING)
        list_space(b);
    code_lines(b, n);
    if (spaced && n->next && n->next->kind != DOC_HEADING)
        list_space(b);
}

/* A code line too long for the measure goes on in the next, set 2 em in
 * after the continuation mark (→, drawn, not text); the text of its
 * first part, copied, is the whole source line. */
static void code_line(blocks *b, const lay_para *p, const lay_para *mark,
                      double x, double indent)
{
    for (size_t i = 0; i < p->nlines; i++) {
        gal_add(b->g, (gal_item){.kind = GAL_LINE});
        lay_line ln = para_box(b->e, p, i, i > 0 ? x + indent : x, ROLE_CODE);
        ln.goes_on = i + 1 < p->nlines;
        ln.going_on = i > 0;
        gal_box_add(b->g, &ln, 0);
        if (i > 0 && mark->nlines > 0) {
            lay_line m = para_box(b->e, mark, 0,
                                  x + indent - para_width(mark) - 0.5 * p->jp.cells[0].em,
                                  ROLE_MARK);
            gal_box_add(b->g, &m, 0);
        }
    }
}

static void code_lines(blocks *b, const doc_node *n)
{
    double size = b->size * 0.9, indent = 2 * size;
    para_style ps = {.family = b->e->st->mono_font, .size = size,
                     .measure = measure(b), .role = ROLE_CODE,
                     .cont_indent = indent};
    lay_para *mark = para_make_text(b->e, "\xe2\x86\x92", &ps, -1); /* → */
    const char *s = n->text ? n->text : "";
    size_t len = n->len;
    while (len > 0 && s[len - 1] == '\n')
        len--;
    for (size_t pos = 0; pos <= len;) {
        const char *e = memchr(s + pos, '\n', len - pos);
        size_t l = e ? (size_t)(e - (s + pos)) : len - pos;
        char *line = xstrndup(s + pos, l);
        lay_para *p = para_make_text(b->e, l ? line : " ", &ps, -1);
        p->block = n->id;
        if (p->nlines == 0) /* an empty line: the grid line stays blank */
            gal_add(b->g, (gal_item){.kind = GAL_LINE, .as.line.blank = true});
        code_line(b, p, mark, left(b), indent);
        para_free(p);
        free(line);
        pos += l + 1;
    }
    para_free(mark);
}

static void rule(blocks *b)
{
    const style *st = b->e->st;
    double x0 = style_left(st) + style_measure(st) / 3;
    double dy = -(0.35 * b->size);
    gal_add(b->g, (gal_item){
        .kind = GAL_LINE,
        .as.line = {.has_rule = true,
                    .rule = {x0, dy, x0 + style_measure(st) / 3, dy, 0.5,
                             false}}});
}

static void block(blocks *b, const doc_node *n)
{
    switch (n->kind) {
    case DOC_PARA:
        if (n->prev && n->prev == b->run_in)
            run_in_paragraph(b, n, n->prev);
        else
            paragraph(b, n, b->depth > 0 && n->prev == NULL ? 0 : 1);
        b->run_in = NULL;
        break;
    case DOC_HEADING: {
        if (b->note_grid) { /* a heading inside a note: set as bold text */
            paragraph(b, n, 0);
            break;
        }
        if (style_heading_at(b->e->st, b->top_level, n->level)->run_in &&
            n->next && n->next->kind == DOC_PARA) {
            b->run_in = n; /* set with the paragraph after it */
            break;
        }
        arena *a = b->e->L->a;
        char *t = doc_plain_text(n);
        char *name = arena_alloc(a, 24);
        snprintf(name, 24, "h%d", n->id);
        heading(b, n, arena_strdup(a, t), n->level, name, true);
        free(t);
        break;
    }
    case DOC_LIST:
        list(b, n);
        break;
    case DOC_QUOTE: {
        /* two ems in, and a blank grid line before and after the
         * outermost quote, as lists and code have (where they give none) */
        bool spaced = b->depth == 0 && !b->note_grid;
        if (spaced && n->prev && !spaced_kind(n->prev->kind))
            list_space(b);
        double saved = b->indent;
        indent_by(b, 2 * b->size);
        b->depth++;
        children(b, n);
        b->depth--;
        b->indent = saved;
        if (spaced && n->next &&
            (!spaced_kind(n->next->kind) || n->next->kind == DOC_QUOTE))
            list_space(b);
        break;
    }
    case DOC_CODEBLOCK:
        code_block(b, n);
        break;
    case DOC_HR:
        rule(b);
        break;
    case DOC_TABLE:
        floats_table(b->e, b->g, n, left(b), measure(b));
        break;
    case DOC_FIGURE:
        floats_figure(b->e, b->g, n, left(b), measure(b));
        break;
    default:
        children(b, n);
        break;
    }
}

/* Endnotes (JLREQ 4.2): a new page, the heading, then each note with its
 * number hanging in a 3-em indent so the note line is a whole number of
 * note characters. */
static void notes(blocks *b)
{
    const doc *d = b->e->d;
    if (d->nnotes == 0)
        return;
    const style *st = b->e->st;
    arena *a = b->e->L->a;
    gal_add(b->g, (gal_item){.kind = GAL_PAGE, .as.head = "注"});
    heading(b, NULL, "注", b->top_level, "notes", true);
    use_grid(b, true);
    double hang = 3 * st->note_size;
    for (size_t i = 0; i < d->nnotes; i++) {
        const doc_note *nt = &d->notes[i];
        char num[32], ref[24], name[24];
        snprintf(num, sizeof num, "%d)", nt->number);
        snprintf(ref, sizeof ref, "ref%d", nt->number);
        snprintf(name, sizeof name, "note%d", nt->number);
        int back = layout_add_target(b->e->L, NULL, arena_strdup(a, ref), 0);
        para_style ms = {.family = st->body_font, .size = st->note_size,
                         .measure = hang, .role = ROLE_NOTE};
        lay_para *m = para_make_text(b->e, num, &ms, back);
        double w = para_width(m);
        marker(b, m, style_left(st) + hang - 0.5 * st->note_size - w,
               ROLE_NOTE,
               (gal_item){.dest = arena_strdup(a, name),
                          .as.line = {.dest_x = style_left(st),
                                      .dest_dy = -st->note_size}});
        para_free(m);
        double saved = b->indent;
        b->indent += hang;
        b->depth++;
        for (const doc_node *c = nt->body->first; c; c = c->next) {
            if (c->kind == DOC_PARA)
                paragraph(b, c, 0);
            else
                block(b, c);
        }
        b->depth--;
        b->indent = saved;
    }
}

/* Back matter (a closing 参考資料 section): its heading on the body grid,
 * its contents at note size. It follows the notes on their last page
 * when its heading fits there with lines after it (the page builder's
 * rule for every heading), as a book designer would set it; without
 * notes, the body's last page has the same chance. */
static void back_matter(blocks *b, const doc_node *from)
{
    if (!from)
        return;
    use_grid(b, false);
    block(b, from);
    use_grid(b, true);
    for (const doc_node *n = from->next; n; n = n->next)
        block(b, n);
    use_grid(b, false);
}

void blocks_build(const lay_env *e, galley *g, const doc_node *back)
{
    blocks b = {.e = e, .g = g, .top_level = doc_top_level(e->d)};
    use_grid(&b, false);
    for (const doc_node *n = e->d->root->first; n && n != back; n = n->next)
        block(&b, n);
    notes(&b);
    back_matter(&b, back);
}

void blocks_plain_heading(const lay_env *e, galley *g, const char *text,
                          const char *dest)
{
    blocks b = {.e = e, .g = g, .top_level = doc_top_level(e->d)};
    heading(&b, NULL, text, b.top_level, dest, false);
}
