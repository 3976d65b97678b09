/* The manuscript's body as cmark reads it (see pre.h). */
#define _GNU_SOURCE /* memmem */
#include "parse/pre.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum { COND_DEPTH = 16 };

typedef struct prep {
    const char *path;
    diag *dg;
    buf *out;
    int line;            /* file line being read */
    size_t out_bol;      /* where that line starts in out */
    bool comment;        /* inside <!-- ... --> */
    bool unclosed;       /* a comment that never closes (an error) */
    int tick;            /* inside a code span opened by this many
                            backticks, or 0 */
    char fence;          /* inside a fenced code block of this character */
    size_t fence_len;
    const char *edition; /* whose copy (doc_cond_visible) */
    pre_conds *conds;    /* the conditional blocks found */
    int open[COND_DEPTH];/* the blocks open, innermost last */
    int depth;
    int hidden;          /* how many of them keep their text out */
} prep;

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* A fence line: white space (any: fences in list items are indented),
 * then three or more ` or ~. Returns its character and run length. */
static char fence_of(const char *s, size_t n, size_t *len)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i >= n || (s[i] != '`' && s[i] != '~'))
        return 0;
    size_t k = i;
    while (k < n && s[k] == s[i])
        k++;
    if (k - i < 3)
        return 0;
    *len = k - i;
    return s[i];
}

/* Does a run of exactly `run` backticks come before the paragraph ends
 * (a blank line) in s[0..n)? A code span is open only if it closes. */
static bool closes(const char *s, size_t n, int run)
{
    for (size_t i = 0; i < n;) {
        if (s[i] == '\n') {
            size_t e = i + 1;
            while (e < n && s[e] != '\n')
                e++;
            if (blank(s + i + 1, e - i - 1))
                return false;
        }
        if (s[i] == '`') {
            size_t k = i;
            while (k < n && s[k] == '`')
                k++;
            if ((int)(k - i) == run)
                return true;
            i = k;
            continue;
        }
        i++;
    }
    return false;
}

static void cut(prep *p, size_t len)
{
    int col = (int)(p->out->len - p->out_bol) + 1;
    diag_source_cut(p->dg, p->path, p->line, col, (int)len);
}

/* Where "-->" ends in s[from..n), or n. */
static size_t comment_end(const char *s, size_t n, size_t from, bool *closed)
{
    for (size_t k = from; k + 3 <= n; k++)
        if (memcmp(s + k, "-->", 3) == 0) {
            *closed = true;
            return k + 3;
        }
    *closed = false;
    return n;
}

/* One line (without its newline) of text that is not fenced code; the
 * body goes on for `nrest` bytes from s, for code spans that close on a
 * later line. */
static void line(prep *p, const char *s, size_t n, size_t nrest)
{
    if (blank(s, n))
        p->tick = 0; /* code spans end with their paragraph */
    size_t i = 0;
    if (p->comment) { /* one opened on a line before */
        bool closed;
        size_t stop = comment_end(s, n, 0, &closed);
        cut(p, stop);
        i = stop;
        p->comment = !closed;
    }
    while (i < n) {
        char c = s[i];
        if (c == '\\' && i + 1 < n && p->tick == 0) {
            buf_put(p->out, s + i, 2);
            i += 2;
            continue;
        }
        if (c == '`') {
            size_t k = i;
            while (k < n && s[k] == '`')
                k++;
            int run = (int)(k - i);
            if (p->tick == run)
                p->tick = 0;
            else if (p->tick == 0 && closes(s + k, nrest - k, run))
                p->tick = run;
            buf_put(p->out, s + i, k - i);
            i = k;
            continue;
        }
        if (p->tick == 0 && c == '<' && n - i >= 4 &&
            memcmp(s + i, "<!--", 4) == 0) {
            if (!memmem(s + i + 4, nrest - i - 4, "-->", 3)) {
                /* before its cut is told: the column is the file's */
                diag_error(p->dg, (diag_loc){p->path, p->line,
                                             (int)(p->out->len - p->out_bol) + 1},
                           "this HTML comment is never closed with '-->': "
                           "everything after it would be left out");
                p->unclosed = true;
            }
            bool closed;
            size_t stop = comment_end(s, n, i + 4, &closed);
            /* "a <!-- x --> b": one space between a and b, not two */
            if (closed && stop < n && s[stop] == ' ' && p->out->len > p->out_bol &&
                p->out->data[p->out->len - 1] == ' ')
                stop++;
            cut(p, stop - i);
            p->comment = !closed;
            i = stop;
            continue;
        }
        buf_putc(p->out, c);
        i++;
    }
}

void pre_conds_free(pre_conds *c)
{
    for (size_t i = 0; i < c->n; i++)
        free((char *)c->v[i].ids);
    free(c->v);
    *c = (pre_conds){0};
}

/* A fence of three or more colons (up to three spaces before it): the
 * number of colons, or 0. */
static size_t colons(const char *s, size_t n, size_t *at)
{
    size_t i = 0;
    while (i < n && i < 3 && s[i] == ' ')
        i++;
    size_t k = i;
    while (k < n && s[k] == ':')
        k++;
    *at = k;
    return k - i >= 3 ? k - i : 0;
}

