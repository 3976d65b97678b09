/* Content documents: the title page, the printed contents, one file per
 * top-level section, and the notes. Written with xmlTextWriter, so the
 * escaping is libxml2's, never ours. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epub/internal.h"
#include "util/xalloc.h"

#define W(w) (w)
#define X(s) ((const xmlChar *)(s))

/* RFC 3986: keep unreserved and reserved characters and %, escape the rest
 * (non-ASCII, spaces, | and the like) as UTF-8 %XX. */
char *epub_url(const char *url)
{
    buf b = {0};
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("-._~:/?#[]@!$&'()*+,;=%", *p))
            buf_putc(&b, (char)*p);
        else
            buf_printf(&b, "%%%02X", *p);
    }
    return buf_detach(&b);
}

xmlTextWriterPtr epub_xhtml_begin(const epub *e, xmlBufferPtr *b,
                                  const char *title, const char *body_type)
{
    const char *lang = e->d->meta.lang ? e->d->meta.lang : "ja";
    *b = xmlBufferCreate();
    xmlTextWriterPtr w = xmlNewTextWriterMemory(*b, 0);
    xmlTextWriterSetIndent(w, 0);
    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
    xmlTextWriterWriteDTD(w, X("html"), NULL, NULL, NULL);
    xmlTextWriterStartElement(w, X("html"));
    xmlTextWriterWriteAttribute(w, X("xmlns"), X("http://www.w3.org/1999/xhtml"));
    xmlTextWriterWriteAttribute(w, X("xmlns:epub"), X("http://www.idpf.org/2007/ops"));
    xmlTextWriterWriteAttribute(w, X("lang"), X(lang));
    xmlTextWriterWriteAttribute(w, X("xml:lang"), X(lang));
    xmlTextWriterStartElement(w, X("head"));
    xmlTextWriterStartElement(w, X("meta"));
    xmlTextWriterWriteAttribute(w, X("charset"), X("UTF-8"));
    xmlTextWriterEndElement(w);
    xmlTextWriterWriteElement(w, X("title"), X(title));
    xmlTextWriterStartElement(w, X("link"));
    xmlTextWriterWriteAttribute(w, X("rel"), X("stylesheet"));
    xmlTextWriterWriteAttribute(w, X("type"), X("text/css"));
    xmlTextWriterWriteAttribute(w, X("href"), X("style.css"));
    xmlTextWriterEndElement(w);
    xmlTextWriterEndElement(w); /* head */
    xmlTextWriterStartElement(w, X("body"));
    if (body_type)
        xmlTextWriterWriteAttribute(w, X("epub:type"), X(body_type));
    return w;
}

void epub_finish(epub *e, xmlTextWriterPtr w, xmlBufferPtr b, const char *name,
                 const char *title, const char *media, const char *props)
{
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    xgrow((void **)&e->files, &e->cap_files, e->nfiles + 1, sizeof *e->files);
    epub_file *f = &e->files[e->nfiles++];
    *f = (epub_file){xstrdup(name), xstrdup(title), {0}, media, props};
    buf_put(&f->data, xmlBufferContent(b), (size_t)xmlBufferLength(b));
    xmlBufferFree(b);
}

void epub_xhtml_end(epub *e, xmlTextWriterPtr w, xmlBufferPtr b,
                    const char *name, const char *title, const char *props)
{
    epub_finish(e, w, b, name, title, "application/xhtml+xml", props);
}

/* ---- page markers ---------------------------------------------------- */

typedef struct writer {
    epub *e;
    xmlTextWriterPtr w;
    const char *file;
    size_t tree_off;  /* bytes of the current block's text written */
    int block;        /* the block whose text is being written */
} writer;

static void marker(writer *x, size_t page)
{
    epub_page *pg = &x->e->pages[page];
    if (pg->file)
        return;
    char id[32], label[16];
    snprintf(id, sizeof id, "page%d", pg->number);
    snprintf(label, sizeof label, "%d", pg->number);
    xmlTextWriterStartElement(x->w, X("span"));
    xmlTextWriterWriteAttribute(x->w, X("epub:type"), X("pagebreak"));
    xmlTextWriterWriteAttribute(x->w, X("role"), X("doc-pagebreak"));
    xmlTextWriterWriteAttribute(x->w, X("id"), X(id));
    xmlTextWriterWriteAttribute(x->w, X("aria-label"), X(label));
    xmlTextWriterEndElement(x->w);
    pg->file = xstrdup(x->file);
}

