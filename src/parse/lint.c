#include "parse/lint.h"

#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"

bool lint_encoding(const char *path, const char *src, size_t n, diag *dg)
{
    bool ok = true;
    int line = 1;
    size_t bol = 0;
    int reported_line = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\n') {
            line++;
            bol = ++i;
            continue;
        }
        int col = (int)(i - bol) + 1;
        if (c == 0) {
            if (reported_line != line)
                diag_error(dg, (diag_loc){path, line, col},
                           "NUL byte in the manuscript");
            reported_line = line;
            ok = false;
            i++;
            continue;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int k = utf8_decode(src + i, n - i, &cp);
        if (k == 0) {
            if (reported_line != line)
                diag_error(dg, (diag_loc){path, line, col},
                           "invalid UTF-8 (byte 0x%02X)", c);
            reported_line = line;
            ok = false;
            i++;
            continue;
        }
        i += (size_t)k;
    }
    return ok;
}

typedef struct label_use {
    char *label;
    int line, col;
    bool def;
} label_use;

typedef struct uses {
    label_use *v;
    size_t n, cap;
} uses;

static void add_use(uses *u, const char *s, size_t len, int line, int col,
                    bool def)
{
    xgrow((void **)&u->v, &u->cap, u->n + 1, sizeof *u->v);
    u->v[u->n++] = (label_use){xstrndup(s, len), line, col, def};
}

/* Scans one source line for [^label] and [^label]:, outside code spans
 * and HTML comments (*comment: one is open, from line to line). */
static void scan_line(uses *u, const char *s, size_t len, int line,
                      bool *comment)
{
    size_t lead = 0;
    while (lead < len && lead < 4 && s[lead] == ' ')
        lead++;
    bool in_code = false;
    for (size_t i = 0; i < len; i++) {
        if (*comment) {
            if (i + 2 < len && memcmp(s + i, "-->", 3) == 0) {
                *comment = false;
                i += 2;
            }
            continue;
        }
        if (!in_code && i + 3 < len && memcmp(s + i, "<!--", 4) == 0) {
            *comment = true;
            i += 3;
            continue;
        }
        if (i + 2 >= len)
            break;
        if (s[i] == '`') {
            in_code = !in_code;
            continue;
        }
        if (in_code || s[i] == '\\') {
            i += s[i] == '\\';
            continue;
        }
        if (s[i] != '[' || s[i + 1] != '^')
            continue;
        size_t j = i + 2;
        while (j < len && s[j] != ']' && s[j] != '[' && s[j] != ' ')
            j++;
        if (j >= len || s[j] != ']' || j == i + 2)
            continue;
        bool def = i == lead && lead < 4 && j + 1 < len && s[j + 1] == ':';
        add_use(u, s + i + 2, j - i - 2, line, (int)i + 1, def);
        i = j;
    }
}

static bool is_fence_line(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && i < 3 && s[i] == ' ')
        i++;
    return len - i >= 3 && (memcmp(s + i, "```", 3) == 0 ||
                            memcmp(s + i, "~~~", 3) == 0);
}

static int find(const uses *u, const char *label, bool def, size_t before)
{
    for (size_t i = 0; i < before && i < u->n; i++)
        if (u->v[i].def == def && strcmp(u->v[i].label, label) == 0)
            return (int)i;
    return -1;
}

bool lint_notes(const char *path, const char *src, size_t n, int line0,
                bool partial, diag *dg, buf *undefined)
{
    uses u = {0};
    bool fenced = false, comment = false;
    int line = line0;
    for (size_t pos = 0; pos < n; line++) {
        const char *e = memchr(src + pos, '\n', n - pos);
        size_t len = e ? (size_t)(e - (src + pos)) : n - pos;
        if (!comment && is_fence_line(src + pos, len))
            fenced = !fenced;
        else if (!fenced)
            scan_line(&u, src + pos, len, line, &comment);
        pos += len + 1;
    }
    bool ok = true;
    for (size_t i = 0; i < u.n; i++) {
        label_use *x = &u.v[i];
        diag_loc loc = {path, x->line, x->col};
        if (!x->def && find(&u, x->label, true, u.n) < 0) {
            if (partial)
                diag_error(dg, loc, "note reference [^%s] has no definition in "
                           "the copies that leave out a ::: block it is "
                           "defined in", x->label);
            else
                diag_error(dg, loc, "note reference [^%s] has no definition",
                           x->label);
            buf_printf(undefined, "[^%s]", x->label);
            buf_putc(undefined, '\0');
            ok = false;
        } else if (x->def && find(&u, x->label, true, i) >= 0) {
            int first = find(&u, x->label, true, i);
            diag_warning(dg, loc,
                         "note [^%s] is defined twice (first at line %d); "
                         "this definition is ignored",
                         x->label, u.v[first].line);
        } else if (x->def && !partial && find(&u, x->label, false, u.n) < 0) {
            diag_warning(dg, loc, "note [^%s] is defined but never referenced",
                         x->label);
        }
    }
    for (size_t i = 0; i < u.n; i++)
        free(u.v[i].label);
    free(u.v);
    return ok;
}

static bool bad_url_char(unsigned char c)
{
    return c <= 0x20 || c == 0x7F || strchr("<>\"{}|\\^`", c) != NULL;
}

static void links_in(const doc *d, const doc_node *top, diag *dg)
{
    for (const doc_node *n = top; n; n = doc_next(top, n)) {
        if (n->kind != DOC_LINK || !n->url)
            continue;
        for (const char *p = n->url; *p; p++) {
            if (bad_url_char((unsigned char)*p)) {
                diag_warning(dg, (diag_loc){d->path, n->line, n->col},
                             "URL '%s' contains %s", n->url,
                             *p == ' ' ? "a space" : "a character not allowed in a URL");
                break;
            }
        }
    }
}

void lint_links(const doc *d, diag *dg)
{
    links_in(d, d->root, dg);
    for (size_t i = 0; i < d->nnotes; i++)
        links_in(d, d->notes[i].body, dg);
}
