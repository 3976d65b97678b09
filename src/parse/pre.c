/* The manuscript's body as cmark reads it (see pre.h). */
#define _GNU_SOURCE /* memmem */
#include "parse/pre.h"

#include <string.h>

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

bool pre_prepare(const char *path, const char *src, size_t n, int line0,
                 buf *out, diag *dg)
{
    prep p = {.path = path, .dg = dg, .out = out, .line = line0};
    for (size_t pos = 0; pos <= n;) {
        const char *e = memchr(src + pos, '\n', n - pos);
        size_t len = e ? (size_t)(e - (src + pos)) : n - pos;
        const char *s = src + pos;
        p.out_bol = out->len;
        size_t flen = 0;
        char f = p.comment ? 0 : fence_of(s, len, &flen);
        if (p.fence) {
            /* fenced code is set as written, comments and all */
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
            buf_put(out, s, len);
        } else {
            line(&p, s, len, n - pos);
        }
        if (!e)
            break;
        buf_putc(out, '\n');
        pos += len + 1;
        p.line++;
    }
    return !p.unclosed;
}
