/* The manuscript's body as cmark reads it: HTML comments taken out, the
 * writer's notes that must never reach a reader (in any Markdown renderer
 * they are hidden; in kumihan they are gone, from the PDF's text, the
 * EPUB's files and the metadata alike). Code is left as written: fenced
 * code blocks and code spans keep their "<!--". Every line keeps its
 * number; what is cut out of a line is told to the diagnostics
 * (diag_source_cut), so their columns still point into the file as
 * written. (An indented code block is not told apart: a comment in one
 * goes too.) */
#ifndef KM_PARSE_PRE_H
#define KM_PARSE_PRE_H
#include <stdbool.h>
#include <stddef.h>

#include "doc/doc.h"
#include "util/buf.h"
#include "util/diag.h"

/* Content for some recipients only: a fenced block as pandoc's divs are
 * written,
 *
 *     ::: {editions="sample-a sample-b"}      (or except="sample-c")
 *     text for those copies alone
 *     :::
 *
 * is kept for the editions it names (or for all but those) and is absent
 * from every other copy and from the plain build (fail closed): its lines
 * reach cmark blank, so nothing of it is in the tree. Blocks nest. */
typedef struct pre_conds {
    doc_cond *v;         /* their ids owned (freed by pre_conds_free) */
    size_t n, cap;
} pre_conds;

void pre_conds_free(pre_conds *c);

/* Appends the prepared body to `out`, for `edition` (as doc_cond_visible), and
 * the conditional blocks found to `conds` (may be NULL). `line0` is the
 * file line of src's first line. A comment or a conditional block never
 * closed is an error at its start (false): everything after it would be
 * lost. */
bool pre_prepare(const char *path, const char *src, size_t n, int line0,
                 const char *edition, buf *out, pre_conds *conds, diag *dg);

#endif