/* Markers of pages that begin in block `id` at an offset in [lo, hi]. */
static void markers_in(writer *x, lay_mark_kind kind, int id, size_t lo,
                       size_t hi)
{
    const epub_pagemap *pm = x->e->pm;
    for (size_t i = 0; i < pm->n; i++) {
        const lay_mark *m = &pm->marks[i];
        if (m->kind == kind && m->block == id && m->off >= lo && m->off <= hi)
            marker(x, i);
    }
}

/* Text, split where a printed page begins inside it. */
static void text(writer *x, const char *s, size_t n)
{
    const epub_pagemap *pm = x->e->pm;
    size_t done = 0;
    for (;;) {
        size_t cut = n;
        size_t page = pm->n;
        for (size_t i = 0; i < pm->n; i++) {
            const lay_mark *m = &pm->marks[i];
            if (m->kind == MARK_BLOCK && m->block == x->block &&
                m->off > x->tree_off + done && m->off < x->tree_off + n &&
                m->off - x->tree_off < cut && !x->e->pages[i].file) {
                cut = m->off - x->tree_off;
                page = i;
            }
        }
        char *part = xstrndup(s + done, cut - done);
        xmlTextWriterWriteString(x->w, X(part));
        free(part);
        done = cut;
        if (page == pm->n)
            break;
        marker(x, page);
    }
    x->tree_off += n;
}

/* ---- inline content --------------------------------------------------- */

static void noteref(writer *x, const doc_node *n)
{
    char id[40], href[40], label[16];
    if (n->ref == 1)
        snprintf(id, sizeof id, "ref%d", n->note);
    else
        snprintf(id, sizeof id, "ref%d-%d", n->note, n->ref);
    snprintf(href, sizeof href, "notes.xhtml#note%d", n->note);
    snprintf(label, sizeof label, "%d)", n->note);
    xmlTextWriterStartElement(x->w, X("a"));
    xmlTextWriterWriteAttribute(x->w, X("epub:type"), X("noteref"));
    xmlTextWriterWriteAttribute(x->w, X("role"), X("doc-noteref"));
    xmlTextWriterWriteAttribute(x->w, X("id"), X(id));
    xmlTextWriterWriteAttribute(x->w, X("href"), X(href));
    xmlTextWriterWriteAttribute(x->w, X("class"), X("noteref"));
    xmlTextWriterWriteString(x->w, X(label));
    xmlTextWriterEndElement(x->w);
}

static const char *inline_tag(doc_kind k)
{
    switch (k) {
    case DOC_EMPH: return "em";
    case DOC_STRONG: return "strong";
    case DOC_LINK: return "a";
    default: return NULL;
    }
}

/* Inline children of a block; the tree's depth is bounded by the parser,
 * and the walk is iterative. */
static void inlines(writer *x, const doc_node *block)
{
    x->block = block->id;
    x->tree_off = 0;
    markers_in(x, MARK_BLOCK, block->id, 0, 0);
    for (const doc_node *n = block->first; n;) {
        const char *tag = inline_tag(n->kind);
        switch (n->kind) {
        case DOC_TEXT:
            text(x, n->text, n->len);
            break;
        case DOC_CODE:
            xmlTextWriterStartElement(x->w, X("code"));
            text(x, n->text, n->len);
            xmlTextWriterEndElement(x->w);
            break;
        case DOC_BREAK:
            xmlTextWriterStartElement(x->w, X("br"));
            xmlTextWriterEndElement(x->w);
            break;
        case DOC_NOTEREF:
            noteref(x, n);
            break;
        default:
            if (tag) {
                xmlTextWriterStartElement(x->w, X(tag));
                if (n->kind == DOC_LINK) {
                    char *u = epub_url(n->url);
                    xmlTextWriterWriteAttribute(x->w, X("href"), X(u));
                    free(u);
                }
            }
            break;
        }
        /* next in document order, closing elements on the way up */
        if (n->first && tag) {
            n = n->first;
            continue;
        }
        while (n != block && !n->next) {
            n = n->parent;
            if (n != block && inline_tag(n->kind))
                xmlTextWriterEndElement(x->w);
        }
        n = n == block ? NULL : n->next;
    }
}

