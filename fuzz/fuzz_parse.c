/* libFuzzer: any bytes as a manuscript -> tree -> dump. Must not crash,
 * leak or hang; a tree, when there is one, must be walkable. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "doc/dump.h"
#include "parse/md.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag dg;
    diag_init(&dg);
    doc *d = parse_buffer("fuzz.md", (const char *)data, size, &dg);
    if (d) {
        buf b = {0};
        doc_dump(d, &b);
        buf_free(&b);
        /* every reference has a note, every cross-reference its figure or
         * table, every ruby a base and a reading */
        for (const doc_node *n = d->root; n; n = doc_next(d->root, n)) {
            if (n->kind == DOC_NOTEREF && (n->note < 1 || (size_t)n->note > d->nnotes))
                abort();
            if (n->kind == DOC_XREF && (!n->target || n->number < 1))
                abort();
            if (n->kind == DOC_RUBY && (!n->first || n->len == 0))
                abort();
        }
        doc_free(d);
    } else if (dg.errors == 0) {
        abort(); /* no tree means an error was said */
    }
    diag_free(&dg);
    return 0;
}
