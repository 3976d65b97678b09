/* Link targets (see url.h). cmark's own renderers refuse javascript:,
 * vbscript:, file: and data: URLs unless told --unsafe; kumihan builds its
 * own tree from cmark's, so the rule is here, and stricter: a PDF or EPUB
 * that travels by mail can only mean a web, mail or telephone address. */
#include "parse/url.h"

#include <ctype.h>
#include <stdbool.h>
#include <strings.h>
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

static bool is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool url_char(unsigned char c)
{
    return is_alnum(c) || (c != 0 && strchr("-._~:/?#[]@!$&'()*+,;=%", c));
}

size_t url_bare_at(const char *s, size_t n, size_t i, bool *www)
{
    const unsigned char *u = (const unsigned char *)s;
    if (i > 0 && is_alnum(u[i - 1]))
        return 0;
    size_t head;
    if (n - i >= 8 && strncasecmp(s + i, "https://", 8) == 0)
        head = 8;
    else if (n - i >= 7 && strncasecmp(s + i, "http://", 7) == 0)
        head = 7;
    else if (n - i >= 4 && strncasecmp(s + i, "www.", 4) == 0)
        head = 4;
    else
        return 0;
    *www = head == 4;
    size_t e = i + head;
    while (e < n && url_char(u[e])) {
        /* '%' only as a percent-encoding: "%E3" */
        if (u[e] == '%' && !(e + 2 < n && isxdigit(u[e + 1]) && isxdigit(u[e + 2])))
            break;
        e++;
    }
    /* the sentence's punctuation at its end, and closing brackets it
     * does not open, as GFM's autolink_delim */
    for (;;) {
        if (e <= i + head)
            return 0;
        unsigned char last = u[e - 1];
        if (strchr(".,:;!?'*", last)) {
            e--;
            continue;
        }
        if (last == ')' || last == ']') {
            unsigned char open = last == ')' ? '(' : '[';
            int depth = 0;
            for (size_t k = i; k < e; k++)
                depth += u[k] == open ? 1 : u[k] == last ? -1 : 0;
            if (depth < 0) {
                e--;
                continue;
            }
        }
        break;
    }
    /* a host: a letter or digit right after the scheme (www.: a dot
     * further on) */
    if (!is_alnum(u[i + head]))
        return 0;
    if (*www && !memchr(s + i + head, '.', e - i - head))
        return 0;
    return e - i;
}
