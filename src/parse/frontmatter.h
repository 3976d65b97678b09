/* YAML front matter (between "---" lines at the top of the manuscript)
 * into doc metadata, with libyaml. */
#ifndef KM_FRONTMATTER_H
#define KM_FRONTMATTER_H
#include <stdbool.h>
#include <stddef.h>

#include "doc/doc.h"
#include "util/diag.h"

/* Finds front matter at the start of src. On return *body_off is where the
 * Markdown starts and *body_line its 1-based line number (1 without front
 * matter). An opening "---" without a closing line is an error. Fields go
 * into d->meta; wrong types are errors, unknown keys warnings. Returns
 * false if an error was recorded. */
bool frontmatter_parse(doc *d, const char *src, size_t n, size_t *body_off,
                       int *body_line, diag *dg);

#endif
