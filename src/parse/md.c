#define _GNU_SOURCE /* memmem */
#include "parse/md.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/notes.h"
#include "parse/cite.h"
#include "parse/emphasis.h"
#include "parse/figures.h"
#include "parse/frontmatter.h"
#include "parse/lint.h"
#include "parse/pre.h"
#include "parse/sources.h"
#include "parse/url.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

typedef struct conv {
    doc *d;
    diag *dg;
    const char *src; /* the Markdown body */
    size_t n;
    int line0;       /* file line of the body's first line, minus 1 */
    const char **line_starts;
    int nlines;
    doc_node *cur;   /* where new nodes go */
    int depth;       /* depth of cur */
    unsigned char *made; /* per open cmark container: did it make a node? */
    size_t nmade, capmade;
    bool warned_depth;
    buf text;        /* pending text, merged across cmark's splits */
    int text_line, text_col;
    int ndefs;       /* footnote definitions seen, in cmark's order */
    int year;        /* this year, for the citations' checks */
    int last_line, last_col; /* the last position cmark reported */
    /* inline HTML: <rt> text goes to the open ruby's reading, <rp> text
     * nowhere */
    doc_node *ruby;  /* the <ruby> element open, or NULL */
    buf rt;
    bool in_rt, in_rp;
    const buf *undefined; /* "[^label]\0"... lint_notes reported */
    /* the last bytes of the text flushed in this paragraph, across its
     * emphasis and links: the 米国 of **米国**特許第…号 */
    char before[32];
    size_t nbefore;
    bool after_note; /* the last node was a note reference */
    const emph_marks *marks; /* put in the body cmark read (emphasis.h) */
} conv;

/* East Asian wide characters (and full-width punctuation): a soft line
 * break beside one is not a space (CSS Text 3, segment break
 * transformation). */
static bool is_wide(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

static uint32_t last_cp(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    size_t i = n - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    uint32_t cp;
    utf8_decode(s + i, n - i, &cp);
    return cp;
}

static uint32_t first_cp(const char *s)
{
    uint32_t cp = 0;
    if (s && *s)
        utf8_decode(s, strlen(s), &cp);
    return cp;
}

static void append_text(conv *c, const char *s, size_t n, int line, int col)
{
    if (n == 0)
        return;
    doc_node *t = doc_node_new(c->d, DOC_TEXT, line, col);
    t->text = arena_strndup(c->d->a, s, n);
    t->len = n;
    doc_append(c->cur, t);
}

/* Where `what` is written in the body at or after (line, col): its file
 * line and column, or (line, col) itself when it cannot be found. */
static bool find_in_source(conv *c, const char *what, size_t n, int *line,
                           int *col)
{
    int l = *line - c->line0;
    if (l < 1 || l > c->nlines)
        return false;
    const char *from = c->line_starts[l - 1] + (*col > 0 ? *col - 1 : 0);
    const char *end = c->src + c->n;
    if (from > end)
        return false;
    const char *at = memmem(from, (size_t)(end - from), what, n);
    if (!at)
        return false;
    while (l < c->nlines && c->line_starts[l] <= at)
        l++;
    *line = l + c->line0;
    *col = (int)(at - c->line_starts[l - 1]) + 1;
    return true;
}

/* A cross-reference as pandoc-crossref writes it, "[@fig:label]",
 * "[@tbl:label]" or "[@sec:label]", or a citation of a source,
 * "[@src:id]" (parse/sources.c): its length at s, or 0. */
static size_t xref_at(const char *s, size_t n)
{
    if (n < 8 || s[0] != '[' || s[1] != '@' ||
        !(memcmp(s + 2, "fig:", 4) == 0 || memcmp(s + 2, "tbl:", 4) == 0 ||
          memcmp(s + 2, "sec:", 4) == 0 || memcmp(s + 2, "src:", 4) == 0))
        return 0;
    size_t i = 6;
    while (i < n && (isalnum((unsigned char)s[i]) || strchr("_-.:", s[i])))
        i++;
    return i > 6 && i < n && s[i] == ']' ? i + 1 : 0;
}

/* A ruby as its source writes it, escapes undone. */
typedef struct ruby_text {
    buf base;           /* the base */
    buf reading;        /* the readings, DOC_RUBY_SEP between them */
    buf lit;            /* "{base|reading}" as cmark gives it */
    int readings;       /* how many (one per bar) */
    bool closed;        /* its '}' was found on the line */
} ruby_text;

/* Where the ruby whose text (as cmark gave it) is s, up to its bar, is
 * written: the first "{base" at or after (*line, *col), which become its
 * place; *p is just after its '{', *end its line's end. False if it is
 * not found. */
static bool ruby_source(conv *c, const char *s, const char *bar,
                        int *line, int *col, const char **p, const char **end)
{
    if (!find_in_source(c, s, (size_t)(bar - s), line, col))
        return false;
    int sl = *line - c->line0;
    if (sl < 1 || sl > c->nlines)
        return false;
    *p = c->line_starts[sl - 1] + *col;
    *end = sl < c->nlines ? c->line_starts[sl] : c->src + c->n;
    return true;
}

/* Reads "base|reading...}" from p to the end of its line: "\x" is x
 * (so "\|" is a bar of the base or the reading, not a separator). */
static void ruby_lex(const char *p, const char *end, ruby_text *r)
{
    buf *into = &r->base;
    buf_putc(&r->lit, '{');
    for (; p < end && *p != '\n'; p++) {
        if (*p == '\\' && p + 1 < end && ispunct((unsigned char)p[1])) {
            buf_putc(into, p[1]);
            buf_putc(&r->lit, p[1]);
            p++;
        } else if (*p == '|') {
            if (r->readings++ > 0)
                buf_putc(&r->reading, DOC_RUBY_SEP);
            into = &r->reading;
            buf_putc(&r->lit, '|');
        } else if (*p == '}') {
            buf_putc(&r->lit, '}');
            r->closed = true;
            return;
        } else {
            buf_putc(into, *p);
            buf_putc(&r->lit, *p);
        }
    }
}

/* Whether the ruby can be set: a base and a reading (no reading empty
 * at either end), and one reading for the base or one per base
 * character. Records the error at `at` if not. */
static bool ruby_valid(const conv *c, diag_loc at, const ruby_text *r)
{
    const buf *rd = &r->reading;
    size_t nbase = utf8_count(r->base.data, r->base.len);
    if (r->base.len == 0 || rd->len == 0 || rd->data[0] == DOC_RUBY_SEP ||
        rd->data[rd->len - 1] == DOC_RUBY_SEP) {
        diag_error(c->dg, at, "ruby '%s' needs a base and a reading: "
                   "{漢字|かんじ}", buf_str(&r->lit));
        return false;
    }
    if (r->readings > 1 && (size_t)r->readings != nbase) {
        diag_error(c->dg, at, "ruby '%s': %d readings for %zu base "
                   "characters; give one reading per character, or one "
                   "for the whole word", buf_str(&r->lit), r->readings, nbase);
        return false;
    }
    return true;
}

/* The ruby's node at (line, col): its reading, over a text node of its
 * base; mono ruby (a reading per base character) with more than one. */
static doc_node *ruby_node(conv *c, int line, int col, const ruby_text *r)
{
    doc_node *n = doc_node_new(c->d, DOC_RUBY, line, col);
    n->text = arena_strndup(c->d->a, r->reading.data, r->reading.len);
    n->len = r->reading.len;
    n->mono = r->readings > 1;
    doc_node *t = doc_node_new(c->d, DOC_TEXT, line, col + 1);
    t->text = arena_strndup(c->d->a, r->base.data, r->base.len);
    t->len = r->base.len;
    doc_append(n, t);
    return n;
}

/* Ruby as Japanese Markdown writes it: "{漢字|かんじ}" (group, VFM) or
 * "{漢字|かん|じ}" (mono, Denden: a reading per base character), "\|" a
 * bar in either. cmark has already turned "\|" into "|", so the ruby is
 * read again from the source, found at or after (line, col). Returns the
 * length of its text form at s (0: not a ruby) and makes its node (NULL
 * after an error). */
static size_t ruby_at(conv *c, const char *s, size_t n, int *line, int *col,
                      doc_node **made)
{
    *made = NULL;
    const char *close = memchr(s, '}', n);
    const char *bar = close ? memchr(s, '|', (size_t)(close - s)) : NULL;
    int l = *line, k = *col;
    const char *p, *end;
    if (!bar || !ruby_source(c, s, bar, &l, &k, &p, &end))
        return 0;
    ruby_text r = {0};
    ruby_lex(p, end, &r);
    size_t len = 0;
    if (r.closed && r.readings > 0 && r.lit.len <= n &&
        memcmp(r.lit.data, s, r.lit.len) == 0) {
        len = r.lit.len;
        if (ruby_valid(c, (diag_loc){c->d->path, l, k}, &r))
            *made = ruby_node(c, l, k, &r);
        *line = l;
        *col = k;
    }
    buf_free(&r.base);
    buf_free(&r.reading);
    buf_free(&r.lit);
    return len;
}

/* Is the text going into a link or an image's description already? */
static bool in_link(const conv *c)
{
    for (const doc_node *n = c->cur; n; n = n->parent)
        if (n->kind == DOC_LINK || n->kind == DOC_IMAGE)
            return true;
    return false;
}

static bool email_char(unsigned char ch)
{
    return isalnum(ch) || ch == '.' || ch == '_' || ch == '+' || ch == '-';
}

/* A bare e-mail address around the '@' at s[at], as GFM links it: its
 * local part from s[*start] (not before `from`), its domain letters,
 * digits, '-' and at least one '.' between them. Returns its end, or 0. */
static size_t email_at(const char *s, size_t n, size_t from, size_t at,
                       size_t *start)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t b = at;
    while (b > from && email_char(u[b - 1]))
        b--;
    size_t e = at + 1, dots = 0;
    while (e < n && (isalnum(u[e]) || u[e] == '-' || u[e] == '.' || u[e] == '_')) {
        dots += u[e] == '.';
        e++;
    }
    while (e > at + 1 && !isalnum(u[e - 1])) { /* a full stop after it */
        dots -= u[e - 1] == '.';
        e--;
    }
    if (b == at || dots == 0 || e == at + 1 || !isalnum(u[at + 1]))
        return 0;
    *start = b;
    return e;
}

