#include "doc/notes.h"

#include <stdlib.h>


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

