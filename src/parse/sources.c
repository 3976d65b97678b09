/* Sources and their citations (see sources.h). */
#define _GNU_SOURCE /* memmem */
#include "parse/sources.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "parse/url.h"
#include "parse/yread.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/words.h"
#include "util/xalloc.h"

typedef struct sources {
    doc *d;
    bool broken;         /* the file could not be read whole: its ids are
                            not all known, and no citation is judged */
    bool partial;        /* one copy's text (sources_apply) */
    diag *dg;
    const char *file;    /* the sources file (arena), or NULL: none */
    source *v;
    size_t n, cap;
    int *note;           /* per source: its note's index + 1 in d->notes,
                            or 0 */
    bool *listed;        /* per source: in a [@sources] list */
    bool ok;
} sources;

static diag_loc at(const sources *s, yaml_mark_t m)
{
    return (diag_loc){s->file, (int)m.line + 1, (int)m.column + 1};
}

/* "2024", "2024-04" or "2024-04-19", as a real date. */
static bool good_date(const char *v)
{
    int y, m = 1, dd = 1, k = 0;
    size_t len = strlen(v);
    if (!(len == 4 && sscanf(v, "%4d%n", &y, &k) == 1) &&
        !(len == 7 && sscanf(v, "%4d-%2d%n", &y, &m, &k) == 2) &&
        !(len == 10 && sscanf(v, "%4d-%2d-%2d%n", &y, &m, &dd, &k) == 3))
        return false;
    if ((size_t)k != len || !isdigit((unsigned char)v[len - 1]) || y < 1000 ||
        m < 1 || m > 12 || dd < 1)
        return false;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return dd <= days[m - 1] && !(m == 2 && dd == 29 && !leap);
}

/* "2024-04-19" -> "2024年4月19日" (as far as it goes) */
static void date_ja(buf *b, const char *v)
{
    int y = 0, m = 0, dd = 0;
    int got = sscanf(v, "%d-%d-%d", &y, &m, &dd);
    buf_printf(b, "%d\xe5\xb9\xb4", y); /* 年 */
    if (got >= 2)
        buf_printf(b, "%d\xe6\x9c\x88", m); /* 月 */
    if (got >= 3)
        buf_printf(b, "%d\xe6\x97\xa5", dd); /* 日 */
}