/* A bare address in the text (url_bare_at, email_at) as a link node, its
 * text as written; `url` is what it links to. */
static void bare_link(conv *c, const char *text, size_t len, const char *pre,
                      int *line, int *col)
{
    find_in_source(c, text, len, line, col);
    doc_node *l = doc_node_new(c->d, DOC_LINK, *line, *col);
    char *url = xasprintf("%s%.*s", pre, (int)len, text);
    l->url = arena_strdup(c->d->a, url);
    free(url);
    l->autolink = true;
    doc_node *t = doc_node_new(c->d, DOC_TEXT, *line, *col);
    t->text = arena_strndup(c->d->a, text, len);
    t->len = len;
    doc_append(l, t);
    doc_append(c->cur, l);
    *col += (int)len;
}

/* A patent number (a link to its public record), or a case or other
 * document number (kept on one line: a span of class nobreak), its text
 * as written. */
static void cite_node(conv *c, const char *text, size_t len, const cite *ct,
                      int *line, int *col)
{
    find_in_source(c, text, len, line, col);
    doc_node *w;
    if (ct->kind == CITE_PATENT) {
        w = doc_node_new(c->d, DOC_LINK, *line, *col);
        w->url = arena_strdup(c->d->a, ct->url);
        w->cite = true;
    } else {
        w = doc_node_new(c->d, DOC_SPAN, *line, *col);
        w->info = ct->kind == CITE_CASE ? "nobreak" : "nobreak docnum";
        w->cite = ct->kind == CITE_CASE; /* kept whole as a case number */
    }
    doc_node *t = doc_node_new(c->d, DOC_TEXT, *line, *col);
    t->text = arena_strndup(c->d->a, text, len);
    t->len = len;
    doc_append(w, t);
    doc_append(c->cur, w);
    *col += (int)len; /* as bare_link counts */
}

/* Where a patent or case number may start: a kanji (特 実 再 令 平 昭 無
 * 不 異 訂 意 商), or W U E C J */
static bool may_cite(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s + i;
    if (strchr("WUECJ", s[i]) && s[i])
        return true;
    return n - i >= 3 && u[0] >= 0xE4 && u[0] <= 0xE8; /* 令…訂 */
}

/* "[^...]" left in the text by cmark: a note reference it could not read
 * (a label with a space, a definition it did not take), which would
 * print as written. An error, unless the writer escaped it ("\\[^1]"). */
