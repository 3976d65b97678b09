#include "doc/notes.h"

#include <stdlib.h>
#include <string.h>


static void number_refs(doc *d, doc_node *top, int *next)
{
    for (const doc_node *c = top; c; c = doc_next(top, c)) {
        if (c->kind != DOC_NOTEREF)
            continue;
        doc_node *n = (doc_node *)c;
        /* the parser left cmark's index of the definition in n->note (the
         * notes are still in cmark's order here) */
        doc_note *nt = n->note >= 1 && (size_t)n->note <= d->nnotes
                           ? &d->notes[n->note - 1] : NULL;
        if (!nt) { /* cmark resolved nothing: keep it harmless */
            n->note = 0;
            continue;
        }
        if (nt->nrefs == 0)
            nt->number = ++*next;
        n->note = nt->number;
        n->ref = ++nt->nrefs;
    }
}

static int cmp_number(const void *a, const void *b)
{
    const doc_note *x = a, *y = b;
    return (x->number > y->number) - (x->number < y->number);
}

void notes_number(doc *d)
{
    int next = 0;
    for (size_t i = 0; i < d->nnotes; i++) {
        d->notes[i].number = 0;
        d->notes[i].nrefs = 0;
    }
    number_refs(d, d->root, &next);
    /* references inside notes: a note cited only from another note is
     * numbered after every note cited from the body */
    for (size_t i = 0; i < d->nnotes; i++)
        if (d->notes[i].nrefs > 0)
            number_refs(d, d->notes[i].body, &next);
    size_t kept = 0;
    for (size_t i = 0; i < d->nnotes; i++)
        if (d->notes[i].nrefs > 0)
            d->notes[kept++] = d->notes[i];
    d->nnotes = kept;
    qsort(d->notes, d->nnotes, sizeof *d->notes, cmp_number);
}


static bool ends_with_stop(const doc_node *t)
{
    static const char *const stops[] = {"\xe3\x80\x82", "\xe3\x80\x81",
                                        "\xef\xbc\x8e", "\xef\xbc\x8c"};
    if (!t || t->kind != DOC_TEXT || t->len < 3)
        return false;
    for (size_t i = 0; i < 4; i++)
        if (memcmp(t->text + t->len - 3, stops[i], 3) == 0)
            return true;
    return false;
}

static void marks_in(doc *d, doc_node *top)
{
    for (doc_node *n = top; n; n = (doc_node *)doc_next(top, n)) {
        if (n->kind != DOC_NOTEREF || !ends_with_stop(n->prev))
            continue;
        doc_node *t = n->prev, *last = n;
        while (last->next && last->next->kind == DOC_NOTEREF)
            last = last->next;
        /* the stop after the cluster, as a text of its own */
        doc_node *stop = doc_node_new(d, DOC_TEXT, t->line, t->col);
        stop->text = t->text + t->len - 3;
        stop->len = 3;
        t->len -= 3;
        stop->parent = last->parent;
        stop->prev = last;
        stop->next = last->next;
        if (last->next)
            last->next->prev = stop;
        else
            last->parent->last = stop;
        last->next = stop;
        n = stop;
    }
}

void notes_marks_before_punctuation(doc *d)
{
    marks_in(d, d->root);
    for (size_t i = 0; i < d->nnotes; i++)
        marks_in(d, d->notes[i].body);
}
