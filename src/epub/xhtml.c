/* Content documents: the title page, the printed contents, one file per
 * top-level section, and the notes. Written through xml.h, so the
 * escaping is libxml2's, never ours, and no writer call goes unchecked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epub/internal.h"
#include "image/image.h"
#include "jp/class.h"
#include "jp/kinsoku.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* RFC 3986: keep unreserved and reserved characters and %, escape the rest
 * (non-ASCII, spaces, | and the like) as UTF-8 %XX. [ and ] are allowed
 * only around an IPv6 host; anywhere else they are escaped too. */
char *epub_url(const char *url)
{
    buf b = {0};
    const char *host = strstr(url, "://");
    const char *ip6_end = NULL;
    if (host && host[3] == '[')
        ip6_end = strchr(host + 3, ']');
    for (const char *q = url; *q; q++) {
        unsigned char c = (unsigned char)*q;
        bool in_ip6 = ip6_end && q >= host + 3 && q <= ip6_end;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || strchr("-._~:/?#@!$&'()*+,;=%", c) ||
            (in_ip6 && (c == '[' || c == ']')))
            buf_putc(&b, (char)c);
        else
            buf_printf(&b, "%%%02X", c);
    }
    return buf_detach(&b);
}

void epub_xhtml_begin(const epub *e, xw *x, const char *title,
                      const char *body_type)
{
    const char *lang = e->d->meta.lang ? e->d->meta.lang : "ja";
    xw_open(x);
    xw_raw_dtd(x, "html");
    xw_start(x, "html");
    xw_attr(x, "xmlns", "http://www.w3.org/1999/xhtml");
    xw_attr(x, "xmlns:epub", "http://www.idpf.org/2007/ops");
    xw_attr(x, "lang", lang);
    xw_attr(x, "xml:lang", lang);
    xw_start(x, "head");
    xw_start(x, "meta");
    xw_attr(x, "charset", "UTF-8");
    xw_end(x);
    xw_element(x, "title", NULL, title);
    xw_start(x, "link");
    xw_attr(x, "rel", "stylesheet");
    xw_attr(x, "type", "text/css");
    xw_attr(x, "href", "style.css");
    xw_end(x);
    xw_end(x); /* head */
    xw_start(x, "body");
    if (body_type)
        xw_attr(x, "epub:type", body_type);
}

void epub_finish(epub *e, xw *x, const char *name, const char *title,
                 const char *media, const char *props)
{
    if (!xw_close(x)) {
        diag_error(e->dg, (diag_loc){0}, "cannot make the EPUB: %s could not "
                   "be written", name);
        e->failed = true;
    }
    xgrow((void **)&e->files, &e->cap_files, e->nfiles + 1, sizeof *e->files);
    epub_file *f = &e->files[e->nfiles++];
    *f = (epub_file){xstrdup(name), xstrdup(title), {0}, media, props};
    if (x->b) {
        buf_put(&f->data, xmlBufferContent(x->b), (size_t)xmlBufferLength(x->b));
        xmlBufferFree(x->b);
        x->b = NULL;
    }
}

void epub_xhtml_end(epub *e, xw *x, const char *name, const char *title,
                    const char *props)
{
    epub_finish(e, x, name, title, "application/xhtml+xml", props);
}

static char *section_file_name(size_t k)
{
    return xasprintf("s%03zu.xhtml", k);
}

/* ---- page markers ---------------------------------------------------- */

typedef struct writer {
    epub *e;
    xw *x;
    const char *file;
    size_t tree_off;  /* bytes of the current block's text written */
    int block;        /* the block whose text is being written */
    int em;           /* emphasis elements open */
    bool nobr;        /* a span keeps a note mark with the character
                         before it: the mark's cluster closes it */
    bool url;         /* inside a bare URL: <wbr/> where the print may
                         break it */
} writer;

/* Text, and inside a bare URL a <wbr/> at each place the print may break
 * it (after / and before . ? # & = - _ ~): a reader's narrow screen then
 * breaks it there, and only where none fits anywhere (the CSS's
 * overflow-wrap). */
static void put_text(writer *w, const char *s)
{
    size_t n = strlen(s), from = 0, i = 0;
    uint32_t a = 0, b = 0;
    int k = w->url && n > 0 ? utf8_decode(s, n, &a) : 0;
    while (k > 0 && (i += (size_t)k) < n) {
        int kb = utf8_decode(s + i, n - i, &b);
        uint32_t next = 0;
        if (kb > 0 && i + (size_t)kb < n)
            utf8_decode(s + i + kb, n - i - (size_t)kb, &next);
        if (kb > 0 && jp_url_break(a, b, next)) {
            char *part = xstrndup(s + from, i - from);
            xw_text(w->x, part);
            free(part);
            xw_start(w->x, "wbr");
            xw_end(w->x);
            from = i;
        }
        a = b;
        k = kb;
    }
    xw_text(w->x, s + from);
}

static void marker(writer *w, size_t page)
{
    epub_page *pg = &w->e->pages[page];
    if (pg->file)
        return;
    char id[32];
    snprintf(id, sizeof id, "page%d", pg->number);
    xw_start(w->x, "span");
    xw_attr(w->x, "epub:type", "pagebreak");
    xw_attr(w->x, "role", "doc-pagebreak");
    xw_attr(w->x, "id", id);
    xw_attrf(w->x, "aria-label", "%d", pg->number);
    xw_end(w->x);
    pg->file = xstrdup(w->file);
}