static void stray_noteref(conv *c, const char *s, size_t n, int line, int col)
{
    const char *close = memchr(s, ']', n < 128 ? n : 128);
    if (!close || memchr(s + 1, '[', (size_t)(close - s) - 1))
        return;
    size_t len = (size_t)(close - s) + 1;
    for (size_t i = 0; i < c->undefined->len;) { /* said already */
        const char *u = c->undefined->data + i;
        if (strlen(u) == len && memcmp(u, s, len) == 0)
            return;
        i += strlen(u) + 1;
    }
    if (find_in_source(c, s, len, &line, &col)) {
        const char *at = c->line_starts[line - c->line0 - 1] + col - 1;
        if (at > c->src && at[-1] == '\\')
            return;
    } else {
        return; /* not as written: escaped, or made of entities */
    }
    diag_error(c->dg, (diag_loc){c->d->path, line, col},
               "'%.*s' is not a note reference here and would print as "
               "written: a label has no spaces, and its note is defined as "
               "'[^label]: text' at the start of a line", (int)len, s);
}

/* "[@...]" that is no cross-reference or citation ("[@src: x]" with a
 * space, pandoc's "[@key]"): it would print as written. An error, unless
 * escaped ("\\[@"); "[@sources]" is the sources list's (parse/sources.c
 * says where it may stand). */
static void stray_xref(conv *c, const char *s, size_t n, int line, int col)
{
    const char *close = memchr(s, ']', n < 128 ? n : 128);
    if (!close || memchr(s + 1, '[', (size_t)(close - s) - 1))
        return;
    size_t len = (size_t)(close - s) + 1;
    if (len == 10 && memcmp(s, "[@sources]", 10) == 0)
        return;
    if (find_in_source(c, s, len, &line, &col)) {
        const char *at = c->line_starts[line - c->line0 - 1] + col - 1;
        if (at > c->src && at[-1] == '\\')
            return;
    } else {
        return;
    }
    diag_error(c->dg, (diag_loc){c->d->path, line, col},
               "'%.*s' is neither a citation nor a cross-reference and would "
               "print as written: write [@src:id], [@sec:label], [@fig:label] "
               "or [@tbl:label], with no space (\\[@ prints it)", (int)len, s);
}

/* Entering struck text, or leaving it (`out`): the text before it is not
 * what follows reads after. An office struck out (<del>米国</del>特許第…号)
 * leaves its number unlinked: which office the reader should take, the
 * deleted one or none (J-PlatPat's), the text does not say. */
static void struck(conv *c, bool out)
{
    bool office = out && cite_names_office(c->before, c->nbefore);
    c->nbefore = 0;
    if (office) {
        memcpy(c->before, CITE_STRUCK_OFFICE, strlen(CITE_STRUCK_OFFICE));
        c->nbefore = strlen(CITE_STRUCK_OFFICE);
    }
}

/* The pending text as a text node, with each cross-reference, ruby and
 * bare address in it a node of its own. */
static void flush_text(conv *c)
{
    if (c->text.len == 0)
        return;
    if (c->in_rt || c->in_rp) { /* an HTML ruby's reading, or its fallback */
        if (c->in_rt)
            buf_put(&c->rt, c->text.data, c->text.len);
        buf_clear(&c->text);
        return;
    }
    /* the text may grow a node (a ruby) that reads the source: keep it */
    buf text = c->text;
    c->text = (buf){0};
    const char *s = text.data;
    size_t n = text.len, done = 0;
    int line = c->text_line, col = c->text_col;
    bool links = !in_link(c);
    for (size_t i = 0; i < n; i++) {
        bool www;
        size_t k = links && strchr("hHwW", s[i]) ? url_bare_at(s, n, i, &www)
                                                : 0;
        cite ct;
        if (k == 0 && links && may_cite(s, n, i) &&
            cite_after(c->before, c->nbefore, s, n, i, c->year, &ct)) {
            if (*ct.problem) {
                int pl = line, pc = col;
                find_in_source(c, s + i, ct.len, &pl, &pc);
                diag_warning(c->dg, (diag_loc){c->d->path, pl, pc},
                             "'%.*s': %s", (int)ct.len, s + i, ct.problem);
            }
            if (ct.kind != CITE_PATENT || *ct.url) {
                append_text(c, s + done, i - done, line, col);
                cite_node(c, s + i, ct.len, &ct, &line, &col);
                done = i + ct.len;
            }
            i += ct.len - 1;
            continue;
        }
        if (k > URL_MAX) { /* set as text (link_allowed's rule) */
            int ul = line, uc = col;
            find_in_source(c, s + i, k, &ul, &uc);
            diag_warning(c->dg, (diag_loc){c->d->path, ul, uc},
                         "an address of %zu bytes (more than %d): set as "
                         "text without a link", k, URL_MAX);
            i += k - 1;
            continue;
        }
        if (k > 0) {
            append_text(c, s + done, i - done, line, col);
            bare_link(c, s + i, k, www ? "http://" : "", &line, &col);
            done = i + k;
            i += k - 1;
            continue;
        }
        size_t from;
        size_t end = links && s[i] == '@' ? email_at(s, n, done, i, &from) : 0;
        if (end > 0) {
            append_text(c, s + done, from - done, line, col);
            bare_link(c, s + from, end - from, "mailto:", &line, &col);
            done = end;
            i = end - 1;
            continue;
        }
        if (s[i] == '{') {
            int rl = line, rc = col;
            doc_node *r;
            size_t rk = ruby_at(c, s + i, n - i, &rl, &rc, &r);
            if (rk > 0) {
                append_text(c, s + done, i - done, line, col);
                if (r)
                    doc_append(c->cur, r);
                line = rl;
                col = rc + (int)rk;
                done = i + rk;
                i += rk - 1;
            }
            continue;
        }
        if (s[i] == '^') { /* Denden Markdown's tate-chu-yoko: ^AI^ */
            size_t e = i + 1;
            while (e < n && e - i <= 9 && s[e] > ' ' && s[e] < 0x7f && s[e] != '^')
                e++;
            if (e < n && s[e] == '^' && e > i + 1 && e - i <= 9) {
                append_text(c, s + done, i - done, line, col);
                int tl = line, tc = col;
                find_in_source(c, s + i, e + 1 - i, &tl, &tc);
                doc_node *t = doc_node_new(c->d, DOC_TCY, tl, tc);
                doc_node *x = doc_node_new(c->d, DOC_TEXT, tl, tc + 1);
                x->text = arena_strndup(c->d->a, s + i + 1, e - i - 1);
                x->len = e - i - 1;
                doc_append(t, x);
                doc_append(c->cur, t);
                if (e - i - 1 > 4)
                    diag_warning(c->dg, (diag_loc){c->d->path, tl, tc},
                                 "tate-chu-yoko '%.*s' is %d characters: more "
                                 "than 4 will not fit a vertical line's width",
                                 (int)(e - i - 1), s + i + 1, (int)(e - i - 1));
                line = tl;
                col = tc + (int)(e + 1 - i);
                done = e + 1;
                i = e;
            }
            continue;
        }
        if (s[i] == '[' && i + 1 < n && s[i + 1] == '^')
            stray_noteref(c, s + i, n - i, line, col);
        k = s[i] == '[' ? xref_at(s + i, n - i) : 0;
        if (k == 0 && s[i] == '[' && i + 1 < n && s[i + 1] == '@')
            stray_xref(c, s + i, n - i, line, col);
        if (k == 0)
            continue;
        append_text(c, s + done, i - done, line, col);
        find_in_source(c, s + i, k, &line, &col);
        doc_node *x = doc_node_new(c->d, DOC_XREF, line, col);
        x->label = arena_strndup(c->d->a, s + i + 2, k - 3);
        doc_append(c->cur, x);
        col += (int)k;
        done = i + k;
        i += k - 1;
    }
    append_text(c, s + done, n - done, line, col);
    size_t keep = n < sizeof c->before ? n : sizeof c->before;
    if (c->nbefore + keep > sizeof c->before) {
        size_t drop = c->nbefore + keep - sizeof c->before;
        memmove(c->before, c->before + drop, c->nbefore - drop);
        c->nbefore -= drop;
    }
    memcpy(c->before + c->nbefore, s + n - keep, keep);
    c->nbefore += keep;
    buf_free(&text);
}

