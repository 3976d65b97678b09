/* Which link targets may reach a document sent to a client. */
#ifndef KM_URL_H
#define KM_URL_H
#include <stdbool.h>
#include <stddef.h>

typedef enum url_kind {
    URL_LINK,   /* http:, https:, mailto:, tel: — set as a live link */
    URL_UNSAFE, /* javascript:, vbscript:, file:, data: — an error */
    URL_PLAIN,  /* any other scheme, or relative: set as text, no link */
} url_kind;

/* The longest target set as a link, in bytes: a longer one is set as its
 * text with a warning. Browsers take longer ones, but a PDF writes the
 * target once per line the link spans, so a 100 KB URL would cost
 * megabytes and minutes; nothing a reader types is this long. */
#define URL_MAX 4096

/* Classifies a link's target as a reader's browser would read its scheme:
 * ASCII letter case ignored, and spaces, tabs, newlines and other ASCII
 * controls dropped wherever they are (so " JavaScript:" and "java\tscript:"
 * are javascript:). `url` is after entity decoding (cmark's). The scheme,
 * lower case and without its colon, goes to scheme[0..n) ("" when the
 * target is relative). Never fails. */
url_kind url_classify(const char *url, char *scheme, size_t n);

/* A bare address written in running text at s[i] (GFM's extended
 * autolinks, for text with no spaces): "http://" or "https://" (any
 * letter case), or "www.", after a character that is not an ASCII letter
 * or digit, running over RFC 3986's characters (ASCII letters, digits and
 * - . _ ~ : / ? # [ ] @ ! $ & ' ( ) * + , ; =, and % with two hex
 * digits) and ending before the
 * first other one: a Japanese character ends it, so
 * "詳細はhttps://x.jp/a.pdfに掲載" links "https://x.jp/a.pdf". A full stop,
 * comma, colon, semicolon, ! ? ' * at its end, and a ) or ] it does not
 * open, are the sentence's. Returns its length (0: none); `www` says it
 * lacks a scheme (the link is http://...). */
size_t url_bare_at(const char *s, size_t n, size_t i, bool *www);

#endif