/* Markers of pages that begin in block `id` at its start. */
static void markers_at(writer *w, doc_mark_kind kind, int id)
{
    const doc_pagemap *pm = w->e->pm;
    for (size_t i = 0; i < pm->n; i++) {
        const doc_mark *m = &pm->marks[i];
        if (m->kind == kind && m->block == id && m->off == 0)
            marker(w, i);
    }
}

/* Text, split where a printed page begins inside it. */
static void text(writer *w, const char *s, size_t n)
{
    const doc_pagemap *pm = w->e->pm;
    size_t done = 0;
    for (;;) {
        size_t cut = n;
        size_t page = pm->n;
        for (size_t i = 0; i < pm->n; i++) {
            const doc_mark *m = &pm->marks[i];
            if (m->kind == DOC_MARK_BLOCK && m->block == w->block &&
                m->off > w->tree_off + done && m->off < w->tree_off + n &&
                m->off - w->tree_off < cut && !w->e->pages[i].file) {
                cut = m->off - w->tree_off;
                page = i;
            }
        }
        char *part = xstrndup(s + done, cut - done);
        put_text(w, part);
        free(part);
        done = cut;
        if (page == pm->n)
            break;
        marker(w, page);
    }
    w->tree_off += n;
}

/* ---- figures, tables and references to them ----------------------------- */

char *epub_image_name(const doc *d, int index)
{
    const doc_image *im = &d->images[index];
    return xasprintf("images/img%d.%s", index + 1,
                     im->kind == IMG_PNG ? "png"
                     : im->kind == IMG_JPEG ? "jpg" : "svg");
}

/* A figure's or table's id: its label with ':' as '-' ("fig-hall"), or
 * its kind and number. */
static void float_id(const doc_node *n, char *out, size_t size)
{
    if (n->label) {
        snprintf(out, size, "%s", n->label);
        for (char *p = out; *p; p++)
            if (*p == ':')
                *p = '-';
    } else {
        snprintf(out, size, "%s-%d", n->kind == DOC_TABLE ? "tbl" : "fig",
                 n->number);
    }
}

/* The content document a block ends up in. */
static char *file_of(const epub *e, const doc_node *n)
{
    const doc_node *top = n;
    while (top->parent && top->parent->parent)
        top = top->parent;
    if (top->parent != e->d->root)
        return xstrdup("notes.xhtml");
    size_t k = 0;
    bool started = false;
    for (const doc_node *c = e->d->root->first; c; c = c->next) {
        if (c == e->back)
            break;
        if (started && c->kind == DOC_HEADING && c->level == e->top_level)
            k++;
        started = true;
        if (c == top)
            return section_file_name(k);
    }
    return xstrdup("back.xhtml");
}

/* "図1" before a caption, in a span of its own. */
static void caption_label(writer *w, const doc_node *n)
{
    const style *st = w->e->st;
    char label[64];
    snprintf(label, sizeof label, "%s%d",
             n->kind == DOC_TABLE ? st->table_label : st->figure_label,
             n->number);
    xw_element(w->x, "span", "label", label);
}

/* An <img> of a figure or inline image: its file and alt text (open: the
 * caller may add attributes, then ends it). */
static void img_start(writer *w, const doc_node *n)
{
    xw *x = w->x;
    xw_start(x, "img");
    if (n->image >= 0) {
        char *src = epub_image_name(w->e->d, n->image);
        xw_attr(x, "src", src);
        free(src);
    }
    char *alt = doc_plain_text(n);
    xw_attr(x, "alt", alt);
    free(alt);
}

static void figure_start(writer *w, const doc_node *n)
{
    xw *x = w->x;
    char id[96];
    float_id(n, id, sizeof id);
    xw_start(x, "figure");
    xw_attr(x, "id", id);
    img_start(w, n);
    if (n->width.pct > 0)
        xw_attrf(x, "style", "width: %g%%", n->width.pct);
    else if (n->width.pt > 0)
        xw_attrf(x, "style", "width: %.1fpt", n->width.pt);
    xw_end(x);
    if (n->first) {
        xw_start(x, "figcaption");
        caption_label(w, n);
    }
    w->block = n->id;
    w->tree_off = 0;
}

static void inline_image(writer *w, const doc_node *n)
{
    img_start(w, n);
    xw_attr(w->x, "class", "inline");
    xw_end(w->x);
}

static void xref(writer *w, const doc_node *n)
{
    const style *st = w->e->st;
    const doc_node *t = n->target;
    char id[96], secno[64] = "";
    if (t->kind == DOC_HEADING) {
        snprintf(id, sizeof id, "h%d", t->id);
        style_section_number(st, t->secno, true, secno, sizeof secno);
    } else {
        float_id(t, id, sizeof id);
    }
    /* the printed page, from the page map: a citation by page works in
     * either edition */
    const doc_pagemap *pm = w->e->pm;
    int page = st->ref_pages && pm && pm->target_page && t->id < pm->nblocks
                   ? pm->target_page[t->id] : 0;
    char *label = doc_xref_text(n, st->figure_label, st->table_label, secno,
                                page);
    char *file = file_of(w->e, t);
    char *href = xasprintf("%s#%s", file, id);
    xw_start(w->x, "a");
    xw_attr(w->x, "href", href);
    xw_attr(w->x, "class", "xref");
    xw_text(w->x, label);
    xw_end(w->x);
    free(label);
    free(href);
    free(file);
}

