/* Figures, table captions, labels and cross-references (see floats.h). */
#include "parse/figures.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "parse/url.h"
#include "style/style.h"
#include "util/buf.h"
#include "util/words.h"
#include "util/xalloc.h"

typedef struct settle {
    doc *d;
    diag *dg;
    const doc_node **labelled; /* figures and tables with a label */
    size_t nlabelled, cap;
    bool ok;
} settle;

static diag_loc at(settle *s, const doc_node *n)
{
    return (diag_loc){s->d->path, n->line, n->col};
}

static bool blank(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)t[i]))
            return false;
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *figures_image_path(const char *url, diag *dg, diag_loc loc)
{
    char scheme[33];
    url_classify(url, scheme, sizeof scheme);
    if (*scheme) {
        diag_error(dg, loc, "image '%s' is not a file of the manuscript: "
                   "nothing is downloaded; save it next to the manuscript",
                   url);
        return NULL;
    }
    buf b = {0};
    for (const char *p = url; *p; p++) {
        int h1, h2;
        if (*p == '%' && (h1 = hexval(p[1])) >= 0 && (h2 = hexval(p[2])) >= 0) {
            buf_putc(&b, (char)(h1 * 16 + h2));
            p += 2;
        } else {
            buf_putc(&b, *p);
        }
    }
    size_t len = b.len;
    char *path = buf_detach(&b);
    const char *why = NULL;
    if (!*path)
        why = "an image needs a file name";
    else if (strlen(path) != len)
        why = "a NUL byte in an image's path";
    else if (path[0] == '/' || path[0] == '\\' || path[0] == '~')
        why = "an image's path must be relative to the manuscript";
    for (const char *seg = path; !why && *seg;) {
        size_t n = strcspn(seg, "/\\");
        if (n == 2 && seg[0] == '.' && seg[1] == '.')
            why = "an image's path must not leave the manuscript's directory";
        seg += n;
        seg += *seg != '\0';
    }
    if (why) {
        diag_error(dg, loc, "image '%s': %s", url, why);
        free(path);
        return NULL;
    }
    return path;
}

/* Attributes written after an image: "{#fig:x width=60%}". */
static void attributes(settle *s, doc_node *fig, const char *t, size_t n)
{
    char *str = xstrndup(t, n);
    char *p = str + strspn(str, " \t\n{");
    char *end = strrchr(p, '}');
    if (end)
        *end = '\0';
    for (char *tok = strtok(p, " \t\n"); tok; tok = strtok(NULL, " \t\n")) {
        if (tok[0] == '#') {
            if (strncmp(tok + 1, "fig:", 4) != 0 || !tok[5]) {
                diag_error(s->dg, at(s, fig), "a figure's label must start "
                           "with 'fig:' (read '%s')", tok + 1);
                s->ok = false;
            } else {
                fig->label = arena_strdup(s->d->a, tok + 1);
            }
        } else if (strncmp(tok, "width=", 6) == 0) {
            const char *v = tok + 6;
            char *e;
            double pt;
            size_t len = strlen(v);
            if (len > 1 && v[len - 1] == '%') {
                double pct = strtod(v, &e);
                if (e == v + len - 1 && pct > 0 && pct <= 100)
                    fig->width.pct = pct;
                else
                    goto bad;
            } else if (style_parse_length(v, &pt) && pt > 0) {
                fig->width.pt = pt;
            } else {
            bad:
                diag_error(s->dg, at(s, fig), "figure width '%s': give a "
                           "share of the text width (1%%-100%%) or a length "
                           "(mm, pt, Q)", v);
                s->ok = false;
            }
        } else if (tok[0] != '.') { /* classes mean nothing in print */
            diag_warning(s->dg, at(s, fig), "figure attribute '%s' is "
                         "ignored (known: #fig:label, width=)", tok);
        }
    }
    free(str);
}

/* The next attribute in s: "#id", ".class", key=value or key="a value";
 * NULL at the end. *key and *val point into s (terminated in place). */
static char *next_attribute(char **s, char **key, char **val)
{
    char *p = *s + strspn(*s, " \t\n");
    if (!*p)
        return NULL;
    char *tok = p;
    *key = p;
    *val = NULL;
    while (*p && !strchr(" \t\n=", *p))
        p++;
    if (*p == '=') {
        *p++ = '\0';
        char q = *p == '"' || *p == '\'' ? *p++ : 0;
        *val = p;
        while (*p && (q ? *p != q : !strchr(" \t\n", *p)))
            p++;
    }
    if (*p)
        *p++ = '\0';
    *s = p;
    return tok;
}