static void add_text(conv *c, const char *s, size_t len, int line, int col)
{
    if (c->after_note) { /* "AI[^1] は": the space typed after the mark */
        size_t k = 0;
        while (k < len && s[k] == ' ')
            k++;
        uint32_t next = 0;
        if (k > 0 && k < len)
            utf8_decode(s + k, len - k, &next);
        if (is_wide(next)) {
            s += k;
            len -= k;
            col += (int)k;
        }
        c->after_note = false;
    }
    if (c->text.len == 0) {
        c->text_line = line;
        c->text_col = col;
    }
    buf_put(&c->text, s, len);
}

static void soft_break(conv *c, cmark_node *n)
{
    cmark_node *nx = cmark_node_next(n);
    uint32_t before = last_cp(c->text.data, c->text.len);
    uint32_t after = 0;
    if (nx && cmark_node_get_type(nx) == CMARK_NODE_TEXT)
        after = first_cp(cmark_node_get_literal(nx));
    if ((c->text.len > 0 || c->after_note) && (is_wide(before) || is_wide(after)))
        return; /* (注[^1]⏎は: none after the mark either) */
    if (!nx)
        return;
    add_text(c, " ", 1, 0, 0);
}

/* The label of a note written at (line, col) of the body: "[^label]". */
static const char *label_at(conv *c, int line, int col, bool search_line)
{
    if (line < 1 || line > c->nlines)
        return "?";
    const char *s = c->line_starts[line - 1];
    const char *end = line < c->nlines ? c->line_starts[line] : c->src + c->n;
    const char *p = search_line ? s : s + (col > 0 ? col - 1 : 0);
    if (p >= end)
        return "?";
    const char *open = NULL;
    for (const char *q = p; q + 1 < end; q++)
        if (q[0] == '[' && q[1] == '^') {
            open = q + 2;
            break;
        }
    if (!open)
        return "?";
    const char *close = memchr(open, ']', (size_t)(end - open));
    if (!close)
        return "?";
    return arena_strndup(c->d->a, open, (size_t)(close - open));
}

static doc_kind block_kind(cmark_node *n, bool *known)
{
    *known = true;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_DOCUMENT: return DOC_ROOT;
    case CMARK_NODE_BLOCK_QUOTE: return DOC_QUOTE;
    case CMARK_NODE_LIST: return DOC_LIST;
    case CMARK_NODE_ITEM: return DOC_ITEM;
    case CMARK_NODE_PARAGRAPH: return DOC_PARA;
    case CMARK_NODE_HEADING: return DOC_HEADING;
    case CMARK_NODE_EMPH: return DOC_EMPH;
    case CMARK_NODE_STRONG: return DOC_STRONG;
    case CMARK_NODE_LINK: return DOC_LINK;
    case CMARK_NODE_IMAGE: return DOC_IMAGE;
    default: break;
    }
    const char *t = cmark_node_get_type_string(n);
    if (strcmp(t, "table") == 0)
        return DOC_TABLE;
    if (strcmp(t, "table_row") == 0 || strcmp(t, "table_header") == 0)
        return DOC_TROW;
    if (strcmp(t, "table_cell") == 0)
        return DOC_TCELL;
    if (strcmp(t, "strikethrough") == 0)
        return DOC_STRIKE;
    *known = false;
    return DOC_ROOT;
}

static void push_made(conv *c, bool made)
{
    xgrow((void **)&c->made, &c->capmade, c->nmade + 1, 1);
    c->made[c->nmade++] = made;
}

/* Only web, mail and telephone addresses become links: a javascript:,
 * vbscript:, file: or data: target is an error, anything else (another
 * scheme, a relative path) a warning, and set as its text alone. */
static bool link_allowed(conv *c, cmark_node *n, int line, int col)
{
    const char *url = cmark_node_get_url(n);
    char scheme[33];
    url_kind k = url_classify(url ? url : "", scheme, sizeof scheme);
    if (k == URL_LINK && strlen(url) > URL_MAX) {
        diag_warning(c->dg, (diag_loc){c->d->path, line, col},
                     "a link target of %zu bytes (more than %d): set as "
                     "text without a link", strlen(url), URL_MAX);
        return false;
    }
    if (k == URL_LINK)
        return true;
    /* quoted short (a data: URL can be long), controls made visible */
    buf b = {0};
    for (const unsigned char *p = (const unsigned char *)(url ? url : "");
         *p && b.len < 48; p++)
        if (*p < 0x20 || *p == 0x7f)
            buf_printf(&b, "\\x%02X", *p);
        else
            buf_putc(&b, (char)*p);
    if (url && strlen(url) > b.len && b.len >= 48)
        buf_puts(&b, "...");
    const char *shown = buf_str(&b);
    diag_loc at = {c->d->path, line, col};
    if (k == URL_UNSAFE)
        diag_error(c->dg, at, "link to '%s': %s: links are not allowed in a "
                   "document sent to readers (only http, https, mailto, tel)",
                   shown, scheme);
    else if (*scheme)
        diag_warning(c->dg, at, "link to '%s': %s: links mean nothing to a "
                     "reader; set as text without a link", shown, scheme);
    else
        diag_warning(c->dg, at, "link to '%s' is relative, which means nothing "
                     "in a PDF or EPUB sent by mail; set as text without a link",
                     shown);
    buf_free(&b);
    return false;
}

/* The cells of a pipe-table line ("| a | b |" -> 2), or 0 if it is none:
 * pipes at both ends, or at least one inside. */