/* A ruby with its fallbacks, base text through text() (page markers and
 * the tree offset go on as in the print): group "<ruby>漢字<rp>（</rp>
 * <rt>かんじ</rt><rp>）</rp></ruby>", mono a ruby per character. */
static void ruby_pair(writer *w, const char *base, size_t blen, const char *rt,
                      size_t rlen)
{
    xw *x = w->x;
    xw_start(x, "ruby");
    text(w, base, blen);
    xw_element(x, "rp", NULL, "（");
    char *r = xstrndup(rt, rlen);
    xw_element(x, "rt", NULL, r);
    free(r);
    xw_element(x, "rp", NULL, "）");
    xw_end(x);
}

static void ruby(writer *w, const doc_node *n)
{
    char *base = doc_plain_text(n);
    size_t blen = strlen(base);
    const char *rt = n->text ? n->text : "", *rend = rt + n->len;
    if (!n->mono) {
        ruby_pair(w, base, blen, rt, n->len);
    } else {
        for (size_t i = 0; i < blen;) {
            size_t cl = 1;
            while (i + cl < blen && ((unsigned char)base[i + cl] & 0xC0) == 0x80)
                cl++;
            const char *sep = memchr(rt, DOC_RUBY_SEP, (size_t)(rend - rt));
            size_t rl = (size_t)((sep ? sep : rend) - rt);
            ruby_pair(w, base + i, cl, rt, rl);
            rt = sep ? sep + 1 : rend;
            i += cl;
        }
    }
    free(base);
}

/* The column a cell stands in, and its alignment's class. */
static const char *cell_class(const doc_node *cell)
{
    const doc_node *tbl = cell->parent ? cell->parent->parent : NULL;
    int c = 0;
    for (const doc_node *p = cell->prev; p; p = p->prev)
        c++;
    if (!tbl || !tbl->align || (size_t)c >= strlen(tbl->align))
        return NULL;
    return tbl->align[c] == 'r' ? "r" : tbl->align[c] == 'c' ? "c" : NULL;
}

/* Vertical text (writing-mode: vertical-rl): the runs of half-width
 * digits the PDF sets upright (jp_tcy_end: "7月", "30カ国"; "2025年"
 * stays turned as Latin text is) in a span the CSS combines upright
 * across the line (縦中横). */
static void vtext(writer *w, const char *s, size_t n)
{
    const style *st = w->e->st;
    if (st->writing != WRITING_VERTICAL ||
        (st->tcy_digits <= 0 && st->upright_caps <= 0)) {
        text(w, s, n);
        return;
    }
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        const char *cls = "tcy";
        size_t e = jp_tcy_end(s, n, i, st->tcy_digits);
        if (e == i) { /* short capitals, upright a letter an em */
            e = jp_caps_end(s, n, i, st->upright_caps);
            cls = "upright";
        }
        if (e == i)
            continue;
        text(w, s + done, i - done);
        xw_start(w->x, "span");
        xw_attr(w->x, "class", cls);
        text(w, s + i, e - i);
        xw_end(w->x);
        done = e;
        i = e - 1;
    }
    text(w, s + done, n - done);
}

/* Emphasised text as the print sets it: Japanese with sesame dots (the
 * em's CSS), Latin words (below U+2E80, with the spaces between them) in
 * a span the CSS sets italic without dots. */
static void emphasised(writer *w, const char *s, size_t n)
{
    for (size_t i = 0, j; i < n; i = j) {
        bool latin;
        j = utf8_latin_run(s, n, i, &latin);
        if (latin) { /* a short digit run in it still stands upright */
            xw_start(w->x, "span");
            xw_attr(w->x, "class", "latin");
            vtext(w, s + i, j - i);
            xw_end(w->x);
        } else {
            vtext(w, s + i, j - i);
        }
    }
}

/* ---- the walk: what each node starts and ends as ---------------------- */

static void noteref(writer *w, const doc_node *n, const char *after)
{
    char id[40], href[40], label[16];
    if (n->ref == 1)
        snprintf(id, sizeof id, "ref%d", n->note);
    else
        snprintf(id, sizeof id, "ref%d-%d", n->note, n->ref);
    snprintf(href, sizeof href, "notes.xhtml#note%d", n->note);
    snprintf(label, sizeof label, "%d%s", n->note, after);
    xw_start(w->x, "a");
    xw_attr(w->x, "epub:type", "noteref");
    xw_attr(w->x, "role", "doc-noteref");
    xw_attr(w->x, "id", id);
    xw_attr(w->x, "href", href);
    xw_attr(w->x, "class", "noteref");
    xw_text(w->x, label);
    xw_end(w->x);
}

/* A cluster of references, as the print sets it: "6,7,9)", each number
 * its own noteref. */
static void noterefs(writer *w, const doc_node *n)
{
    size_t nr;
    const doc_node **refs = doc_ref_cluster(n, &nr);
    for (size_t i = 0; i < nr; i++)
        noteref(w, refs[i], i + 1 < nr ? "," : ")");
    free(refs);
    if (nr > 0 && w->nobr) { /* the span the character before opened */
        xw_end(w->x);
        w->nobr = false;
    }
}

/* A paragraph or quote in another language than the document's (English
 * in a Japanese report, doc_block_lang): said, so that reading systems
 * hyphenate and speak it in its own. Not inside a block that said it. */