/* ---- blocks ----------------------------------------------------------- */

static void blocks(writer *x, const doc_node *first, const doc_node *stop);

static void element_block(writer *x, const doc_node *n, const char *tag)
{
    xmlTextWriterStartElement(x->w, X(tag));
    inlines(x, n);
    xmlTextWriterEndElement(x->w);
}

static void heading(writer *x, const doc_node *n)
{
    int lv = n->level - x->e->top_level + 1;
    char tag[4], id[24];
    snprintf(tag, sizeof tag, "h%d", lv < 1 ? 1 : lv > 6 ? 6 : lv);
    snprintf(id, sizeof id, "h%d", n->id);
    xmlTextWriterStartElement(x->w, X(tag));
    xmlTextWriterWriteAttribute(x->w, X("id"), X(id));
    inlines(x, n);
    xmlTextWriterEndElement(x->w);
}

static void block(writer *x, const doc_node *n)
{
    /* a page that begins at a block's start: the marker goes before it */
    markers_in(x, MARK_BLOCK, n->id, 0, 0);
    switch (n->kind) {
    case DOC_PARA:
        element_block(x, n, "p");
        break;
    case DOC_HEADING:
        heading(x, n);
        break;
    case DOC_LIST:
        xmlTextWriterStartElement(x->w, X(n->ordered ? "ol" : "ul"));
        if (n->ordered && n->start != 1)
            xmlTextWriterWriteFormatAttribute(x->w, X("start"), "%d", n->start);
        for (const doc_node *it = n->first; it; it = it->next) {
            xmlTextWriterStartElement(x->w, X("li"));
            markers_in(x, MARK_BLOCK, it->id, 0, 0);
            blocks(x, it->first, NULL);
            xmlTextWriterEndElement(x->w);
        }
        xmlTextWriterEndElement(x->w);
        break;
    case DOC_QUOTE:
        xmlTextWriterStartElement(x->w, X("blockquote"));
        blocks(x, n->first, NULL);
        xmlTextWriterEndElement(x->w);
        break;
    case DOC_CODEBLOCK:
        xmlTextWriterStartElement(x->w, X("pre"));
        xmlTextWriterStartElement(x->w, X("code"));
        xmlTextWriterWriteString(x->w, X(n->text ? n->text : ""));
        xmlTextWriterEndElement(x->w);
        xmlTextWriterEndElement(x->w);
        break;
    case DOC_HR:
        xmlTextWriterStartElement(x->w, X("hr"));
        xmlTextWriterEndElement(x->w);
        break;
    case DOC_TABLE:
        xmlTextWriterStartElement(x->w, X("table"));
        for (const doc_node *r = n->first; r; r = r->next) {
            xmlTextWriterStartElement(x->w, X("tr"));
            for (const doc_node *c = r->first; c; c = c->next)
                element_block(x, c, r->header ? "th" : "td");
            xmlTextWriterEndElement(x->w);
        }
        xmlTextWriterEndElement(x->w);
        break;
    default:
        blocks(x, n->first, NULL);
        break;
    }
}

static void blocks(writer *x, const doc_node *first, const doc_node *stop)
{
    for (const doc_node *n = first; n && n != stop; n = n->next)
        block(x, n);
}

/* ---- the documents ---------------------------------------------------- */

static void add_toc(epub *e, const char *title, int level, const char *file,
                    const char *id)
{
    xgrow((void **)&e->toc, &e->cap_toc, e->ntoc + 1, sizeof *e->toc);
    e->toc[e->ntoc++] = (epub_toc){xstrdup(title), level,
                                   xasprintf("%s#%s", file, id)};
}

