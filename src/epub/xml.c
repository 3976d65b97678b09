/* The sticky-error XML writer (see xml.h). */
#include "epub/xml.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util/xalloc.h"

#define X(s) ((const xmlChar *)(s))

/* XML 1.0 takes no C0 control but tab, newline and return: a manuscript's
 * stray backspace or form feed would make the document unreadable. s
 * without them, in *copy (freed by the caller) when any was there. */
static const char *xml_chars(const char *s, char **copy)
{
    *copy = NULL;
    const char *p = s;
    while (*p && ((unsigned char)*p >= 0x20 || *p == '\t' || *p == '\n' ||
                  *p == '\r'))
        p++;
    if (!*p)
        return s;
    char *c = xstrdup(s), *o = c;
    for (p = s; *p; p++)
        if ((unsigned char)*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r')
            *o++ = *p;
    *o = '\0';
    *copy = c;
    return c;
}

static void check(xw *x, int rc)
{
    if (rc < 0)
        x->failed = true;
}

void xw_open(xw *x)
{
    *x = (xw){0};
    x->b = xmlBufferCreate();
    x->w = x->b ? xmlNewTextWriterMemory(x->b, 0) : NULL;
    if (!x->w) {
        x->failed = true;
        return;
    }
    check(x, xmlTextWriterSetIndent(x->w, 0));
    check(x, xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL));
}

void xw_start(xw *x, const char *tag)
{
    if (!x->failed)
        check(x, xmlTextWriterStartElement(x->w, X(tag)));
}

void xw_attr(xw *x, const char *name, const char *value)
{
    if (x->failed)
        return;
    char *copy;
    check(x, xmlTextWriterWriteAttribute(x->w, X(name),
                                         X(xml_chars(value, &copy))));
    free(copy);
}

void xw_attrf(xw *x, const char *name, const char *fmt, ...)
{
    if (x->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    check(x, xmlTextWriterWriteVFormatAttribute(x->w, X(name), fmt, ap));
    va_end(ap);
}

void xw_end(xw *x)
{
    if (!x->failed)
        check(x, xmlTextWriterEndElement(x->w));
}

void xw_text(xw *x, const char *s)
{
    if (x->failed)
        return;
    char *copy;
    check(x, xmlTextWriterWriteString(x->w, X(xml_chars(s, &copy))));
    free(copy);
}

void xw_raw_dtd(xw *x, const char *name)
{
    if (!x->failed)
        check(x, xmlTextWriterWriteDTD(x->w, X(name), NULL, NULL, NULL));
}

void xw_element(xw *x, const char *tag, const char *cls, const char *text)
{
    xw_start(x, tag);
    if (cls)
        xw_attr(x, "class", cls);
    xw_text(x, text);
    xw_end(x);
}

void xw_link(xw *x, const char *href, const char *type, const char *text,
             bool item)
{
    if (item)
        xw_start(x, "li");
    xw_start(x, "a");
    if (type)
        xw_attr(x, "epub:type", type);
    xw_attr(x, "href", href);
    xw_text(x, text);
    xw_end(x);
    if (item)
        xw_end(x);
}

bool xw_close(xw *x)
{
    if (x->w) {
        if (!x->failed)
            check(x, xmlTextWriterEndDocument(x->w));
        xmlFreeTextWriter(x->w);
        x->w = NULL;
    }
    return !x->failed;
}