static void block_lang(writer *w, const doc_node *n)
{
    for (const doc_node *p = n->parent; p; p = p->parent)
        if (p->kind == DOC_QUOTE && doc_block_lang(w->e->d, p))
            return;
    const char *lang = doc_block_lang(w->e->d, n);
    if (lang) {
        xw_attr(w->x, "lang", lang);
        xw_attr(w->x, "xml:lang", lang);
    }
}

/* Text as its inline context sets it: emphasis, tate-chu-yoko. */
static void inline_text(writer *w, const doc_node *n, const char *s, size_t len)
{
    if (w->em > 0 && w->e->st->emphasis != EMPHASIS_GOTHIC)
        emphasised(w, s, len);
    else if (n->parent && n->parent->kind == DOC_TCY)
        text(w, s, len);
    else
        vtext(w, s, len);
}

/* 【０００１】, a paragraph's number as the print sets it. */
static void para_number_span(writer *w, int no)
{
    char label[64];
    doc_para_label(no, label, sizeof label);
    xw_start(w->x, "span");
    xw_attr(w->x, "class", "pno");
    xw_text(w->x, label);
    xw_end(w->x);
}

/* The element a block of inlines (paragraph, heading, cell) is set in. */
static void text_block_start(writer *w, const doc_node *n)
{
    char tag[4], id[24];
    switch (n->kind) {
    case DOC_HEADING: {
        int lv = n->level - w->e->top_level + 1;
        snprintf(tag, sizeof tag, "h%d", lv < 1 ? 1 : lv > 6 ? 6 : lv);
        snprintf(id, sizeof id, "h%d", n->id);
        xw_start(w->x, tag);
        xw_attr(w->x, "id", id);
        /* the style's look for this level (its class "hN" in the CSS); a
         * run-in heading begins the paragraph after it */
        const style *st = w->e->st;
        const style_heading *hs = style_heading_at(st, w->e->top_level, n->level);
        int k = (int)(hs - st->heading) + 1;
        char cls[24];
        snprintf(cls, sizeof cls, "h%d%s", k,
                 hs->run_in && n->next && n->next->kind == DOC_PARA ? " run-in"
                                                                  : "");
        if (k >= 4)
            xw_attr(w->x, "class", cls);
        /* a run-in heading's paragraph number stands before it, as the
         * print sets 【０００１】見出し　本文 (its anchor is the p's) */
        const doc_node *para = n->next;
        if (hs->run_in && para && para->kind == DOC_PARA && para->para_no > 0 &&
            st->para_numbers == PARA_NUMBERS_HEAD)
            para_number_span(w, para->para_no);
        char no[64];
        style_section_number(st, n->secno, false, no, sizeof no);
        if (*no) { /* the print's number, and its full-width space */
            xw_start(w->x, "span");
            xw_attr(w->x, "class", "secno");
            buf b = {0};
            buf_printf(&b, "%s\xe3\x80\x80", no);
            xw_text(w->x, buf_str(&b));
            buf_free(&b);
            xw_end(w->x);
        }
        break;
    }
    case DOC_TCELL: {
        bool th = n->parent && n->parent->header;
        xw_start(w->x, th ? "th" : "td");
        if (th)
            xw_attr(w->x, "scope", "col");
        const char *cls = cell_class(n);
        if (cls)
            xw_attr(w->x, "class", cls);
        break;
    }
    case DOC_CAPTION:
        xw_start(w->x, "caption");
        caption_label(w, n->parent);
        break;
    default:
        xw_start(w->x, "p");
        if (n->kind == DOC_PARA && n->para_no > 0 &&
            w->e->st->para_numbers == PARA_NUMBERS_HEAD) {
            /* 【０００１】, the print edition's number, and its anchor (the
             * number before a run-in heading when one begins it) */
            doc_para_anchor(n->para_no, id, sizeof id);
            xw_attr(w->x, "id", id);
            block_lang(w, n);
            const doc_node *h = n->prev;
            if (!(h && h->kind == DOC_HEADING &&
                  style_heading_at(w->e->st, w->e->top_level, h->level)->run_in))
                para_number_span(w, n->para_no);
            break;
        }
        block_lang(w, n);
        break;
    }
}

/* `element`: false for the top of a walk whose element the caller has
 * written already (a note's first paragraph, after its backlink). */
