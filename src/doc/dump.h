/* The tree as indented text (kumihan dump): the basis of parser tests. */
#ifndef KM_DOC_DUMP_H
#define KM_DOC_DUMP_H
#include "doc/doc.h"
#include "util/buf.h"

/* Appends the metadata, the tree and the notes to out, one node a line:
 * "  paragraph 3:1", "    text \"...\"". Without recursion. */
void doc_dump(const doc *d, buf *out);

#endif