static int pipe_cells(const char *s, size_t n, const char *pipe)
{
    size_t plen = strlen(pipe);
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    int pipes = 0;
    for (size_t i = 0; i + plen <= n; i++)
        if (memcmp(s + i, pipe, plen) == 0 && (i == 0 || s[i - 1] != '\\')) {
            pipes++;
            i += plen - 1;
        }
    bool lead = n >= plen && memcmp(s, pipe, plen) == 0;
    bool trail = n >= plen && memcmp(s + n - plen, pipe, plen) == 0;
    if (pipes == 0 || (pipes == 1 && (lead || trail) && !(lead && trail)))
        return 0;
    return pipes + 1 - lead - trail;
}

/* A delimiter row: cells of -, with : at either end, between pipes. */
static bool delimiter_row(const char *s, size_t n)
{
    bool dash = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-')
            dash = true;
        else if (!strchr("|: \t\r", s[i]))
            return false;
    }
    return dash && memchr(s, '|', n);
}

/* A paragraph the writer meant as a table, which GFM did not read as one
 * (it prints "| 出願人 | 件数 |" as it is): said at its line, with why. */
static void table_like(conv *c, int first, int last)
{
    if (first < 1 || last > c->nlines || last <= first)
        return;
    int rows = 0, wide = 0, delim = 0, head = 0, delim_cells = 0;
    for (int l = first; l <= last; l++) {
        const char *s = c->line_starts[l - 1];
        size_t n = (size_t)((l < c->nlines ? c->line_starts[l] - 1
                                           : c->src + c->n) - s);
        int k = pipe_cells(s, n, "|");
        if (k > 0)
            rows++;
        if (pipe_cells(s, n, "\xef\xbd\x9c") > 1) /* ｜ */
            wide++;
        if (delimiter_row(s, n) && !delim) {
            delim = l;
            delim_cells = k;
            head = l > first ? pipe_cells(c->line_starts[l - 2],
                                          (size_t)(s - 1 - c->line_starts[l - 2]), "|")
                             : 0;
        }
    }
    diag_loc at = {c->d->path, first + c->line0, 1};
    if (wide >= 2)
        diag_warning(c->dg, at, "full-width '｜' does not make a table: write "
                     "the half-width '|'; these lines are set as text");
    else if (rows >= 2 && delim && head && head != delim_cells)
        diag_warning(c->dg, (diag_loc){c->d->path, delim + c->line0, 1},
                     "not read as a table: its delimiter row has %d cell%s and "
                     "its header %d; these lines are set as text", delim_cells,
                     delim_cells == 1 ? "" : "s", head);
    else if (rows >= 2 && !delim)
        diag_warning(c->dg, at, "not read as a table: a table needs a delimiter "
                     "row (|---|---|) under its header; these lines are set as "
                     "text");
}

static void enter_container(conv *c, cmark_node *n, int line, int col)
{
    bool known;
    doc_kind k = block_kind(n, &known);
    if (!known) { /* other wrappers: keep the contents */
        push_made(c, false);
        return;
    }
    if (k == DOC_LINK && !link_allowed(c, n, line, col)) {
        push_made(c, false); /* the link text stays, as plain text */
        return;
    }
    if (c->depth >= PARSE_MAX_DEPTH) {
        if (!c->warned_depth)
            diag_warning(c->dg, (diag_loc){c->d->path, line, col},
                         "nesting deeper than %d levels is flattened",
                         PARSE_MAX_DEPTH);
        c->warned_depth = true;
        push_made(c, false);
        return;
    }
    push_made(c, true);
    flush_text(c);
    if (k == DOC_PARA)
        table_like(c, cmark_node_get_start_line(n),
                   cmark_node_get_end_line(n));
    doc_node *d = doc_node_new(c->d, k, line, col);
    switch (k) {
    case DOC_HEADING:
        d->level = cmark_node_get_heading_level(n);
        break;
    case DOC_LIST:
        d->ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
        d->start = cmark_node_get_list_start(n);
        d->tight = cmark_node_get_list_tight(n);
        break;
    case DOC_LINK: {
        const char *url = cmark_node_get_url(n);
        d->url = arena_strdup(c->d->a, url ? url : "");
        cmark_node *ch = cmark_node_first_child(n);
        const char *lit = ch ? cmark_node_get_literal(ch) : NULL;
        /* the link's text is a URL (<https://...>, or [https://...](...)
         * for one that links percent-encoded): it breaks like one */
        d->autolink = ch && !cmark_node_next(ch) && lit &&
                      (strcmp(lit, url) == 0 ||
                       (strncmp(url, "mailto:", 7) == 0 &&
                        strcmp(lit, url + 7) == 0) ||
                       strncmp(lit, "https://", 8) == 0 ||
                       strncmp(lit, "http://", 7) == 0);
        break;
    }
    case DOC_IMAGE: {
        const char *url = cmark_node_get_url(n);
        d->url = arena_strdup(c->d->a, url ? url : "");
        break;
    }
    case DOC_TABLE: {
        uint16_t cols = cmark_gfm_extensions_get_table_columns(n);
        uint8_t *al = cmark_gfm_extensions_get_table_alignments(n);
        char *a = arena_alloc(c->d->a, (size_t)cols + 1);
        for (uint16_t i = 0; i < cols; i++)
            a[i] = al && (al[i] == 'l' || al[i] == 'c' || al[i] == 'r')
                       ? (char)al[i] : '-';
        a[cols] = '\0';
        d->align = a;
        break;
    }
    case DOC_TROW:
        d->header = strcmp(cmark_node_get_type_string(n), "table_header") == 0;
        break;
    default:
        break;
    }
    doc_append(c->cur, d);
    c->cur = d;
    c->depth++;
}

/* Closes the HTML element c->cur (a ruby takes its reading). */
static void html_close(conv *c)
{
    doc_node *n = c->cur;
    if (n->kind == DOC_RUBY) {
        c->in_rt = c->in_rp = false;
        n->text = arena_strndup(c->d->a, c->rt.data ? c->rt.data : "",
                                c->rt.len);
        n->len = c->rt.len;
        buf_clear(&c->rt);
        c->ruby = NULL;
        if (!n->first || n->len == 0)
            diag_error(c->dg, (diag_loc){c->d->path, n->line, n->col},
                       "<ruby> needs a base and a reading (<rt>)");
    }
    c->cur = n->parent;
}