static void enter(writer *w, const doc_node *n, bool element)
{
    xw *x = w->x;
    /* a page that begins at a block's start: the marker goes before it
     * (inside it for list items and table cells) */
    if (doc_is_block(n->kind) && n->kind != DOC_ITEM &&
        n->kind != DOC_TROW && n->kind != DOC_TCELL &&
        n->kind != DOC_CAPTION)
        markers_at(w, DOC_MARK_BLOCK, n->id);
    switch (n->kind) {
    case DOC_FIGURE:
        figure_start(w, n);
        break;
    case DOC_IMAGE:
        inline_image(w, n);
        break;
    case DOC_RUBY:
        ruby(w, n);
        break;
    case DOC_SUP:
        xw_start(x, "sup");
        break;
    case DOC_SUB:
        xw_start(x, "sub");
        break;
    case DOC_STRIKE: /* ~~ and <del> a deletion, <s> as written */
        xw_start(x, n->info && strcmp(n->info, "s") == 0 ? "s" : "del");
        break;
    case DOC_UNDERLINE: /* <u>, <ins> */
        xw_start(x, n->info && strcmp(n->info, "ins") == 0 ? "ins" : "u");
        break;
    case DOC_SPAN:
        xw_start(x, "span");
        if (n->info && *n->info)
            xw_attr(x, "class", n->info);
        break;
    case DOC_TCY:
        xw_start(x, "span");
        xw_attr(x, "class", "tcy");
        break;
    case DOC_XREF:
        xref(w, n);
        break;
    case DOC_PARA:
    case DOC_HEADING:
    case DOC_CAPTION:
    case DOC_TCELL:
        if (element)
            text_block_start(w, n);
        w->block = n->id;
        w->tree_off = 0;
        markers_at(w, DOC_MARK_BLOCK, n->id);
        break;
    case DOC_LIST:
        xw_start(x, n->ordered ? "ol" : "ul");
        if (n->ordered && n->start != 1)
            xw_attrf(x, "start", "%d", n->start);
        break;
    case DOC_ITEM:
        xw_start(x, "li");
        markers_at(w, DOC_MARK_BLOCK, n->id);
        break;
    case DOC_QUOTE:
        xw_start(x, "blockquote");
        block_lang(w, n);
        break;
    case DOC_CODEBLOCK:
        xw_start(x, "pre");
        xw_element(x, "code", NULL, n->text ? n->text : "");
        xw_end(x);
        break;
    case DOC_HR:
        xw_start(x, "hr");
        xw_end(x);
        break;
    case DOC_TABLE: {
        char id[96];
        float_id(n, id, sizeof id);
        /* a table wider than a phone's screen scrolls inside its box
         * rather than lose its last columns off the page */
        xw_start(x, "div");
        xw_attr(x, "class", "table");
        xw_start(x, "table");
        xw_attr(x, "id", id);
        break;
    }
    case DOC_TROW:
        if (n->parent && n->parent->widths &&
            (!n->prev || n->prev->kind == DOC_CAPTION)) {
            /* the writer's shares ({widths="2 1 3"}), before the rows */
            double sum = 0;
            for (int i = 0; i < n->parent->nwidths; i++)
                sum += n->parent->widths[i];
            xw_start(x, "colgroup");
            for (int i = 0; i < n->parent->nwidths; i++) {
                char css[48];
                snprintf(css, sizeof css, "width: %.1f%%",
                         100 * n->parent->widths[i] / sum);
                xw_start(x, "col");
                xw_attr(x, "style", css);
                xw_end(x);
            }
            xw_end(x);
        }
        if (n->header)
            xw_start(x, "thead");
        else if (!n->prev || n->prev->header || n->prev->kind == DOC_CAPTION)
            xw_start(x, "tbody");
        xw_start(x, "tr");
        break;
    case DOC_TEXT: {
        /* a note mark never wraps alone: it keeps the character before */
        size_t cut = n->len;
        if (n->next && n->next->kind == DOC_NOTEREF && n->len > 0) {
            cut = n->len - 1;
            while (cut > 0 && ((unsigned char)n->text[cut] & 0xC0) == 0x80)
                cut--;
        }
        inline_text(w, n, n->text, cut);
        if (cut < n->len) {
            xw_start(x, "span");
            xw_attr(x, "class", "nobr");
            inline_text(w, n, n->text + cut, n->len - cut);
            w->nobr = true;
        }
        break;
    }
    case DOC_CODE:
        xw_start(x, "code");
        text(w, n->text, n->len);
        xw_end(x);
        break;
    case DOC_BREAK:
        xw_start(x, "br");
        xw_end(x);
        break;
    case DOC_NOTEREF:
        noterefs(w, n);
        break;
    case DOC_EMPH:
        xw_start(x, "em");
        w->em++;
        break;
    case DOC_STRONG:
        xw_start(x, "strong");
        break;
    case DOC_LINK: {
        if (n->cite && !w->e->st->patent_links) { /* links.patents: false */
            xw_start(x, "span");
            break;
        }
        xw_start(x, "a");
        char *u = epub_url(n->url);
        xw_attr(x, "href", u);
        free(u);
        w->url = n->autolink;
        break;
    }
    case DOC_ROOT:
        break;
    }
}

static void leave(writer *w, const doc_node *n, bool element)
{
    switch (n->kind) {
    case DOC_PARA:
    case DOC_HEADING:
    case DOC_CAPTION:
    case DOC_TCELL:
        if (element)
            xw_end(w->x);
        break;
    case DOC_FIGURE:
        if (n->first)
            xw_end(w->x); /* figcaption */
        xw_end(w->x);
        break;
    case DOC_TROW:
        xw_end(w->x);
        if (n->header || !n->next)
            xw_end(w->x); /* thead, tbody */
        break;
    case DOC_EMPH:
        w->em--;
        xw_end(w->x);
        break;
    case DOC_SUP:
    case DOC_SUB:
    case DOC_STRIKE:
    case DOC_UNDERLINE:
    case DOC_SPAN:
    case DOC_TCY:
    case DOC_LIST:
    case DOC_ITEM:
    case DOC_QUOTE:
    case DOC_STRONG:
        xw_end(w->x);
        break;
    case DOC_TABLE: /* the table, and the box it scrolls in */
        xw_end(w->x);
        xw_end(w->x);
        break;
    case DOC_LINK:
        w->url = false;
        xw_end(w->x);
        break;
    default:
        break;
    }
}

