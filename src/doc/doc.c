#include "doc/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

doc *doc_new(const char *path)
{
    doc *d = xcalloc(1, sizeof *d);
    d->a = arena_new();
    d->path = arena_strdup(d->a, path ? path : "<stdin>");
    d->meta.lang = "ja";
    d->root = doc_node_new(d, DOC_ROOT, 1, 1);
    return d;
}

void doc_free(doc *d)
{
    if (!d)
        return;
    arena_free(d->a);
    free(d);
}

void doc_pagemap_free(doc_pagemap *pm)
{
    free(pm->marks);
    free(pm->numbers);
    free(pm->target_page);
    *pm = (doc_pagemap){0};
}

doc_node *doc_node_new(doc *d, doc_kind kind, int line, int col)
{
    doc_node *n = arena_alloc(d->a, sizeof *n);
    n->kind = kind;
    n->line = line;
    n->col = col;
    n->id = -1;
    n->image = -1;
    return n;
}

void doc_append(doc_node *parent, doc_node *child)
{
    child->parent = parent;
    child->prev = parent->last;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
}

void doc_prepend(doc_node *parent, doc_node *child)
{
    child->parent = parent;
    child->prev = NULL;
    child->next = parent->first;
    if (parent->first)
        parent->first->prev = child;
    else
        parent->last = child;
    parent->first = child;
}

void doc_remove(doc_node *n)
{
    doc_node *p = n->parent;
    if (n->prev)
        n->prev->next = n->next;
    else if (p)
        p->first = n->next;
    if (n->next)
        n->next->prev = n->prev;
    else if (p)
        p->last = n->prev;
    n->parent = n->prev = n->next = NULL;
}

bool doc_is_block(doc_kind k)
{
    return k <= DOC_CAPTION;
}

const char *doc_kind_name(doc_kind k)
{
    static const char *names[] = {
        [DOC_ROOT] = "document", [DOC_HEADING] = "heading",
        [DOC_PARA] = "paragraph", [DOC_LIST] = "list", [DOC_ITEM] = "item",
        [DOC_QUOTE] = "quote", [DOC_HR] = "hr", [DOC_CODEBLOCK] = "codeblock",
        [DOC_TABLE] = "table", [DOC_TROW] = "row", [DOC_TCELL] = "cell",
        [DOC_TEXT] = "text", [DOC_EMPH] = "emph", [DOC_STRONG] = "strong",
        [DOC_CODE] = "code", [DOC_LINK] = "link", [DOC_BREAK] = "break",
        [DOC_NOTEREF] = "noteref", [DOC_FIGURE] = "figure",
        [DOC_CAPTION] = "caption", [DOC_IMAGE] = "image", [DOC_XREF] = "xref",
        [DOC_RUBY] = "ruby", [DOC_SUP] = "sup", [DOC_SUB] = "sub",
        [DOC_SPAN] = "span", [DOC_TCY] = "tcy", [DOC_STRIKE] = "strike",
        [DOC_UNDERLINE] = "underline",
    };
    return names[k];
}

