/* Link targets (see url.h). cmark's own renderers refuse javascript:,
 * vbscript:, file: and data: URLs unless told --unsafe; kumihan builds its
 * own tree from cmark's, so the rule is here, and stricter: a PDF or EPUB
 * that travels by mail can only mean a web, mail or telephone address. */
#include "parse/url.h"

#include <stdbool.h>
#include <string.h>

static bool ignorable(unsigned char c)
{
    return c <= 0x20 || c == 0x7f; /* what URL parsers strip or skip */
}

static bool is_in(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return true;
    return false;
}

url_kind url_classify(const char *url, char *scheme, size_t n)
{
    static const char *const unsafe[] = {"javascript", "vbscript", "file",
                                         "data"};
    static const char *const linked[] = {"http", "https", "mailto", "tel"};
    char s[33];
    size_t len = 0;
    bool colon = false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        unsigned char c = *p;
        if (ignorable(c))
            continue;
        if (c == ':') {
            colon = true;
            break;
        }
        bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
        /* RFC 3986: a scheme is a letter, then letters, digits, + - . */
        if (!(letter || (len > 0 && other)) || len + 1 >= sizeof s)
            break;
        s[len++] = letter ? (char)(c | 0x20) : (char)c;
    }
    s[colon ? len : 0] = '\0';
    if (!colon)
        len = 0;
    if (n > 0) {
        size_t k = len < n - 1 ? len : n - 1;
        memcpy(scheme, s, k);
        scheme[k] = '\0';
    }
    if (len == 0)
        return URL_PLAIN;
    if (is_in(s, unsafe, sizeof unsafe / sizeof *unsafe))
        return URL_UNSAFE;
    if (is_in(s, linked, sizeof linked / sizeof *linked))
        return URL_LINK;
    return URL_PLAIN;
}