static void walk(writer *w, const doc_node *top, bool element)
{
    doc_iter it;
    doc_iter_init(&it, top);
    while (doc_iter_next(&it)) {
        bool el = element || it.node != top;
        if (it.ev == DOC_ENTER)
            enter(w, it.node, el);
        else
            leave(w, it.node, el);
        if (it.ev == DOC_ENTER && (it.node->kind == DOC_IMAGE ||
                                   it.node->kind == DOC_RUBY)) {
            /* an image's alt text is its alt, not text; a ruby wrote its
             * base itself */
            const doc_node *img = it.node;
            while (doc_iter_next(&it) && it.node != img)
                ;
        }
    }
}

/* Blocks from first up to stop (exclusive; NULL: to the last sibling). */
static void blocks(writer *w, const doc_node *first, const doc_node *stop)
{
    for (const doc_node *n = first; n && n != stop; n = n->next)
        walk(w, n, true);
}

/* ---- the documents ---------------------------------------------------- */

static void add_toc(epub *e, const char *title, int level, const char *file,
                    const char *id)
{
    xgrow((void **)&e->toc, &e->cap_toc, e->ntoc + 1, sizeof *e->toc);
    e->toc[e->ntoc++] = (epub_toc){xstrdup(title), level,
                                   id ? xasprintf("%s#%s", file, id)
                                      : xstrdup(file)};
}

/* Does the print edition have a page of this kind (the title page, the
 * contents)? The EPUB has a document for each one it has. */
bool epub_printed(const epub *e, doc_mark_kind kind)
{
    for (size_t i = 0; i < e->pm->n; i++)
        if (e->pm->marks[i].kind == kind)
            return true;
    return false;
}

static void title_page(epub *e)
{
    const doc_meta *m = &e->d->meta;
    if (!epub_printed(e, DOC_MARK_TITLE))
        return;
    xw x;
    epub_xhtml_begin(e, &x, m->title ? m->title : "", NULL);
    writer w = {.e = e, .x = &x, .file = "title.xhtml", .block = -1};
    xw_start(&x, "section");
    xw_attr(&x, "epub:type", "titlepage");
    xw_attr(&x, "class", "titlepage");
    markers_at(&w, DOC_MARK_TITLE, -1);
    xw_start(&x, "h1");
    xw_attr(&x, "id", "title");
    xw_text(&x, m->title ? m->title : "");
    xw_end(&x);
    if (m->subtitle)
        xw_element(&x, "p", NULL, m->subtitle);
    char jd[64];
    doc_date_ja(e->d, jd, sizeof jd);
    if (*jd)
        xw_element(&x, "p", "date", jd);
    const char *who[] = {m->author, m->publisher};
    for (int i = 0; i < 2; i++)
        if (who[i])
            xw_element(&x, "p", "publisher", who[i]);
    if (e->notice)
        xw_element(&x, "p", "notice", e->notice);
    if (m->rights)
        xw_element(&x, "p", "rights", m->rights);
    xw_end(&x);
    epub_xhtml_end(e, &x, "title.xhtml", m->title ? m->title : "表紙", NULL);
}

/* The top-level sections, each with the file it goes to. */
static char *section_file(size_t k)
{
    return section_file_name(k);
}

static void sections(epub *e)
{
    const doc_node *root = e->d->root;
    const doc_node *n = root->first;
    size_t k = 0;
    if (!n || n == e->back) { /* no body: the bodymatter landmark still
                                 needs its document */
        xw x;
        epub_xhtml_begin(e, &x, e->d->meta.title, "bodymatter");
        xw_start(&x, "section");
        xw_end(&x);
        epub_xhtml_end(e, &x, "s000.xhtml", e->d->meta.title, NULL);
    }
    while (n && n != e->back) {
        const doc_node *start = n;
        n = n->next;
        while (n && n != e->back &&
               !(n->kind == DOC_HEADING && n->level == e->top_level))
            n = n->next;
        char *file = section_file(k++);
        char *title = start->kind == DOC_HEADING ? doc_plain_text(start)
                                                 : xstrdup(e->d->meta.title);
        xw x;
        epub_xhtml_begin(e, &x, title, "bodymatter");
        writer w = {.e = e, .x = &x, .file = file, .block = -1};
        xw_start(&x, "section");
        blocks(&w, start, n);
        xw_end(&x);
        epub_xhtml_end(e, &x, file, title, NULL);
        free(title);
        free(file);
    }
}

/* One endnote: its backlink first (Kindle and Apple Books pop-ups read
 * it), in its first paragraph when it has one. */
/* A note referred to more than once links back to each place: every
 * reference is somewhere its reader can return to. */
static void backrefs(writer *w, const doc_note *nt)
{
    if (nt->nrefs < 2)
        return;
    bool en = w->e->d->meta.lang && strncmp(w->e->d->meta.lang, "en", 2) == 0;
    xw *x = w->x;
    xw_start(x, "p");
    xw_attr(x, "class", "backrefs");
    xw_text(x, en ? "Referred to at: " : "本文の参照箇所：");
    for (size_t i = 0; i < w->e->nrefs; i++) {
        const epub_ref *r = &w->e->refs[i];
        if (r->note != nt->number)
            continue;
        char href[96], label[16];
        if (r->ref == 1)
            snprintf(href, sizeof href, "%s#ref%d", r->file, r->note);
        else
            snprintf(href, sizeof href, "%s#ref%d-%d", r->file, r->note, r->ref);
        snprintf(label, sizeof label, "%d", r->ref);
        if (r->ref > 1)
            xw_text(x, " ");
        xw_start(x, "a");
        xw_attr(x, "href", href);
        xw_attr(x, "role", "doc-backlink");
        xw_text(x, label);
        xw_end(x);
    }
    xw_end(x);
}