/* HTML elements a block leaves open close with it, with a warning. */
static void close_html(conv *c)
{
    while (c->cur->html) {
        diag_warning(c->dg, (diag_loc){c->d->path, c->cur->line, c->cur->col},
                     "<%s> is not closed: it ends with its paragraph",
                     c->cur->info && c->cur->kind != DOC_SPAN ? c->cur->info
                     : c->cur->kind == DOC_RUBY ? "ruby"
                     : c->cur->kind == DOC_SUP ? "sup"
                     : c->cur->kind == DOC_SUB ? "sub" : "span");
        flush_text(c);
        html_close(c);
    }
}

/* A class attribute's value kept to letters, digits, '-' and '_' and
 * single spaces (it goes into the EPUB's XHTML as it is). */
static const char *span_class(conv *c, const char *tag)
{
    const char *v = strstr(tag, "class=");
    if (!v)
        return "";
    v += 6;
    char q = *v == '"' || *v == '\'' ? *v++ : ' ';
    buf b = {0};
    for (; *v && *v != q && *v != '>' && b.len < 64; v++)
        if (isalnum((unsigned char)*v) || *v == '-' || *v == '_' ||
            (*v == ' ' && b.len && b.data[b.len - 1] != ' '))
            buf_putc(&b, *v);
    while (b.len && b.data[b.len - 1] == ' ')
        b.len--;
    const char *out = arena_strndup(c->d->a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return out;
}

/* The inline HTML kumihan sets: <ruby> with <rt> and <rp>, <sup>, <sub>,
 * <br> and <span class>. Returns false for anything else (set as text). */
static bool html_inline(conv *c, const char *tag, int line, int col)
{
    char name[16];
    bool closing = tag[0] == '<' && tag[1] == '/';
    const char *p = tag + (closing ? 2 : 1);
    size_t k = 0;
    while (isalpha((unsigned char)p[k]) && k + 1 < sizeof name) {
        name[k] = (char)tolower((unsigned char)p[k]);
        k++;
    }
    name[k] = '\0';
    char after = p[k];
    if (k == 0 || !(after == '>' || after == ' ' || after == '/'))
        return false;
    diag_loc at = {c->d->path, line, col};
    if (strcmp(name, "br") == 0 && !closing) {
        flush_text(c);
        doc_append(c->cur, doc_node_new(c->d, DOC_BREAK, line, col));
        return true;
    }
    if (strcmp(name, "rt") == 0 || strcmp(name, "rp") == 0) {
        if (!c->ruby) {
            diag_warning(c->dg, at, "<%s%s> outside a <ruby> is ignored",
                         closing ? "/" : "", name);
            return true;
        }
        flush_text(c);
        if (name[1] == 't')
            c->in_rt = !closing;
        else
            c->in_rp = !closing;
        return true;
    }
    if (strcmp(name, "rb") == 0)
        return true; /* the base is what is not <rt> */
    doc_kind kind;
    if (strcmp(name, "ruby") == 0)
        kind = DOC_RUBY;
    else if (strcmp(name, "sup") == 0)
        kind = DOC_SUP;
    else if (strcmp(name, "sub") == 0)
        kind = DOC_SUB;
    else if (strcmp(name, "span") == 0)
        kind = DOC_SPAN;
    else if (strcmp(name, "del") == 0 || strcmp(name, "s") == 0)
        kind = DOC_STRIKE; /* (its text is no office for what follows) */
    else if (strcmp(name, "u") == 0 || strcmp(name, "ins") == 0)
        kind = DOC_UNDERLINE;
    else
        return false;
    flush_text(c);
    if (kind == DOC_STRIKE) /* <del>米国</del>特許第…号 */
        struck(c, closing);
    if (closing) {
        if (c->cur->html && c->cur->kind == kind)
            html_close(c);
        else
            diag_warning(c->dg, at, "</%s> closes nothing: ignored", name);
        return true;
    }
    if (kind == DOC_RUBY && c->ruby) {
        diag_warning(c->dg, at, "<ruby> inside a <ruby> is ignored");
        return true;
    }
    doc_node *n = doc_node_new(c->d, kind, line, col);
    n->html = true;
    if (kind == DOC_SPAN)
        n->info = span_class(c, tag);
    else if (kind == DOC_STRIKE || kind == DOC_UNDERLINE)
        n->info = arena_strdup(c->d->a, name); /* the tag, for messages */
    doc_append(c->cur, n);
    c->cur = n;
    if (kind == DOC_RUBY) {
        c->ruby = n;
        buf_clear(&c->rt);
    }
    return true;
}

static void exit_container(conv *c)
{
    if (c->nmade == 0 || !c->made[--c->nmade])
        return;
    flush_text(c);
    close_html(c);
    c->cur = c->cur->parent;
    c->depth--;
}

/* An HTML block's text without its comments (<!-- ... -->, to the end
 * when one is not closed), in the document's arena; *len is 0 when only
 * white space is left. */
static const char *without_comments(conv *c, const char *s, size_t *len)
{
    buf b = {0};
    for (const char *p = s; *p;) {
        const char *open = strstr(p, "<!--");
        if (!open) {
            buf_puts(&b, p);
            break;
        }
        buf_put(&b, p, (size_t)(open - p));
        const char *close = strstr(open + 4, "-->");
        p = close ? close + 3 : open + strlen(open);
    }
    bool blank = true;
    for (size_t i = 0; i < b.len && blank; i++)
        blank = isspace((unsigned char)b.data[i]);
    *len = blank ? 0 : b.len;
    const char *out = arena_strndup(c->d->a, b.data ? b.data : "", *len);
    buf_free(&b);
    return out;
}

static void leaf(conv *c, cmark_node *n, int line, int col)
{
    const char *lit = cmark_node_get_literal(n);
    size_t len = lit ? strlen(lit) : 0;
    doc_node *d;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
        add_text(c, lit, len, line, col);
        return;
    case CMARK_NODE_SOFTBREAK:
        soft_break(c, n);
        return;
    case CMARK_NODE_HTML_INLINE:
        if (lit && strncmp(lit, "<!--", 4) == 0)
            return; /* a comment: the writer's note, never the reader's */
        if (html_inline(c, lit ? lit : "", line, col))
            return;
        diag_warning(c->dg, (diag_loc){c->d->path, line, col},
                     "raw HTML is set as text");
        add_text(c, lit, len, line, col);
        return;
    case CMARK_NODE_LINEBREAK:
        d = doc_node_new(c->d, DOC_BREAK, line, col);
        break;
    case CMARK_NODE_CODE:
        d = doc_node_new(c->d, DOC_CODE, line, col);
        break;
    case CMARK_NODE_FOOTNOTE_REFERENCE:
        d = doc_node_new(c->d, DOC_NOTEREF, line, col);
        /* cmark numbers the definition it resolved: that number, not the
         * label read back from the source, says which note it is */
        d->note = lit ? atoi(lit) : 0;
        lit = label_at(c, line - c->line0, col, false);
        len = strlen(lit);
        break;
    case CMARK_NODE_CODE_BLOCK: {
        d = doc_node_new(c->d, DOC_CODEBLOCK, line, col);
        const char *info = cmark_node_get_fence_info(n);
        d->info = arena_strdup(c->d->a, info ? info : "");
        break;
    }
    case CMARK_NODE_HTML_BLOCK:
        /* comments are the writer's notes (a draft's 社内メモ): they go
         * nowhere, as in every Markdown renderer; what is left of the
         * block beside them, if anything, is set as code */
        lit = without_comments(c, lit ? lit : "", &len);
        if (len == 0)
            return;
        diag_warning(c->dg, (diag_loc){c->d->path, line, col},
                     "raw HTML is set as code");
        d = doc_node_new(c->d, DOC_CODEBLOCK, line, col);
        d->info = "";
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        d = doc_node_new(c->d, DOC_HR, line, col);
        break;
    default:
        return;
    }
    flush_text(c);
    if (lit) {
        d->text = arena_strndup(c->d->a, lit, len);
        d->len = len;
    }
    doc_append(c->cur, d);
}