/* Does "{...}" hold attributes ("#x", ".x", key=...), not text in braces
 * the writer meant ("{注}")? */
static bool looks_like_attributes(const char *t, size_t n)
{
    size_t i = 1;
    while (i < n && (t[i] == ' ' || t[i] == '\t'))
        i++;
    if (i < n && (t[i] == '#' || t[i] == '.'))
        return true;
    size_t k = i;
    while (k < n && (isalpha((unsigned char)t[k]) || t[k] == '-'))
        k++;
    return k > i && k < n && t[k] == '=';
}

/* Does block b's text end with "{...}" (spaces after it aside)? Its last
 * text node, and where the braces open and end (past the '}'). */
static const doc_node *trailing_braces(const doc_node *b, size_t *open,
                                       size_t *end)
{
    const doc_node *t = b->last;
    if (!t || t->kind != DOC_TEXT)
        return NULL;
    size_t e = t->len;
    while (e > 0 && isspace((unsigned char)t->text[e - 1]))
        e--;
    if (e == 0 || t->text[e - 1] != '}')
        return NULL;
    size_t o = e - 1;
    while (o > 0 && t->text[o] != '{')
        o--;
    if (t->text[o] != '{')
        return NULL;
    *open = o;
    *end = e;
    return t;
}

static void heading_attributes(settle *s, doc_node *h)
{
    size_t open, e;
    doc_node *t = (doc_node *)trailing_braces(h, &open, &e);
    if (!t || !looks_like_attributes(t->text + open, e - open))
        return;
    char *str = xstrndup(t->text + open + 1, e - open - 2);
    char *p = str, *key, *val;
    diag_loc loc = {s->d->path, t->line, t->col + (int)open};
    while (next_attribute(&p, &key, &val)) {
        if (key[0] == '#') {
            if (strncmp(key + 1, "sec:", 4) != 0 || !key[5]) {
                diag_error(s->dg, loc, "a heading's label must start with "
                           "'sec:' (read '%s')", key + 1);
                s->ok = false;
            } else {
                h->label = arena_strdup(s->d->a, key + 1);
            }
        } else if (val && strcmp(key, "short") == 0) {
            if (!*val)
                diag_warning(s->dg, loc, "heading attribute short=\"\" is "
                             "empty: the heading's own text is used");
            else
                h->short_title = arena_strdup(s->d->a, val);
        } else if (key[0] != '.') {
            diag_warning(s->dg, loc, "heading attribute '%s' is ignored "
                         "(known: short=\"...\", #sec:label)", key);
        }
    }
    free(str);
    /* the text ends before the braces (and the spaces before them) */
    while (open > 0 && isspace((unsigned char)t->text[open - 1]))
        open--;
    t->len = open;
}

/* "{#sec:x}" at the end of a paragraph: the writer meant a heading's
 * label (a line that is not a heading, or a heading's attributes on the
 * line after it); it prints as written and names nothing. */
static void stray_label(settle *s, const doc_node *p)
{
    size_t open, e;
    const doc_node *t = trailing_braces(p, &open, &e);
    if (!t || e - open < 7 || strncmp(t->text + open, "{#sec:", 6) != 0)
        return;
    diag_warning(s->dg, (diag_loc){s->d->path, t->line, t->col + (int)open},
                 "'%.*s' ends a paragraph, not a heading: a label names a "
                 "heading written on the same line (## 題 {#sec:x}); here it "
                 "prints as written", (int)(e - open), t->text + open);
}

bool figures_headings(doc *d, diag *dg)
{
    settle s = {.d = d, .dg = dg, .ok = true};
    for (doc_node *n = d->root; n; n = (doc_node *)doc_next(d->root, n))
        if (n->kind == DOC_HEADING)
            heading_attributes(&s, n);
        else if (n->kind == DOC_PARA)
            stray_label(&s, n);
    return s.ok;
}