static void title_page(epub *e)
{
    const doc_meta *m = &e->d->meta;
    xmlBufferPtr b;
    xmlTextWriterPtr w = epub_xhtml_begin(e, &b, m->title ? m->title : "", NULL);
    writer x = {e, w, "title.xhtml", 0, -1};
    xmlTextWriterStartElement(w, X("section"));
    xmlTextWriterWriteAttribute(w, X("epub:type"), X("titlepage"));
    xmlTextWriterWriteAttribute(w, X("class"), X("titlepage"));
    markers_in(&x, MARK_TITLE, -1, 0, 0);
    xmlTextWriterStartElement(w, X("h1"));
    xmlTextWriterWriteAttribute(w, X("id"), X("title"));
    xmlTextWriterWriteString(w, X(m->title ? m->title : ""));
    xmlTextWriterEndElement(w);
    if (m->subtitle)
        xmlTextWriterWriteElement(w, X("p"), X(m->subtitle));
    char jd[64];
    doc_date_ja(e->d, jd, sizeof jd);
    if (*jd) {
        xmlTextWriterStartElement(w, X("p"));
        xmlTextWriterWriteAttribute(w, X("class"), X("date"));
        xmlTextWriterWriteString(w, X(jd));
        xmlTextWriterEndElement(w);
    }
    const char *who[] = {m->author, m->publisher};
    for (int i = 0; i < 2; i++)
        if (who[i]) {
            xmlTextWriterStartElement(w, X("p"));
            xmlTextWriterWriteAttribute(w, X("class"), X("publisher"));
            xmlTextWriterWriteString(w, X(who[i]));
            xmlTextWriterEndElement(w);
        }
    if (m->rights) {
        xmlTextWriterStartElement(w, X("p"));
        xmlTextWriterWriteAttribute(w, X("class"), X("rights"));
        xmlTextWriterWriteString(w, X(m->rights));
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);
    epub_xhtml_end(e, w, b, "title.xhtml", m->title ? m->title : "表紙", NULL);
}

/* The top-level sections, each with the file it goes to. */
static char *section_file(size_t k)
{
    return xasprintf("s%03zu.xhtml", k);
}

static void sections(epub *e)
{
    const doc_node *root = e->d->root;
    const doc_node *n = root->first;
    size_t k = 0;
    while (n && n != e->back) {
        const doc_node *start = n;
        n = n->next;
        while (n && n != e->back &&
               !(n->kind == DOC_HEADING && n->level == e->top_level))
            n = n->next;
        char *file = section_file(k++);
        char *title = start->kind == DOC_HEADING ? doc_plain_text(start)
                                                 : xstrdup(e->d->meta.title
                                                               ? e->d->meta.title : "");
        xmlBufferPtr b;
        xmlTextWriterPtr w = epub_xhtml_begin(e, &b, title, "bodymatter");
        writer x = {e, w, file, 0, -1};
        xmlTextWriterStartElement(w, X("section"));
        blocks(&x, start, n);
        xmlTextWriterEndElement(w);
        epub_xhtml_end(e, w, b, file, title, NULL);
        free(title);
        free(file);
    }
}

static void notes(epub *e)
{
    const doc *d = e->d;
    if (d->nnotes == 0)
        return;
    xmlBufferPtr b;
    xmlTextWriterPtr w = epub_xhtml_begin(e, &b, "注", "backmatter");
    writer x = {e, w, "notes.xhtml", 0, -1};
    xmlTextWriterStartElement(w, X("section"));
    xmlTextWriterWriteAttribute(w, X("epub:type"), X("endnotes"));
    xmlTextWriterWriteAttribute(w, X("role"), X("doc-endnotes"));
    /* the page on which the notes begin starts at their heading */
    if (d->nnotes && d->notes[0].body->first)
        markers_in(&x, MARK_BLOCK, d->notes[0].body->first->id, 0, 0);
    xmlTextWriterStartElement(w, X("h1"));
    xmlTextWriterWriteAttribute(w, X("id"), X("notes"));
    xmlTextWriterWriteString(w, X("注"));
    xmlTextWriterEndElement(w);
    xmlTextWriterStartElement(w, X("ol"));
    xmlTextWriterWriteAttribute(w, X("class"), X("notes"));
    for (size_t i = 0; i < d->nnotes; i++) {
        const doc_note *nt = &d->notes[i];
        char id[24], back[64], label[16];
        snprintf(id, sizeof id, "note%d", nt->number);
        const char *rf = nt->number <= (int)d->nnotes && e->ref_file[nt->number]
                             ? e->ref_file[nt->number] : "s000.xhtml";
        snprintf(back, sizeof back, "%s#ref%d", rf, nt->number);
        snprintf(label, sizeof label, "%d)", nt->number);
        xmlTextWriterStartElement(w, X("li"));
        xmlTextWriterWriteAttribute(w, X("id"), X(id));
        xmlTextWriterWriteAttribute(w, X("epub:type"), X("endnote"));
        xmlTextWriterWriteFormatAttribute(w, X("value"), "%d", nt->number);
        /* the backlink first (Kindle and Apple Books pop-ups read it) */
        const doc_node *first = nt->body->first;
        bool inline_back = first && first->kind == DOC_PARA;
        if (first)
            markers_in(&x, MARK_BLOCK, first->id, 0, 0);
        xmlTextWriterStartElement(w, X("p"));
        xmlTextWriterStartElement(w, X("a"));
        xmlTextWriterWriteAttribute(w, X("href"), X(back));
        xmlTextWriterWriteAttribute(w, X("role"), X("doc-backlink"));
        xmlTextWriterWriteAttribute(w, X("class"), X("backlink"));
        xmlTextWriterWriteString(w, X(label));
        xmlTextWriterEndElement(w);
        xmlTextWriterWriteString(w, X(" "));
        if (inline_back)
            inlines(&x, first);
        xmlTextWriterEndElement(w);
        blocks(&x, inline_back ? first->next : first, NULL);
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w); /* ol */
    xmlTextWriterEndElement(w); /* section */
    epub_xhtml_end(e, w, b, "notes.xhtml", "注", NULL);
}

