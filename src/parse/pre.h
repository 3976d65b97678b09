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

#include "util/buf.h"
#include "util/diag.h"

/* Appends the prepared body to `out`. `line0` is the file line of src's
 * first line. A comment never closed is an error at its start (false):
 * everything after it would be lost. */
bool pre_prepare(const char *path, const char *src, size_t n, int line0,
                 buf *out, diag *dg);

#endif