/* "2024-04-19" -> "April 19, 2024", "2024-04" -> "April 2024" */
static void date_en(buf *b, const char *v)
{
    static const char *const months[] = {
        "January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};
    int y = 0, m = 0, dd = 0;
    int got = sscanf(v, "%d-%d-%d", &y, &m, &dd);
    if (got >= 3 && m >= 1 && m <= 12)
        buf_printf(b, "%s %d, %d", months[m - 1], dd, y);
    else if (got == 2 && m >= 1 && m <= 12)
        buf_printf(b, "%s %d", months[m - 1], y);
    else
        buf_printf(b, "%d", y);
}

static bool has_japanese(const char *t)
{
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        if (*p >= 0xE3) /* U+3000 and up: kana, kanji, full-width forms */
            return true;
    return false;
}

void sources_house_form(const source *s, char **before, char **after)
{
    buf b = {0};
    /* a Japanese source's parts are parted by 、, a Western one's by ", " */
    bool ja = has_japanese(s->title);
    const char *sep = ja ? "\xe3\x80\x81" : ", ";
    if (s->author)
        buf_puts(&b, s->author);
    bool book = s->type && strcmp(s->type, "book") == 0;
    if (ja && book)
        buf_printf(&b, "\xe3\x80\x8e%s\xe3\x80\x8f", s->title); /* 『』 */
    else if (ja)
        buf_printf(&b, "\xe3\x80\x8c%s\xe3\x80\x8d", s->title); /* 「」 */
    else if (book) /* a Western book: its title as it is (italic in print) */
        buf_printf(&b, "%s%s", s->author ? sep : "", s->title);
    else /* the comma inside the quotes, as English sets it */
        buf_printf(&b, "%s\xe2\x80\x9c%s%s\xe2\x80\x9d", s->author ? sep : "",
                   s->title, s->publisher || s->date || s->url ? "," : "");
    bool quoted = !ja && !book;
    const char *after_title = quoted ? " " : sep;
    if (s->publisher && !(s->author && strcmp(s->publisher, s->author) == 0)) {
        buf_printf(&b, "%s%s", after_title, s->publisher);
        after_title = sep;
    }
    if (s->date) {
        buf_puts(&b, after_title);
        if (ja)
            date_ja(&b, s->date);
        else
            date_en(&b, s->date);
        after_title = sep;
    }
    if (s->url)
        buf_puts(&b, after_title);
    *before = xstrdup(buf_str(&b));
    buf_free(&b);
    if (s->url && s->accessed) {
        if (ja) {
            buf_puts(&b, "\xef\xbc\x88\xe5\x8f\x82\xe7\x85\xa7 "); /* （参照 */
            date_ja(&b, s->accessed);
            buf_puts(&b, "\xef\xbc\x89"); /* ） */
        } else {
            buf_puts(&b, " (accessed ");
            date_en(&b, s->accessed);
            buf_puts(&b, ")");
        }
    }
    *after = xstrdup(buf_str(&b));
    buf_free(&b);
}

/* ---- the file --------------------------------------------------------- */

static const char *scalar(yaml_document_t *y, yaml_node_t *n)
{
    (void)y;
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                            : NULL;
}

static bool url_ok(sources *s, const source *src, yaml_mark_t m)
{
    char scheme[16];
    if (strlen(src->url) > URL_MAX) {
        diag_warning(s->dg, at(s, m), "source '%s': its URL is over %d bytes: "
                     "it is set as text, not a link", src->id, URL_MAX);
        return false;
    }
    for (const char *p = src->url; *p; p++)
        if ((unsigned char)*p <= 0x20 || strchr("<>\"{}|\\^`", *p)) {
            diag_error(s->dg, at(s, m), "source '%s': the URL contains %s",
                       src->id, *p == ' ' ? "a space" : "a character not "
                       "allowed in a URL");
            s->ok = false;
            return false;
        }
    url_kind k = url_classify(src->url, scheme, sizeof scheme);
    if (k == URL_UNSAFE) {
        diag_error(s->dg, at(s, m), "source '%s': a %s: address cannot be "
                   "sent to a reader", src->id, scheme);
        s->ok = false;
        return false;
    }
    if (k == URL_PLAIN) {
        diag_warning(s->dg, at(s, m), "source '%s': '%s' is not a web address "
                     "(http: or https:): it is set as text", src->id, src->url);
        return false;
    }
    return true;
}

static void entry(sources *s, yaml_document_t *y, yaml_node_t *item)
{
    if (item->type != YAML_MAPPING_NODE) {
        diag_error(s->dg, at(s, item->start_mark), "each source is a mapping "
                   "(id:, title:, author:, publisher:, date:, url:, accessed:)");
        s->ok = false;
        return;
    }
    source src = {.line = (int)item->start_mark.line + 1,
                  .col = (int)item->start_mark.column + 1};
    static const char *const keys[] = {"id", "title", "author", "publisher",
                                       "date", "url", "accessed", "type"};
    const char **field[] = {&src.id, &src.title, &src.author, &src.publisher,
                            &src.date, &src.url, &src.accessed, &src.type};
    enum { NKEYS = sizeof keys / sizeof *keys };
    yaml_mark_t marks[NKEYS] = {0};
    for (yaml_node_pair_t *p = item->data.mapping.pairs.start;
         p < item->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(y, p->key);
        yaml_node_t *v = yaml_document_get_node(y, p->value);
        const char *key = scalar(y, k), *val = scalar(y, v);
        size_t i = 0;
        while (key && i < NKEYS && strcmp(key, keys[i]) != 0)
            i++;
        if (!key || i == NKEYS) {
            const char *near = key ? words_nearest(key, keys, NKEYS) : NULL;
            if (near)
                diag_warning(s->dg, at(s, k->start_mark), "sources: unknown "
                             "key '%s': did you mean '%s'?", key, near);
            else
                diag_warning(s->dg, at(s, k->start_mark), "sources: unknown "
                             "key '%s' (known: id, title, author, publisher, "
                             "date, url, accessed, type)", key ? key : "?");
            continue;
        }
        if (!val || !*val) {
            diag_error(s->dg, at(s, v->start_mark), "sources: '%s' must be "
                       "a single value", key);
            s->ok = false;
            continue;
        }
        *field[i] = arena_strdup(s->d->a, val);
        marks[i] = v->start_mark;
    }
    diag_loc loc = at(s, item->start_mark);
    if (!src.id) {
        diag_error(s->dg, loc, "this source has no id: it is cited as "
                   "[@src:id]");
        s->ok = false;
        return;
    }
    if (!src.title) {
        diag_error(s->dg, loc, "source '%s' has no title", src.id);
        s->ok = false;
        src.title = src.id; /* cited all the same: no second error */
    }
    if (src.type && strcmp(src.type, "book") != 0) {
        diag_warning(s->dg, at(s, marks[7]), "source '%s': type '%s' is not "
                     "known (book sets the title in 『』; leave it out for "
                     "articles and web pages)", src.id, src.type);
        src.type = NULL;
    }
    for (const char *c = src.id; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("_-.:", *c)) {
            diag_error(s->dg, at(s, marks[0]), "source id '%s': letters, "
                       "digits and _ - . : only (it is cited as [@src:%s])",
                       src.id, src.id);
            s->ok = false;
            return;
        }
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].id, src.id) == 0) {
            diag_error(s->dg, at(s, marks[0]), "source '%s' is defined twice "
                       "(first at line %d)", src.id, s->v[i].line);
            s->ok = false;
            return;
        }
    for (int i = 4; i <= 6; i += 2) /* date, accessed */
        if (*field[i] && !good_date(*field[i])) {
            diag_error(s->dg, at(s, marks[i]), "source '%s': %s '%s' is not a "
                       "date (YYYY-MM-DD, YYYY-MM or YYYY)", src.id, keys[i],
                       *field[i]);
            s->ok = false;
            *field[i] = NULL;
        }
    if (src.date && src.accessed && strlen(src.accessed) >= strlen(src.date) &&
        strncmp(src.accessed, src.date, strlen(src.date)) < 0)
        diag_warning(s->dg, at(s, marks[6]), "source '%s' was accessed "
                     "(%s) before its date (%s)", src.id, src.accessed,
                     src.date);
    if (src.url && !url_ok(s, &src, marks[5]))
        src.url = NULL; /* set as text: the title keeps it */
    if (src.url && !src.accessed)
        diag_warning(s->dg, loc, "source '%s' has a URL but no accessed date "
                     "(参照日): a web page changes, a reader needs to know "
                     "when it was read", src.id);
    xgrow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v);
    s->v[s->n++] = src;
}