/* A paragraph of one image, and perhaps its attributes, is a figure. */
static void figure(settle *s, doc_node *para)
{
    doc_node *img = NULL, *attrs = NULL;
    for (doc_node *c = para->first; c; c = c->next) {
        if (c->kind == DOC_IMAGE && !img && !attrs)
            img = c;
        else if (c->kind == DOC_TEXT && blank(c->text, c->len))
            continue;
        else if (c->kind == DOC_TEXT && img && !attrs) {
            size_t k = 0;
            while (k < c->len && isspace((unsigned char)c->text[k]))
                k++;
            size_t e = c->len;
            while (e > k && isspace((unsigned char)c->text[e - 1]))
                e--;
            if (e - k < 2 || c->text[k] != '{' || c->text[e - 1] != '}')
                return;
            attrs = c;
        } else {
            return;
        }
    }
    if (!img)
        return;
    para->kind = DOC_FIGURE;
    para->url = img->url;
    para->first = img->first;
    para->last = img->last;
    for (doc_node *c = para->first; c; c = c->next)
        c->parent = para;
    if (attrs)
        attributes(s, para, attrs->text, attrs->len);
    char *alt = doc_plain_text(para);
    if (blank(alt, strlen(alt)))
        diag_warning(s->dg, at(s, para), "figure '%s' has no alt text: it "
                     "gets no caption, and a reader who cannot see it learns "
                     "nothing of it", para->url);
    free(alt);
}

static bool starts_with(const doc_node *t, const char *p)
{
    return t && t->kind == DOC_TEXT && t->len >= strlen(p) &&
           memcmp(t->text, p, strlen(p)) == 0;
}

/* A table's attributes after its caption: "#tbl:label", and
 * widths="2 1 3", the columns' shares (one positive number a column). */
static void table_attributes(settle *s, doc_node *tbl, const char *t,
                             size_t n, diag_loc loc)
{
    char *str = xstrndup(t + 1, n - 2), *p = str, *key, *val;
    while (next_attribute(&p, &key, &val)) {
        if (key[0] == '#' && strncmp(key + 1, "tbl:", 4) == 0 && key[5]) {
            tbl->label = arena_strdup(s->d->a, key + 1);
        } else if (key[0] == '#') {
            diag_error(s->dg, loc, "a table's label must start with 'tbl:'");
            s->ok = false;
        } else if (strcmp(key, "widths") == 0 && val) {
            double v[64];
            int k = 0;
            bool ok = true;
            for (char *q = val, *e; *q && ok;) {
                q += strspn(q, " \t,");
                if (!*q)
                    break;
                double x = strtod(q, &e);
                ok = e != q && x > 0 && x < 1e6 && k < 64;
                if (ok)
                    v[k++] = x;
                q = e;
            }
            int cols = 0;
            for (const doc_node *c = tbl->first && tbl->first->kind == DOC_TROW
                                         ? tbl->first->first : NULL;
                 c; c = c->next)
                cols++;
            if (!ok || k != cols) {
                diag_error(s->dg, loc, "widths=\"%s\": give one positive "
                           "number for each of the table's %d columns, its "
                           "share of the width (widths=\"2 1 3\")", val, cols);
                s->ok = false;
                continue;
            }
            double *w = arena_alloc(s->d->a, (size_t)k * sizeof *w);
            memcpy(w, v, (size_t)k * sizeof *w);
            tbl->widths = w;
            tbl->nwidths = k;
        } else if (key[0] != '.') {
            diag_warning(s->dg, loc, "table attribute '%s' is ignored (known: "
                         "#tbl:label, widths=)", key);
        }
    }
    free(str);
}

/* "Table:", "表:" or "表：" (pandoc's form and a Japanese one): the prefix
 * length, or 0. */
static size_t caption_prefix(const doc_node *para)
{
    if (!para || para->kind != DOC_PARA)
        return 0;
    static const char *const pre[] = {"Table:", "表:", "表："};
    for (size_t i = 0; i < sizeof pre / sizeof *pre; i++)
        if (starts_with(para->first, pre[i]))
            return strlen(pre[i]);
    return 0;
}

static void table_caption(settle *s, doc_node *tbl)
{
    doc_node *cap = tbl->prev;
    size_t k = caption_prefix(cap);
    if (!k) {
        cap = tbl->next;
        k = caption_prefix(cap);
    }
    if (!k)
        return;
    doc_node *t = cap->first;
    while (k < t->len && (t->text[k] == ' ' || t->text[k] == '\t'))
        k++;
    t->text += k;
    t->len -= k;
    t->col += (int)k;
    /* "{#tbl:label widths="2 1 3"}" at its end */
    doc_node *last = cap->last;
    if (last && last->kind == DOC_TEXT) {
        size_t e = last->len;
        while (e > 0 && isspace((unsigned char)last->text[e - 1]))
            e--;
        const char *open = NULL;
        if (e > 0 && last->text[e - 1] == '}')
            for (size_t i = e; i-- > 0;)
                if (last->text[i] == '{') {
                    open = last->text + i;
                    break;
                }
        if (open && looks_like_attributes(open, (size_t)(last->text + e - open))) {
            bool one_line = !memchr(last->text, '\n', (size_t)(open - last->text));
            diag_loc loc = {s->d->path, last->line,
                            last->col + (one_line ? (int)(open - last->text) : 0)};
            table_attributes(s, tbl, open, (size_t)(last->text + e - open), loc);
            last->len = (size_t)(open - last->text);
            while (last->len > 0 &&
                   isspace((unsigned char)last->text[last->len - 1]))
                last->len--;
        }
    }
    doc_remove(cap);
    cap->kind = DOC_CAPTION;
    doc_prepend(tbl, cap);
}

