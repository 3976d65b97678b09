/* Markdown manuscript -> document tree. The only module that includes
 * cmark-gfm (README: Conventions in the code). */
#ifndef KM_MD_H
#define KM_MD_H
#include <stddef.h>

#include "doc/doc.h"
#include "util/diag.h"

/* Containers nested deeper than this are flattened into the deepest one
 * allowed (with a warning), so that every later walk is bounded. */
enum { PARSE_MAX_DEPTH = 64 };

/* Parses a manuscript held in memory. Returns the tree, with notes
 * numbered, or NULL if an error was recorded in dg (bad encoding, front
 * matter, undefined notes). The caller frees the tree with doc_free. */
doc *parse_buffer(const char *path, const char *src, size_t n, diag *dg);
/* parse_buffer for one copy (see parse_file_for). */
doc *parse_buffer_for(const char *path, const char *src, size_t n,
                      const char *edition, diag *dg);

/* Reads and parses a file. I/O failure is an error without a line.
 * `keep` (kumihan check): every error of the manuscript is reported in one
 * run, and the tree is returned even with errors (NULL only when nothing
 * could be read), for the checks after parsing; never set it so. */
doc *parse_file(const char *path, diag *dg, bool keep);

/* parse_file for one copy: the text of the ::: blocks for `edition` kept,
 * the others' left out (NULL: the plain build, which has none of them;
 * DOC_EVERY_EDITION: all, as check reads them; parse_file is this with
 * NULL, or with DOC_EVERY_EDITION when `keep`). */
doc *parse_file_for(const char *path, const char *edition, diag *dg, bool keep);

#endif