static bool is_leaf(cmark_node *n)
{
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT: case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK: case CMARK_NODE_CODE:
    case CMARK_NODE_HTML_INLINE: case CMARK_NODE_FOOTNOTE_REFERENCE:
    case CMARK_NODE_CODE_BLOCK: case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_THEMATIC_BREAK:
        return true;
    default:
        return false;
    }
}

/* A footnote definition becomes a note whose body is a tree of its own. */
static void enter_definition(conv *c, cmark_node *n, int line)
{
    flush_text(c);
    doc *d = c->d;
    doc_note *nt = &d->notes[d->nnotes++];
    nt->label = label_at(c, line - c->line0, 1, true);
    nt->line = line;
    nt->col = 1;
    nt->number = ++c->ndefs; /* cmark's number, by first reference */
    nt->body = doc_node_new(d, DOC_ROOT, line, 1);
    c->cur = nt->body;
    c->depth = 1;
    (void)n;
}

static void walk(conv *c, cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        int line = cmark_node_get_start_line(n) + c->line0;
        int col = emph_col(c->marks, cmark_node_get_start_line(n),
                           cmark_node_get_start_column(n));
        if (cmark_node_get_start_line(n) == 0) { /* cmark gave none */
            line = c->last_line;
            col = c->last_col;
        }
        c->last_line = line;
        c->last_col = col;
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_DOCUMENT)
            continue;
        if (t == CMARK_NODE_FOOTNOTE_DEFINITION) {
            if (ev == CMARK_EVENT_ENTER)
                enter_definition(c, n, line);
            else {
                flush_text(c);
                c->cur = c->d->root;
                c->depth = 1;
            }
            continue;
        }
        if (t == CMARK_NODE_FOOTNOTE_REFERENCE && ev == CMARK_EVENT_ENTER)
            while (c->text.len > 0 && c->text.data[c->text.len - 1] == ' ')
                c->text.data[--c->text.len] = '\0'; /* "AI [^1]": a mark
                                                       follows its word */
        if (t != CMARK_NODE_TEXT && t != CMARK_NODE_SOFTBREAK &&
            t != CMARK_NODE_HTML_INLINE && t != CMARK_NODE_EMPH &&
            t != CMARK_NODE_STRONG && t != CMARK_NODE_LINK) {
            flush_text(c); /* a new block, or a node between: no text before */
            if (strcmp(cmark_node_get_type_string(n), "strikethrough") == 0)
                struck(c, ev == CMARK_EVENT_EXIT);
            else if (t != CMARK_NODE_FOOTNOTE_REFERENCE) /* 米国[^1]特許第…号 */
                c->nbefore = 0;
            c->after_note = t == CMARK_NODE_FOOTNOTE_REFERENCE;
        }
        if (is_leaf(n)) {
            /* cmark reports some leaves (note references) twice */
            if (ev == CMARK_EVENT_ENTER)
                leaf(c, n, line, col);
        }
        else if (ev == CMARK_EVENT_ENTER)
            enter_container(c, n, line, col);
        else
            exit_container(c);
    }
    flush_text(c);
    cmark_iter_free(it);
}

/* The marks emph_mark put in, taken out of every literal, address and
 * title: the tree as if cmark had read the body as written. */
static void strip_marks(cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        char *s;
        if ((s = emph_strip(cmark_node_get_literal(n)))) {
            cmark_node_set_literal(n, s);
            free(s);
        }
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_CODE_BLOCK &&
            (s = emph_strip(cmark_node_get_fence_info(n)))) {
            cmark_node_set_fence_info(n, s);
            free(s);
        }
        if (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE)
            continue;
        if ((s = emph_strip(cmark_node_get_url(n)))) {
            cmark_node_set_url(n, s);
            free(s);
        }
        if ((s = emph_strip(cmark_node_get_title(n)))) {
            cmark_node_set_title(n, s);
            free(s);
        }
    }
    cmark_iter_free(it);
}

static size_t count_definitions(cmark_node *root)
{
    size_t k = 0;
    for (cmark_node *n = cmark_node_first_child(root); n; n = cmark_node_next(n))
        if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION)
            k++;
    return k;
}

static void index_lines(conv *c)
{
    int cap = 1;
    for (size_t i = 0; i < c->n; i++)
        cap += c->src[i] == '\n';
    c->line_starts = xmalloc((size_t)cap * sizeof *c->line_starts);
    c->nlines = 0;
    c->line_starts[c->nlines++] = c->src;
    for (size_t i = 0; i < c->n; i++)
        if (c->src[i] == '\n' && c->nlines < cap)
            c->line_starts[c->nlines++] = c->src + i + 1;
}

static bool has_noteref(const doc_node *top)
{
    for (const doc_node *n = top; n; n = doc_next(top, n))
        if (n->kind == DOC_NOTEREF)
            return true;
    return false;
}

/* The title, when the front matter gives none: a level-1 heading that
 * opens the manuscript and is its only one (the habit of VFM and pandoc
 * users) becomes the title and leaves the body; without one, the file's
 * name is the title and there is no title page. */
