#include "doc/dump.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static void quoted(buf *out, const char *s, size_t n)
{
    buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            buf_printf(out, "\\%c", c);
        else if (c == '\n')
            buf_puts(out, "\\n");
        else if (c < 0x20)
            buf_printf(out, "\\x%02x", c);
        else
            buf_putc(out, (char)c);
    }
    buf_putc(out, '"');
}

static int depth_of(const doc_node *top, const doc_node *n)
{
    int k = 0;
    for (; n && n != top; n = n->parent)
        k++;
    return k;
}

static void node_line(buf *out, const doc_node *top, const doc_node *n)
{
    for (int i = depth_of(top, n); i > 0; i--)
        buf_puts(out, "  ");
    buf_printf(out, "%s %d:%d", doc_kind_name(n->kind), n->line, n->col);
    switch (n->kind) {
    case DOC_HEADING:
        buf_printf(out, " level=%d", n->level);
        if (n->label)
            buf_printf(out, " #%s", n->label);
        if (n->short_title)
            buf_printf(out, " short=\"%s\"", n->short_title);
        break;
    case DOC_LIST:
        buf_printf(out, " %s", n->ordered ? "ordered" : "bullet");
        if (n->ordered)
            buf_printf(out, " start=%d", n->start);
        buf_puts(out, n->tight ? " tight" : " loose");
        break;
    case DOC_TROW:
        if (n->header)
            buf_puts(out, " header");
        break;
    case DOC_LINK:
        buf_puts(out, n->autolink ? " autolink " : " ");
        quoted(out, n->url, strlen(n->url));
        break;
    case DOC_NOTEREF:
        buf_printf(out, " note=%d ref=%d", n->note, n->ref);
        break;
    case DOC_TABLE:
        if (n->align)
            buf_printf(out, " align=%s", n->align);
        if (n->number)
            buf_printf(out, " number=%d", n->number);
        if (n->label)
            buf_printf(out, " #%s", n->label);
        break;
    case DOC_FIGURE: case DOC_IMAGE:
        buf_putc(out, ' ');
        quoted(out, n->url, strlen(n->url));
        if (n->number)
            buf_printf(out, " number=%d", n->number);
        if (n->label)
            buf_printf(out, " #%s", n->label);
        if (n->width.pct > 0)
            buf_printf(out, " width=%g%%", n->width.pct);
        if (n->width.pt > 0)
            buf_printf(out, " width=%gpt", n->width.pt);
        break;
    case DOC_XREF:
        buf_printf(out, " @%s number=%d", n->label, n->number);
        break;
    case DOC_RUBY: {
        buf_puts(out, n->mono ? " mono " : " ");
        char *r = xstrndup(n->text ? n->text : "", n->len);
        for (char *q = r; *q; q++)
            if (*q == DOC_RUBY_SEP)
                *q = '|';
        quoted(out, r, strlen(r));
        free(r);
        break;
    }
    case DOC_SPAN:
        buf_printf(out, " class=%s", n->info ? n->info : "");
        break;
    case DOC_TEXT: case DOC_CODE: case DOC_CODEBLOCK:
        buf_putc(out, ' ');
        quoted(out, n->text ? n->text : "", n->len);
        break;
    default:
        break;
    }
    buf_putc(out, '\n');
}

static void meta_line(buf *out, const char *key, const char *v)
{
    if (!v)
        return;
    buf_printf(out, "meta %s ", key);
    quoted(out, v, strlen(v));
    buf_putc(out, '\n');
}

void doc_dump(const doc *d, buf *out)
{
    const doc_meta *m = &d->meta;
    meta_line(out, "title", m->title);
    if (m->untitled)
        buf_puts(out, "meta untitled (the title is the file's name)\n");
    meta_line(out, "subtitle", m->subtitle);
    meta_line(out, "lang", m->lang);
    meta_line(out, "date", m->date);
    meta_line(out, "author", m->author);
    meta_line(out, "publisher", m->publisher);
    meta_line(out, "rights", m->rights);
    meta_line(out, "subject", m->subject);
    meta_line(out, "keywords", m->keywords);
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n))
        node_line(out, d->root, n);
    for (size_t i = 0; i < d->nnotes; i++) {
        const doc_note *nt = &d->notes[i];
        buf_printf(out, "note %d [^%s] %d:%d refs=%d\n", nt->number, nt->label,
                   nt->line, nt->col, nt->nrefs);
        for (const doc_node *n = nt->body->first; n;
             n = doc_next(nt->body, n))
            node_line(out, nt->body, n);
    }
}
