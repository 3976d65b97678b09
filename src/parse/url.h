/* Which link targets may reach a document sent to a client. */
#ifndef KM_URL_H
#define KM_URL_H
#include <stddef.h>

typedef enum url_kind {
    URL_LINK,   /* http:, https:, mailto:, tel: — set as a live link */
    URL_UNSAFE, /* javascript:, vbscript:, file:, data: — an error */
    URL_PLAIN,  /* any other scheme, or relative: set as text, no link */
} url_kind;

/* Classifies a link's target as a reader's browser would read its scheme:
 * ASCII letter case ignored, and spaces, tabs, newlines and other ASCII
 * controls dropped wherever they are (so " JavaScript:" and "java\tscript:"
 * are javascript:). `url` is after entity decoding (cmark's). The scheme,
 * lower case and without its colon, goes to scheme[0..n) ("" when the
 * target is relative). Never fails. */
url_kind url_classify(const char *url, char *scheme, size_t n);

#endif