static void note(writer *w, const doc_note *nt)
{
    const doc *d = w->e->d;
    xw *x = w->x;
    char id[24], back[64], label[16];
    snprintf(id, sizeof id, "note%d", nt->number);
    const char *rf = nt->number <= (int)d->nnotes && w->e->ref_file[nt->number]
                         ? w->e->ref_file[nt->number] : "s000.xhtml";
    snprintf(back, sizeof back, "%s#ref%d", rf, nt->number);
    snprintf(label, sizeof label, "%d)", nt->number);
    xw_start(x, "li");
    xw_attr(x, "id", id);
    xw_attr(x, "epub:type", "endnote");
    xw_attrf(x, "value", "%d", nt->number);
    const doc_node *first = nt->body->first;
    bool inline_back = first && first->kind == DOC_PARA;
    if (first)
        markers_at(w, DOC_MARK_BLOCK, first->id);
    xw_start(x, "p");
    xw_start(x, "a");
    xw_attr(x, "href", back);
    xw_attr(x, "role", "doc-backlink");
    xw_attr(x, "class", "backlink");
    xw_text(x, label);
    xw_end(x);
    xw_text(x, " ");
    if (inline_back)
        walk(w, first, false);
    xw_end(x);
    blocks(w, inline_back ? first->next : first, NULL);
    backrefs(w, nt);
    xw_end(x);
}

static void notes(epub *e)
{
    const doc *d = e->d;
    if (d->nnotes == 0)
        return;
    xw x;
    epub_xhtml_begin(e, &x, "注", "backmatter");
    writer w = {.e = e, .x = &x, .file = "notes.xhtml", .block = -1};
    xw_start(&x, "section");
    xw_attr(&x, "epub:type", "endnotes");
    xw_attr(&x, "role", "doc-endnotes");
    /* the page on which the notes begin starts at their heading */
    if (d->notes[0].body->first)
        markers_at(&w, DOC_MARK_BLOCK, d->notes[0].body->first->id);
    xw_start(&x, "h1");
    xw_attr(&x, "id", "notes");
    xw_text(&x, "注");
    xw_end(&x);
    xw_start(&x, "ol");
    xw_attr(&x, "class", "notes");
    for (size_t i = 0; i < d->nnotes; i++)
        note(&w, &d->notes[i]);
    xw_end(&x); /* ol */
    xw_end(&x); /* section */
    epub_xhtml_end(e, &x, "notes.xhtml", "注", NULL);
}

static void back_matter(epub *e)
{
    if (!e->back)
        return;
    char *title = doc_plain_text(e->back);
    xw x;
    epub_xhtml_begin(e, &x, title, "backmatter");
    writer w = {.e = e, .x = &x, .file = "back.xhtml", .block = -1};
    xw_start(&x, "section");
    xw_attr(&x, "class", "back");
    blocks(&w, e->back, NULL);
    xw_end(&x);
    epub_xhtml_end(e, &x, "back.xhtml", title, NULL);
    free(title);
}

/* The contents as printed (the nav document holds the navigable one). */
static void contents(epub *e)
{
    if (!epub_printed(e, DOC_MARK_TOC))
        return;
    xw x;
    epub_xhtml_begin(e, &x, "目次", "frontmatter");
    writer w = {.e = e, .x = &x, .file = "contents.xhtml", .block = -1};
    /* the print's contents (its pages may hold only the lists after it) */
    size_t ntoc = e->st->toc ? e->toc_printed : 0;
    if (ntoc) {
        xw_start(&x, "section");
        xw_attr(&x, "class", "contents");
        xw_element(&x, "h1", NULL, "目次");
        xw_start(&x, "ol");
    }
    for (size_t i = 0; i < ntoc; i++) {
        xw_start(&x, "li");
        xw_attr(&x, "class", e->toc[i].level > 1 ? "sub" : "top");
        markers_at(&w, DOC_MARK_TOC, (int)i);
        xw_link(&x, e->toc[i].href, NULL, e->toc[i].title, false);
        xw_end(&x);
    }
    if (ntoc) {
        xw_end(&x);
        xw_end(&x);
    }
    /* the lists of figures and tables, as printed after the contents:
     * their entries' page marks go on from the contents' */
    static const char *const heads[] = {"\xe5\x9b\xb3\xe7\x9b\xae\xe6\xac\xa1",
                                        "\xe8\xa1\xa8\xe7\x9b\xae\xe6\xac\xa1"};
    size_t base = e->toc_printed;
    for (int k = 0; k < 2; k++) {
        if (e->nlists[k] == 0)
            continue;
        xw_start(&x, "section");
        xw_attr(&x, "class", "contents");
        xw_element(&x, "h1", NULL, heads[k]);
        xw_start(&x, "ol");
        for (size_t i = 0; i < e->nlists[k]; i++) {
            xw_start(&x, "li");
            xw_attr(&x, "class", "top");
            markers_at(&w, DOC_MARK_TOC, (int)(base + i));
            xw_link(&x, e->lists[k][i].href, NULL, e->lists[k][i].title, false);
            xw_end(&x);
        }
        xw_end(&x);
        xw_end(&x);
        base += e->nlists[k];
    }
    epub_xhtml_end(e, &x, "contents.xhtml", "目次", NULL);
}

/* Where each note reference in `top` stands: the file of its note's
 * first reference (the note's backlink), and every reference's. */