const doc_node *doc_next(const doc_node *top, const doc_node *n)
{
    if (n->first)
        return n->first;
    while (n && n != top) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

bool doc_is_leaf(doc_kind k)
{
    return k == DOC_TEXT || k == DOC_CODE || k == DOC_BREAK ||
           k == DOC_NOTEREF || k == DOC_CODEBLOCK || k == DOC_HR ||
           k == DOC_XREF;
}

void doc_iter_init(doc_iter *it, const doc_node *top)
{
    *it = (doc_iter){top, NULL, DOC_ENTER};
}

bool doc_iter_next(doc_iter *it)
{
    const doc_node *n = it->node;
    if (!n) { /* the start */
        it->node = it->top;
        it->ev = DOC_ENTER;
        return it->top != NULL;
    }
    if (it->ev == DOC_ENTER && !doc_is_leaf(n->kind)) {
        if (n->first) {
            it->node = n->first;
            return true;
        }
        it->ev = DOC_EXIT; /* an empty container: left at once */
        return true;
    }
    /* n is done: its next sibling, or its parent's exit */
    if (n == it->top) {
        it->node = NULL;
        it->top = NULL;
        return false;
    }
    if (n->next) {
        it->node = n->next;
        it->ev = DOC_ENTER;
    } else {
        it->node = n->parent;
        it->ev = DOC_EXIT;
    }
    return it->node != NULL;
}

static int by_note(const void *a, const void *b)
{
    const doc_node *x = *(const doc_node *const *)a, *y = *(const doc_node *const *)b;
    return (x->note > y->note) - (x->note < y->note);
}

const doc_node **doc_ref_cluster(const doc_node *n, size_t *count)
{
    *count = 0;
    if (n->kind != DOC_NOTEREF || (n->prev && n->prev->kind == DOC_NOTEREF))
        return NULL;
    size_t k = 0;
    for (const doc_node *r = n; r && r->kind == DOC_NOTEREF; r = r->next)
        k++;
    const doc_node **out = xmalloc(k * sizeof *out);
    k = 0;
    for (const doc_node *r = n; r && r->kind == DOC_NOTEREF; r = r->next)
        out[k++] = r;
    qsort(out, k, sizeof *out, by_note);
    *count = k;
    return out;
}

static void number_tree(doc_node *top, int *id)
{
    for (const doc_node *n = top; n; n = doc_next(top, n))
        if (doc_is_block(n->kind))
            ((doc_node *)n)->id = (*id)++;
}

void doc_number_blocks(doc *d)
{
    int id = 0;
    number_tree(d->root, &id);
    for (size_t i = 0; i < d->nnotes; i++)
        number_tree(d->notes[i].body, &id);
    d->nblocks = id;
}

char *doc_plain_text(const doc_node *top)
{
    buf b = {0};
    for (const doc_node *n = top; n; n = doc_next(top, n)) {
        if (n->kind == DOC_TEXT || n->kind == DOC_CODE)
            buf_put(&b, n->text, n->len);
        else if (n->kind == DOC_BREAK)
            buf_putc(&b, '\n');
    }
    return buf_detach(&b);
}

int doc_top_level(const doc *d)
{
    int top = 7;
    for (const doc_node *n = d->root->first; n; n = n->next)
        if (n->kind == DOC_HEADING && n->level < top)
            top = n->level;
    return top == 7 ? 1 : top;
}

const doc_node *doc_back_matter(const doc *d)
{
    static const char *names[] = {"参考資料", "参考文献", "References",
                                  "Bibliography", "文献"};
    int top = doc_top_level(d);
    const doc_node *last = NULL;
    for (const doc_node *n = d->root->first; n; n = n->next)
        if (n->kind == DOC_HEADING && n->level == top)
            last = n;
    if (!last)
        return NULL;
    char *t = doc_plain_text(last);
    bool back = false;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        back |= strcmp(t, names[i]) == 0;
    free(t);
    return back ? last : NULL;
}

void doc_date_ja(const doc *d, char *out, size_t n)
{
    int y, m, day;
    const char *iso = d->meta.date;
    int got = iso ? sscanf(iso, "%d-%d-%d", &y, &m, &day) : 0;
    if (got == 3)
        snprintf(out, n, "%d年%d月%d日", y, m, day);
    else if (got == 2)
        snprintf(out, n, "%d年%d月", y, m);
    else if (got == 1)
        snprintf(out, n, "%d年", y);
    else
        snprintf(out, n, "%s", iso ? iso : "");
}

const char *doc_block_lang(const doc *d, const doc_node *block)
{
    const char *lang = d->meta.lang ? d->meta.lang : "ja";
    if (strncmp(lang, "en", 2) == 0)
        return NULL;
    size_t latin = 0, other = 0;
    for (const doc_node *n = block; n; n = doc_next(block, n)) {
        if (n->kind != DOC_TEXT)
            continue;
        for (size_t i = 0; i < n->len;) {
            uint32_t cp;
            int k = utf8_decode(n->text + i, n->len - i, &cp);
            i += k > 0 ? (size_t)k : 1;
            if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
                (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7))
                latin++;
            else if (cp >= 0x2E80)
                other++;
        }
    }
    return latin >= 10 && latin >= 9 * (latin + other) / 10 ? "en" : NULL;
}

char *doc_edition_marking(const doc *d, const doc_edition *ed)
{
    buf b = {0};
    const char *cls = ed->classification ? ed->classification
                                         : d->meta.classification;
    const char *sep = "\xef\xbd\x9c"; /* ｜ */
    if (cls && *cls)
        buf_printf(&b, "%s%s", cls, sep);
    buf_puts(&b, ed->to);
    char date[64];
    doc_date_ja(d, date, sizeof date);
    if (*date)
        buf_printf(&b, "%s%s", sep, date);
    if (ed->copy > 0)
        buf_printf(&b, "%sNo. %d", sep, ed->copy);
    return buf_detach(&b);
}

void doc_timestamp(const doc *d, char *out, size_t n)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long t = strtoll(sde, &end, 10);
        if (!*end && t >= 0) {
            time_t tt = (time_t)t;
            struct tm tm;
            gmtime_r(&tt, &tm);
            strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
            return;
        }
    }
    if (d->meta.date) { /* a reduced-precision date: its first day */
        const char *iso = d->meta.date;
        size_t len = strlen(iso);
        snprintf(out, n, "%s%sT00:00:00Z", iso,
                 len == 4 ? "-01-01" : len == 7 ? "-01" : "");
        return;
    }
    snprintf(out, n, "2000-01-01T00:00:00Z"); /* fixed: reproducible */
}