/* The value of attribute `name` ("editions", "except") in an attribute
 * text {...}, quoted with " or ': a new string, or NULL. */
static char *attribute(const char *s, size_t n, const char *name)
{
    size_t k = strlen(name);
    for (size_t i = 0; i + k + 2 < n; i++) {
        if (memcmp(s + i, name, k) != 0 || s[i + k] != '=' ||
            (i > 0 && s[i - 1] != ' ' && s[i - 1] != '{'))
            continue;
        char q = s[i + k + 1];
        if (q != '"' && q != '\'')
            return NULL;
        const char *v = s + i + k + 2;
        const char *e = memchr(v, q, n - (size_t)(v - s));
        return e ? xstrndup(v, (size_t)(e - v)) : NULL;
    }
    return NULL;
}

/* A conditional block's opening or closing line, taken (true: the line
 * reaches cmark blank) or not (false: a colon fence of another kind). */
static bool cond_line(prep *p, const char *s, size_t n)
{
    size_t at;
    if (!colons(s, n, &at))
        return false;
    size_t i = at;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (blank(s + i, n - i)) { /* a closing fence: the innermost open */
        if (p->depth == 0)
            return false;
        int k = p->open[--p->depth];
        if (!doc_cond_visible(p->conds->v, (size_t)k, p->edition))
            p->hidden--;
        return true;
    }
    if (s[i] != '{')
        return false;
    const char *close = memchr(s + i, '}', n - i);
    if (!close)
        return false;
    size_t an = (size_t)(close - (s + i)) + 1;
    char *only = attribute(s + i, an, "editions");
    char *but = attribute(s + i, an, "except");
    if (!only && !but)
        return false;
    diag_loc loc = {p->path, p->line, (int)(i + 1)};
    const char *ids = only ? only : but;
    bool any = false;
    for (const char *c = ids; *c; c++)
        any |= *c != ' ';
    if ((only && but) || !any) {
        diag_error(p->dg, loc, "a ::: block names the editions it is for "
                   "with editions=\"a b\" or those it is not for with "
                   "except=\"c\", one of them, not empty");
        p->unclosed = true;
    }
    if (p->depth == COND_DEPTH) {
        diag_error(p->dg, loc, "::: blocks for editions nest %d deep at most",
                   COND_DEPTH);
        p->unclosed = true;
        free(only);
        free(but);
        return true;
    }
    doc_cond c = {.ids = xstrdup(ids), .except = !only, .line = p->line,
                  .col = (int)(i + 1),
                  .parent = p->depth ? p->open[p->depth - 1] : -1};
    free(only);
    free(but);
    XPUSH(p->conds->v, p->conds->n, p->conds->cap, c);
    int k = (int)p->conds->n - 1;
    p->open[p->depth++] = k;
    if (!doc_cond_visible(p->conds->v, (size_t)k, p->edition))
        p->hidden++;
    return true;
}

bool pre_prepare(const char *path, const char *src, size_t n, int line0,
                 const char *edition, buf *out, pre_conds *conds, diag *dg)
{
    pre_conds mine = {0};
    prep p = {.path = path, .dg = dg, .out = out, .line = line0,
              .edition = edition, .conds = conds ? conds : &mine};
    for (size_t pos = 0; pos <= n;) {
        const char *e = memchr(src + pos, '\n', n - pos);
        size_t len = e ? (size_t)(e - (src + pos)) : n - pos;
        const char *s = src + pos;
        p.out_bol = out->len;
        size_t flen = 0;
        char f = p.comment ? 0 : fence_of(s, len, &flen);
        if (p.fence) {
            /* fenced code is set as written, comments and all */
            if (!p.hidden)
                buf_put(out, s, len);
            if (f == p.fence && flen >= p.fence_len && blank(s, len) == false) {
                size_t k = 0;
                while (k < len && (s[k] == ' ' || s[k] == '\t'))
                    k++;
                if (blank(s + k + flen, len - k - flen))
                    p.fence = 0;
            }
        } else if (f && p.tick == 0) {
            p.fence = f;
            p.fence_len = flen;
            if (!p.hidden)
                buf_put(out, s, len);
        } else if (!p.comment && p.tick == 0 && cond_line(&p, s, len)) {
            /* the block's fence: a blank line */
        } else if (p.hidden) {
            /* not this copy's: the line stays, empty; its comments and
             * code spans are followed all the same */
            size_t mark = out->len;
            line(&p, s, len, n - pos);
            out->len = mark;
        } else {
            line(&p, s, len, n - pos);
        }
        if (!e)
            break;
        buf_putc(out, '\n');
        pos += len + 1;
        p.line++;
    }
    if (p.depth > 0) {
        const doc_cond *c = &p.conds->v[p.open[0]];
        diag_error(dg, (diag_loc){path, c->line, c->col}, "this ::: block for "
                   "editions is never closed with a ':::' line: everything "
                   "after it would be for those editions only");
        p.unclosed = true;
    }
    pre_conds_free(&mine);
    return !p.unclosed;
}
