/* Small helpers over libxml2's xmlTextWriter with a sticky error, as
 * HarfBuzz's allocation_successful and md4c's MD_CHECK: each call does
 * nothing once one has failed, and the document's writer reports it once
 * at the end (epub_finish), so no call's result is left unchecked. */
#ifndef KM_EPUB_XML_H
#define KM_EPUB_XML_H
#include <libxml/xmlwriter.h>
#include <stdbool.h>

typedef struct xw {
    xmlTextWriterPtr w;  /* owned until epub_finish */
    xmlBufferPtr b;      /* owned until epub_finish */
    bool failed;         /* a call failed: the document is not whole */
} xw;

/* A writer into memory with the XML declaration written. */
void xw_open(xw *x);
void xw_start(xw *x, const char *tag);
void xw_attr(xw *x, const char *name, const char *value);
void xw_attrf(xw *x, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void xw_end(xw *x);
void xw_text(xw *x, const char *s);
void xw_raw_dtd(xw *x, const char *name);
/* <tag>text</tag>, and with a class attribute when cls is not NULL. */
void xw_element(xw *x, const char *tag, const char *cls, const char *text);
/* <a [epub:type=type] href=href>text</a>, in a <li> when `item`. */
void xw_link(xw *x, const char *href, const char *type, const char *text,
             bool item);
/* Ends the document and frees the writer; the buffer stays for the
 * caller. Returns false if any call on x failed. */
bool xw_close(xw *x);

#endif