/* Is `id` one of the space-separated ids? */
static bool listed(const char *ids, const char *id)
{
    size_t k = strlen(id);
    for (const char *p = ids; *p;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if ((size_t)(e - p) == k && memcmp(p, id, k) == 0)
            return true;
        p = e;
    }
    return false;
}

bool doc_cond_visible(const doc_cond *v, size_t i, const char *edition)
{
    for (long k = (long)i; k >= 0; k = v[k].parent) {
        if (!edition)
            return false;
        if (strcmp(edition, DOC_EVERY_EDITION) == 0)
            continue;
        if (listed(v[k].ids, edition) == v[k].except)
            return false;
    }
    return true;
}

void doc_number_paragraphs(doc *d)
{
    int k = 0;
    const doc_node *back = d->root ? doc_back_matter(d) : NULL;
    for (doc_node *n = d->root ? d->root->first : NULL; n && n != back;
         n = n->next)
        if (n->kind == DOC_PARA)
            n->para_no = ++k;
}

const doc_node **doc_floats(const doc *d, doc_kind kind, size_t *n)
{
    const doc_node **v = NULL;
    size_t cap = 0;
    *n = 0;
    for (size_t i = 0; i <= d->nnotes; i++) {
        const doc_node *top = i ? d->notes[i - 1].body : d->root;
        for (const doc_node *x = top; x; x = doc_next(top, x))
            if (x->kind == kind) {
                xgrow((void **)&v, &cap, *n + 1, sizeof *v);
                v[(*n)++] = x;
            }
    }
    return v;
}

char *doc_float_entry(const doc_node *n, const char *word)
{
    const doc_node *cap = n;
    if (n->kind == DOC_TABLE) /* its caption, a child of its own */
        for (cap = n->first; cap && cap->kind != DOC_CAPTION; cap = cap->next)
            ;
    char *t = cap ? doc_plain_text(cap) : xstrdup("");
    char *out = *t ? xasprintf("%s%d\xe3\x80\x80%s", word, n->number, t)
                   : xasprintf("%s%d", word, n->number);
    free(t);
    return out;
}

void doc_number_headings(doc *d)
{
    int top = doc_top_level(d), no[DOC_SECNUM_DEPTH] = {0};
    const doc_node *back = doc_back_matter(d);
    for (doc_node *n = d->root ? d->root->first : NULL; n; n = n->next) {
        if (n->kind != DOC_HEADING || n == back)
            continue;
        int k = n->level - top;
        if (k < 0 || k >= DOC_SECNUM_DEPTH)
            continue;
        no[k]++;
        for (int i = k + 1; i < DOC_SECNUM_DEPTH; i++)
            no[i] = 0;
        memcpy(n->secno, no, sizeof no);
    }
}

char *doc_xref_text(const doc_node *x, const char *figure_word,
                    const char *table_word, const char *secno, int page)
{
    const doc_node *t = x->target;
    buf b = {0};
    if (t && t->kind == DOC_HEADING) {
        if (secno && *secno) {
            buf_puts(&b, secno);
        } else {
            char *title = t->short_title ? xstrdup(t->short_title)
                                         : doc_plain_text(t);
            buf_printf(&b, "\xe3\x80\x8c%s\xe3\x80\x8d", title); /* 「」 */
            free(title);
        }
    } else {
        buf_printf(&b, "%s%d", t && t->kind == DOC_TABLE ? table_word
                                                         : figure_word,
                   x->number);
    }
    if (page > 0) /* （12頁） */
        buf_printf(&b, "\xef\xbc\x88%d\xe9\xa0\x81\xef\xbc\x89", page);
    char *out = xstrdup(buf_str(&b));
    buf_free(&b);
    return out;
}

void doc_para_label(int no, char *out, size_t n)
{
    char digits[16];
    snprintf(digits, sizeof digits, "%04d", no);
    buf b = {0};
    buf_puts(&b, "\xe3\x80\x90"); /* 【 */
    for (const char *c = digits; *c; c++) /* U+FF10 + digit */
        buf_printf(&b, "\xef\xbc%c", (char)(0x90 + (*c - '0')));
    buf_puts(&b, "\xe3\x80\x91"); /* 】 */
    snprintf(out, n, "%s", buf_str(&b));
    buf_free(&b);
}

void doc_para_anchor(int no, char *out, size_t n)
{
    snprintf(out, n, "p%04d", no);
}