static void labelled(settle *s, const doc_node *n)
{
    if (!n->label)
        return;
    for (size_t i = 0; i < s->nlabelled; i++)
        if (strcmp(s->labelled[i]->label, n->label) == 0) {
            diag_error(s->dg, at(s, n), "label '%s' is used twice (first at "
                       "line %d)", n->label, s->labelled[i]->line);
            s->ok = false;
            return;
        }
    xgrow((void **)&s->labelled, &s->cap, s->nlabelled + 1, sizeof *s->labelled);
    s->labelled[s->nlabelled++] = n;
}

static void check_image(settle *s, const doc_node *n)
{
    char *p = figures_image_path(n->url, s->dg, at(s, n));
    if (!p)
        s->ok = false;
    free(p);
}

/* Figures and captions in one tree (the body, or a note's). */
static void shape_tree(settle *s, doc_node *top)
{
    for (doc_node *n = top; n; n = (doc_node *)doc_next(top, n)) {
        if (n->kind == DOC_PARA)
            figure(s, n);
        else if (n->kind == DOC_TABLE)
            table_caption(s, n);
    }
    /* a caption no table took: the writer meant one */
    for (const doc_node *n = top; n; n = doc_next(top, n))
        if (caption_prefix(n))
            diag_warning(s->dg, at(s, n), "'%.*s' begins a table's caption, "
                         "but no table stands right before or after it: it "
                         "is set as a paragraph", (int)caption_prefix(n),
                         n->first->text);
}

static void resolve(settle *s, doc_node *top)
{
    for (doc_node *n = top; n; n = (doc_node *)doc_next(top, n)) {
        if (n->kind == DOC_FIGURE || n->kind == DOC_IMAGE)
            check_image(s, n);
        if (n->kind != DOC_XREF)
            continue;
        const doc_node *t = NULL;
        for (size_t i = 0; i < s->nlabelled && !t; i++)
            if (strcmp(s->labelled[i]->label, n->label) == 0)
                t = s->labelled[i];
        if (!t) {
            const char **labels = xmalloc((s->nlabelled + 1) * sizeof *labels);
            for (size_t i = 0; i < s->nlabelled; i++)
                labels[i] = s->labelled[i]->label;
            const char *near = words_nearest(n->label, labels, s->nlabelled);
            diag_error(s->dg, at(s, n), "cross-reference to '%s': no %s "
                       "has that label%s%s%s", n->label,
                       strncmp(n->label, "sec:", 4) == 0 ? "heading ({#sec:x} "
                       "after its text)" : "figure or table",
                       near ? ": did you mean '" : "", near ? near : "",
                       near ? "'?" : "");
            free(labels);
            s->ok = false;
            continue;
        }
        n->target = (doc_node *)t;
        n->number = t->number;
    }
}

bool figures_settle(doc *d, diag *dg)
{
    settle s = {.d = d, .dg = dg, .ok = true};
    shape_tree(&s, d->root);
    for (size_t i = 0; i < d->nnotes; i++)
        shape_tree(&s, d->notes[i].body);
    int figs = 0, tbls = 0;
    for (doc_node *n = d->root; n; n = (doc_node *)doc_next(d->root, n)) {
        if (n->kind == DOC_FIGURE)
            n->number = ++figs;
        else if (n->kind == DOC_TABLE)
            n->number = ++tbls;
        else if (n->kind != DOC_HEADING)
            continue;
        labelled(&s, n);
    }
    for (size_t i = 0; i < d->nnotes; i++)
        for (doc_node *n = d->notes[i].body; n;
             n = (doc_node *)doc_next(d->notes[i].body, n))
            if (n->kind == DOC_FIGURE || n->kind == DOC_TABLE) {
                n->number = n->kind == DOC_FIGURE ? ++figs : ++tbls;
                labelled(&s, n);
            }
    resolve(&s, d->root);
    for (size_t i = 0; i < d->nnotes; i++)
        resolve(&s, d->notes[i].body);
    free(s.labelled);
    return s.ok;
}