static void note_refs_in(epub *e, const doc_node *top, const char *file)
{
    for (const doc_node *c = top; c; c = doc_next(top, c)) {
        if (c->kind != DOC_NOTEREF || c->note < 1 || c->note > (int)e->d->nnotes)
            continue;
        if (c->ref == 1 && !e->ref_file[c->note])
            e->ref_file[c->note] = xstrdup(file);
        xgrow((void **)&e->refs, &e->cap_refs, e->nrefs + 1, sizeof *e->refs);
        e->refs[e->nrefs++] = (epub_ref){c->note, c->ref, xstrdup(file)};
    }
}

/* Where everything will be: the files of the headings (for the contents)
 * and of each note's first reference (for the backlinks). */
static void plan(epub *e)
{
    const doc *d = e->d;
    e->ref_file = xcalloc(d->nnotes + 2, sizeof *e->ref_file);
    size_t k = 0;
    bool started = false;
    for (const doc_node *n = d->root->first; n && n != e->back; n = n->next) {
        if (started && n->kind == DOC_HEADING && n->level == e->top_level)
            k++;
        started = true;
        char name[32];
        snprintf(name, sizeof name, "s%03zu.xhtml", k);
        if (n->kind == DOC_HEADING && n->level <= e->top_level + 1) {
            /* the contents list its short form, as the print's does */
            char *plain = n->short_title ? xstrdup(n->short_title)
                                         : doc_plain_text(n);
            char *t = style_numbered_title(e->st, n->secno, plain);
            free(plain);
            char id[24];
            snprintf(id, sizeof id, "h%d", n->id);
            add_toc(e, t, n->level - e->top_level + 1, name, id);
            free(t);
        }
        note_refs_in(e, n, name);
    }
    /* references in the back matter and in the notes themselves (a note,
     * or a source, cited only from another note) */
    for (const doc_node *n = e->back; n; n = n->next)
        note_refs_in(e, n, "back.xhtml");
    for (size_t i = 0; i < d->nnotes; i++)
        note_refs_in(e, d->notes[i].body, "notes.xhtml");
    if (d->nnotes)
        add_toc(e, "注", 1, "notes.xhtml", "notes");
    if (e->back) {
        char *t = doc_plain_text(e->back), id[24];
        snprintf(id, sizeof id, "h%d", e->back->id);
        add_toc(e, t, 1, "back.xhtml", id);
        free(t);
    }
    e->toc_printed = e->ntoc;
    /* nothing to list: the navigation still needs an entry (an empty
     * list is invalid), the text itself */
    if (e->ntoc == 0)
        add_toc(e, e->d->meta.title, 1, "s000.xhtml", NULL);
    /* the lists of figures and tables, as the print's */
    for (int t = 0; t < 2; t++) {
        if (!(t ? e->st->table_list : e->st->figure_list))
            continue;
        size_t n;
        const doc_node **v = doc_floats(d, t ? DOC_TABLE : DOC_FIGURE, &n);
        e->lists[t] = xcalloc(n + 1, sizeof *e->lists[t]);
        for (size_t i = 0; i < n; i++) {
            char id[96];
            float_id(v[i], id, sizeof id);
            char *file = file_of(e, v[i]);
            e->lists[t][i] = (epub_toc){
                doc_float_entry(v[i], t ? e->st->table_label
                                        : e->st->figure_label),
                1, xasprintf("%s#%s", file, id)};
            free(file);
        }
        e->nlists[t] = n;
        free(v);
    }
}

bool epub_colophon(const epub *e)
{
    return epub_printed(e, DOC_MARK_COLOPHON) || e->ed;
}

/* The colophon (奥付): what the print's last page says, and an edition's
 * recipient notice. */
static void colophon(epub *e)
{
    if (!epub_colophon(e))
        return;
    const doc_meta *m = &e->d->meta;
    xw x;
    epub_xhtml_begin(e, &x, "奥付", "backmatter");
    writer w = {.e = e, .x = &x, .file = "colophon.xhtml", .block = -1};
    xw_start(&x, "section");
    xw_attr(&x, "epub:type", "colophon");
    xw_attr(&x, "role", "doc-colophon");
    xw_attr(&x, "class", "colophon");
    markers_at(&w, DOC_MARK_COLOPHON, -1);
    xw_element(&x, "h1", NULL, "奥付");
    if (e->notice)
        xw_element(&x, "p", "notice", e->notice);
    xw_element(&x, "p", "title", m->title ? m->title : "");
    char date[64];
    doc_date_ja(e->d, date, sizeof date);
    char *issued = xasprintf("%s%s%s発行", date, *date ? "\xe3\x80\x80" : "",
                             m->edition ? m->edition : "第1版");
    xw_element(&x, "p", NULL, issued);
    free(issued);
    const char *labels[] = {"著者", "発行", "連絡先"};
    const char *values[] = {m->author, m->publisher, m->contact};
    for (int i = 0; i < 3; i++)
        if (values[i]) {
            char *t = xasprintf("%s\xe3\x80\x80%s", labels[i], values[i]);
            xw_element(&x, "p", NULL, t);
            free(t);
        }
    if (m->rights)
        xw_element(&x, "p", "rights", m->rights);
    xw_end(&x);
    epub_xhtml_end(e, &x, "colophon.xhtml", "奥付", NULL);
}

void epub_content(epub *e)
{
    plan(e);
    title_page(e);
    contents(e);
    sections(e);
    notes(e);
    back_matter(e);
    colophon(e);
}