static void load(sources *s)
{
    char *path = yread_beside(s->d->path, ".sources.yaml");
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno != ENOENT) {
            diag_error(s->dg, (diag_loc){path, 0, 0}, "cannot read: %s",
                       strerror(errno));
            s->ok = false;
        }
        free(path);
        return;
    }
    s->file = s->d->sources_file = arena_strdup(s->d->a, path);
    free(path);
    yaml_parser_t p;
    yaml_document_t y;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    if (!yaml_parser_load(&p, &y)) {
        bool tab = p.problem && strstr(p.problem, "tab");
        diag_error(s->dg, (diag_loc){s->file, (int)p.problem_mark.line + 1,
                                     (int)p.problem_mark.column + 1},
                   "malformed sources file: %s%s", p.problem ? p.problem : "?",
                   tab ? " (indent with spaces: YAML takes no tabs)" :
                   " (each source a '- id: ...' entry, its keys indented "
                   "by the same spaces under it)");
        s->ok = false;
        s->broken = true;
        yaml_parser_delete(&p);
        fclose(f);
        return;
    }
    yaml_node_t *root = yaml_document_get_root_node(&y), *list = root;
    if (root && root->type == YAML_MAPPING_NODE) {
        list = NULL;
        for (yaml_node_pair_t *q = root->data.mapping.pairs.start;
             q < root->data.mapping.pairs.top; q++) {
            yaml_node_t *k = yaml_document_get_node(&y, q->key);
            const char *key = scalar(&y, k);
            if (key && strcmp(key, "sources") == 0)
                list = yaml_document_get_node(&y, q->value);
            else
                diag_warning(s->dg, at(s, k->start_mark), "sources file: "
                             "unknown key '%s' (sources)", key ? key : "?");
        }
    }
    if (root && (!list || list->type != YAML_SEQUENCE_NODE)) {
        diag_error(s->dg, at(s, (list ? list : root)->start_mark), "a sources "
                   "file is a list of sources (- id: ..., title: ...), or "
                   "that list under 'sources:'");
        s->ok = false;
        s->broken = true;
    } else if (root) {
        for (yaml_node_item_t *i = list->data.sequence.items.start;
             i < list->data.sequence.items.top; i++)
            entry(s, &y, yaml_document_get_node(&y, *i));
    }
    yaml_document_delete(&y);
    yaml_parser_delete(&p);
    fclose(f);
}