static void back_matter(epub *e)
{
    if (!e->back)
        return;
    char *title = doc_plain_text(e->back);
    xmlBufferPtr b;
    xmlTextWriterPtr w = epub_xhtml_begin(e, &b, title, "backmatter");
    writer x = {e, w, "back.xhtml", 0, -1};
    xmlTextWriterStartElement(w, X("section"));
    xmlTextWriterWriteAttribute(w, X("class"), X("back"));
    blocks(&x, e->back, NULL);
    xmlTextWriterEndElement(w);
    epub_xhtml_end(e, w, b, "back.xhtml", title, NULL);
    free(title);
}

/* The contents as printed (the nav document holds the navigable one). */
static void contents(epub *e)
{
    xmlBufferPtr b;
    xmlTextWriterPtr w = epub_xhtml_begin(e, &b, "目次", "frontmatter");
    writer x = {e, w, "contents.xhtml", 0, -1};
    xmlTextWriterStartElement(w, X("section"));
    xmlTextWriterWriteAttribute(w, X("class"), X("contents"));
    xmlTextWriterWriteElement(w, X("h1"), X("目次"));
    xmlTextWriterStartElement(w, X("ol"));
    for (size_t i = 0; i < e->ntoc; i++) {
        xmlTextWriterStartElement(w, X("li"));
        markers_in(&x, MARK_TOC, (int)i, 0, 0);
        xmlTextWriterWriteAttribute(w, X("class"), X(e->toc[i].level > 1 ? "sub" : "top"));
        xmlTextWriterStartElement(w, X("a"));
        xmlTextWriterWriteAttribute(w, X("href"), X(e->toc[i].href));
        xmlTextWriterWriteString(w, X(e->toc[i].title));
        xmlTextWriterEndElement(w);
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);
    xmlTextWriterEndElement(w);
    epub_xhtml_end(e, w, b, "contents.xhtml", "目次", NULL);
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
            char *t = doc_plain_text(n), id[24];
            snprintf(id, sizeof id, "h%d", n->id);
            add_toc(e, t, n->level - e->top_level + 1, name, id);
            free(t);
        }
        for (const doc_node *c = n; c; c = doc_next(n, c))
            if (c->kind == DOC_NOTEREF && c->ref == 1 &&
                c->note <= (int)d->nnotes && !e->ref_file[c->note])
                e->ref_file[c->note] = xstrdup(name);
    }
    if (d->nnotes)
        add_toc(e, "注", 1, "notes.xhtml", "notes");
    if (e->back) {
        char *t = doc_plain_text(e->back), id[24];
        snprintf(id, sizeof id, "h%d", e->back->id);
        add_toc(e, t, 1, "back.xhtml", id);
        free(t);
    }
}

void epub_content(epub *e)
{
    plan(e);
    title_page(e);
    contents(e);
    sections(e);
    notes(e);
    back_matter(e);
}