static void settle_title(doc *d, const char *path)
{
    if (d->meta.title)
        return;
    doc_node *h = d->root->first;
    bool take = h && h->kind == DOC_HEADING && h->level == 1 &&
                !has_noteref(h);
    for (const doc_node *n = h ? h->next : NULL; take && n; n = n->next)
        take = !(n->kind == DOC_HEADING && n->level == 1);
    if (take) {
        char *t = doc_plain_text(h);
        if (*t) {
            d->meta.title = arena_strdup(d->a, t);
            doc_remove(h);
        }
        free(t);
        if (d->meta.title)
            return;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    if (len == 0) {
        base = "untitled";
        len = strlen(base);
    }
    d->meta.title = arena_strndup(d->a, base, len);
    d->meta.untitled = true;
}

/* `keep`: every error of the manuscript is reported in one run, and the
 * tree is kept for `check`'s later stages (images, recipients) even when
 * there were some; NULL only when nothing could be read. */
static doc *parse(const char *path, const char *src, size_t n,
                  const char *edition, diag *dg, bool keep)
{
    size_t errors = dg->errors;
    /* a byte-order mark (what many Windows editors save first) is no
     * text: skipped, or it would hide the front matter */
    if (n >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0) {
        src += 3;
        n -= 3;
    }
    if (!lint_encoding(path, src, n, dg))
        return NULL;
    diag_source(dg, path, src, n, 0); /* columns in characters */
    doc *d = doc_new(path);
    size_t off;
    int body_line;
    /* bad front matter stops here unless its end was found: then the
     * body is read too, for its own errors */
    if (!frontmatter_parse(d, src, n, &off, &body_line, dg) &&
        (!keep || off == 0)) {
        doc_free(d);
        return NULL;
    }
    buf body = {0}, undefined = {0};
    pre_conds conds = {0};
    bool ok = pre_prepare(path, src + off, n - off, body_line, edition, &body,
                          &conds, dg);
    if (conds.n) { /* kept for the editions' check and grouping */
        d->conds = arena_alloc(d->a, conds.n * sizeof *d->conds);
        d->nconds = conds.n;
        for (size_t i = 0; i < conds.n; i++) {
            d->conds[i] = conds.v[i];
            d->conds[i].ids = arena_strdup(d->a, conds.v[i].ids);
        }
    }
    pre_conds_free(&conds);
    /* one copy's text: a note may be referenced only in another's */
    bool partial = d->nconds > 0 &&
                   !(edition && strcmp(edition, DOC_EVERY_EDITION) == 0);
    ok = lint_notes(path, buf_str(&body), body.len, body_line, partial, dg,
                    &undefined) && ok;
    if (!ok && !keep) {
        buf_free(&body);
        buf_free(&undefined);
        doc_free(d);
        return NULL;
    }
    cmark_gfm_core_extensions_ensure_registered();
    /* ~~struck~~ only: a single ~ is a range (10~20円) */
    cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES | CMARK_OPT_SOURCEPOS |
                                       CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE);
    /* not GFM's "autolink": it runs a bare URL on to the next space, and
     * Japanese has none (flush_text finds bare addresses instead) */
    const char *exts[] = {"table", "strikethrough"};
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e)
            cmark_parser_attach_syntax_extension(p, e);
    }
    /* 「**「重要」**は」: emphasis beside Japanese punctuation */
    buf marked = {0};
    emph_marks marks = {0};
    emph_mark(buf_str(&body), body.len, &marked, &marks);
    cmark_parser_feed(p, buf_str(&marked), marked.len);
    cmark_node *root = cmark_parser_finish(p);
    buf_free(&marked);
    if (marks.n)
        strip_marks(root);

    /* this year, for the citations' checks: SOURCE_DATE_EPOCH's when it
     * is set, as the outputs' dates are (two builds must agree) */
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *sde_end = NULL;
    long long sde_t = sde && *sde ? strtoll(sde, &sde_end, 10) : -1;
    if (sde_t >= 0 && !*sde_end)
        now = (time_t)sde_t;
    struct tm tm;
    gmtime_r(&now, &tm);
    conv c = {.d = d, .dg = dg, .src = buf_str(&body), .n = body.len,
              .line0 = body_line - 1, .cur = d->root, .depth = 1,
              .undefined = &undefined, .year = tm.tm_year + 1900,
              .marks = &marks};
    index_lines(&c);
    size_t ndefs = count_definitions(root);
    d->notes = arena_alloc(d->a, (ndefs ? ndefs : 1) * sizeof *d->notes);
    walk(&c, root);
    buf_free(&c.text);
    buf_free(&c.rt);
    free(c.made);
    free(c.line_starts);
    cmark_node_free(root);
    cmark_parser_free(p);
    emph_marks_free(&marks);
    buf_free(&body);
    buf_free(&undefined);

    if (!d->root->first && d->nnotes == 0) {
        diag_error(dg, (diag_loc){path, body_line, 1},
                   "the manuscript has no text to set");
        doc_free(d);
        return NULL;
    }
    figures_headings(d, dg);
    settle_title(d, path);
    sources_apply(d, partial, dg);
    notes_number(d);
    figures_settle(d, dg);
    doc_number_blocks(d);
    doc_number_paragraphs(d);
    doc_number_headings(d);
    lint_links(d, dg);
    if (dg->errors > errors && !keep) { /* every one was reported */
        doc_free(d);
        return NULL;
    }
    return d;
}

doc *parse_buffer(const char *path, const char *src, size_t n, diag *dg)
{
    return parse(path, src, n, NULL, dg, false);
}

doc *parse_buffer_for(const char *path, const char *src, size_t n,
                      const char *edition, diag *dg)
{
    return parse(path, src, n, edition, dg, false);
}

doc *parse_file(const char *path, diag *dg, bool keep)
{
    return parse_file_for(path, keep ? DOC_EVERY_EDITION : NULL, dg, keep);
}

doc *parse_file_for(const char *path, const char *edition, diag *dg, bool keep)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_io_error(dg, (diag_loc){path, 0, 0}, "cannot open: %s",
                   strerror(errno));
        return NULL;
    }
    buf b = {0};
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, k);
    bool err = ferror(f);
    fclose(f);
    if (err) {
        diag_io_error(dg, (diag_loc){path, 0, 0}, "cannot read: %s",
                   strerror(errno));
        buf_free(&b);
        return NULL;
    }
    doc *d = parse(path, buf_str(&b), b.len, edition, dg, keep);
    buf_free(&b);
    /* no date: the day the manuscript was last changed, not a fixed one
     * nobody wrote (the colophon's issue date, the PDF's and EPUB's) */
    struct stat sb;
    if (d && !d->meta.date && stat(path, &sb) == 0) {
        char day[16];
        struct tm tm;
        time_t t = sb.st_mtime;
        gmtime_r(&t, &tm);
        strftime(day, sizeof day, "%Y-%m-%d", &tm);
        d->meta.date = arena_strdup(d->a, day);
        d->meta.dated_by_file = true;
    }
    return d;
}