/* ---- the tree --------------------------------------------------------- */

static doc_node *text_node(doc *d, const char *t, int line, int col)
{
    doc_node *n = doc_node_new(d, DOC_TEXT, line, col);
    n->text = arena_strdup(d->a, t);
    n->len = strlen(t);
    return n;
}

/* The house form as inlines of `para`: text, the URL as a link, text. */
static void fill(doc *d, doc_node *para, const source *src)
{
    char *before, *after;
    sources_house_form(src, &before, &after);
    int line = para->line, col = para->col;
    doc_append(para, text_node(d, before, line, col));
    if (src->url) {
        doc_node *a = doc_node_new(d, DOC_LINK, line, col);
        a->url = src->url;
        a->autolink = true;
        doc_append(a, text_node(d, src->url, line, col));
        doc_append(para, a);
    }
    if (*after)
        doc_append(para, text_node(d, after, line, col));
    free(before);
    free(after);
}

static int find(const sources *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* A new note for source i, its body the house form; its place is the
 * first citation's. */
static int new_note(sources *s, size_t i, const doc_node *cite)
{
    doc *d = s->d;
    doc_note *v = arena_alloc(d->a, (d->nnotes + 1) * sizeof *v);
    if (d->nnotes)
        memcpy(v, d->notes, d->nnotes * sizeof *v);
    d->notes = v;
    doc_note *nt = &d->notes[d->nnotes++];
    *nt = (doc_note){.label = cite->label, .line = cite->line, .col = cite->col};
    nt->body = doc_node_new(d, DOC_ROOT, cite->line, cite->col);
    doc_node *p = doc_node_new(d, DOC_PARA, cite->line, cite->col);
    doc_append(nt->body, p);
    fill(d, p, &s->v[i]);
    return (int)d->nnotes;
}

static void cite(sources *s, doc_node *x)
{
    const char *id = x->label + 4;
    int i = find(s, id);
    if (i < 0) {
        diag_loc loc = {s->d->path, x->line, x->col};
        if (!s->file) {
            char *f = yread_beside(s->d->path, ".sources.yaml");
            diag_error(s->dg, loc, "[@src:%s]: no sources file defines it "
                       "(%s, beside the manuscript)", id, f);
            free(f);
        } else if (!s->broken) { /* else its ids are not all known */
            const char **ids = xmalloc((s->n + 1) * sizeof *ids);
            buf known = {0};
            for (size_t k = 0; k < s->n; k++) {
                ids[k] = s->v[k].id;
                if (k < 12)
                    buf_printf(&known, "%s%s", k ? ", " : "", s->v[k].id);
            }
            const char *near = words_nearest(id, ids, s->n);
            if (near)
                diag_error(s->dg, loc, "[@src:%s]: no source has that id in "
                           "%s: did you mean '%s'?", id, s->file, near);
            else
                diag_error(s->dg, loc, "[@src:%s]: no source has that id in "
                           "%s%s%s%s", id, s->file, s->n ? " (its ids: " : "",
                           buf_str(&known), s->n ? ")" : "");
            free(ids);
            buf_free(&known);
        }
        s->ok = false;
        /* left as the text it was, reported once */
        x->kind = DOC_TEXT;
        char *t = xasprintf("[@%s]", x->label);
        x->text = arena_strdup(s->d->a, t);
        x->len = strlen(t);
        free(t);
        return;
    }
    if (!s->note[i])
        s->note[i] = new_note(s, (size_t)i, x);
    /* a note reference, as cmark's are before the notes are numbered:
     * note = its index in d->notes, text = its label */
    x->kind = DOC_NOTEREF;
    x->note = s->note[i];
    x->text = x->label;
    x->len = strlen(x->label);
    x->target = NULL;
}

/* Is this paragraph "[@sources]" alone? */
static bool list_here(const doc_node *p)
{
    if (p->kind != DOC_PARA || !p->first || p->first != p->last ||
        p->first->kind != DOC_TEXT)
        return false;
    const char *t = p->first->text;
    size_t n = p->first->len;
    while (n && isspace((unsigned char)*t))
        t++, n--;
    while (n && isspace((unsigned char)t[n - 1]))
        n--;
    return n == 10 && memcmp(t, "[@sources]", 10) == 0;
}

/* The [@sources] paragraph becomes a list of the sources not cited. */
static void list(sources *s, doc_node *p, bool *seen)
{
    doc *d = s->d;
    diag_loc loc = {d->path, p->line, p->col};
    if (*seen) {
        diag_error(s->dg, loc, "[@sources] is written twice: the sources not "
                   "cited are listed once");
        s->ok = false;
        return;
    }
    *seen = true;
    if (!s->file)
        diag_warning(s->dg, loc, "[@sources]: there is no sources file "
                     "beside the manuscript: nothing to list");
    doc_node *l = doc_node_new(d, DOC_LIST, p->line, p->col);
    l->tight = true;
    l->start = 1;
    for (size_t i = 0; i < s->n; i++) {
        if (s->note[i])
            continue;
        s->listed[i] = true;
        doc_node *it = doc_node_new(d, DOC_ITEM, p->line, p->col);
        doc_node *q = doc_node_new(d, DOC_PARA, p->line, p->col);
        doc_append(l, it);
        doc_append(it, q);
        fill(d, q, &s->v[i]);
    }
    /* the list takes the paragraph's place */
    l->parent = p->parent;
    l->prev = p->prev;
    l->next = p->next;
    if (p->prev)
        p->prev->next = l;
    else
        p->parent->first = l;
    if (p->next)
        p->next->prev = l;
    else
        p->parent->last = l;
    if (!l->first) { /* every source is cited */
        if (s->file && s->n && !s->partial)
            diag_warning(s->dg, loc, "[@sources]: every source is cited, so "
                         "the list of those not cited is empty");
        doc_remove(l);
    }
}

/* "[@sources]" left in text: inside a sentence, a list item, a quote or
 * a note, where no list is made. */
static void misplaced_lists(sources *s, const doc_node *top)
{
    for (const doc_node *n = top; n; n = doc_next(top, n)) {
        const char *at = n->kind == DOC_TEXT && n->text
                             ? memmem(n->text, n->len, "[@sources]", 10) : NULL;
        if (at && !(n->parent && list_here(n->parent))) /* a second: said */
            diag_warning(s->dg, (diag_loc){s->d->path, n->line, /* bytes */
                                           n->col + (int)(at - n->text)},
                         "[@sources] lists the sources not cited only as a "
                         "paragraph of its own in the body, not inside a "
                         "sentence, a list, a quote or a note: here it prints "
                         "as written");
    }
}

bool sources_apply(doc *d, bool partial, diag *dg)
{
    sources s = {.d = d, .dg = dg, .ok = true, .partial = partial};
    load(&s);
    s.note = xcalloc(s.n + 1, sizeof *s.note);
    s.listed = xcalloc(s.n + 1, sizeof *s.listed);
    /* the citations, in reading order: the body, then the notes (the
     * notes made here are not walked: they cite nothing) */
    size_t nnotes = d->nnotes;
    doc_node *lists = NULL;
    for (size_t k = 0; k <= nnotes; k++) {
        doc_node *top = k ? d->notes[k - 1].body : d->root;
        for (doc_node *n = top; n; n = (doc_node *)doc_next(top, n)) {
            if (n->kind == DOC_XREF && n->label &&
                strncmp(n->label, "src:", 4) == 0)
                cite(&s, n);
            else if (!k && !lists && list_here(n))
                lists = n;
        }
    }
    /* [@sources]: after every citation is known */
    bool seen = false;
    if (lists) {
        for (doc_node *n = d->root, *next; n; n = next) {
            next = (doc_node *)doc_next(d->root, n);
            if (list_here(n)) {
                while (next && next->parent == n) /* its own text */
                    next = (doc_node *)doc_next(d->root, next);
                list(&s, n, &seen);
            }
        }
    }
    for (size_t k = 0; k <= d->nnotes; k++)
        misplaced_lists(&s, k ? d->notes[k - 1].body : d->root);
    for (size_t i = 0; i < s.n && !partial; i++)
        if (!s.note[i] && !s.listed[i])
            diag_warning(dg, (diag_loc){s.file, s.v[i].line, s.v[i].col},
                         "source '%s' is never cited ([@src:%s]) nor listed "
                         "([@sources])", s.v[i].id, s.v[i].id);
    free(s.note);
    free(s.listed);
    free(s.v);
    return s.ok;
}
