/* Checks on the manuscript's raw bytes and source lines that the Markdown
 * parser cannot report with a location: encoding, NUL bytes, note labels. */
#ifndef KM_LINT_H
#define KM_LINT_H
#include <stdbool.h>
#include <stddef.h>

#include "doc/doc.h"
#include "util/buf.h"
#include "util/diag.h"

/* Errors for NUL bytes and invalid UTF-8, each with its exact line and
 * column (at most one per line). Returns false if any were found: the text
 * is then not parsed further. */
bool lint_encoding(const char *path, const char *src, size_t n, diag *dg);

/* Note labels in the source: a reference without a definition is an error;
 * a definition never referenced and a label defined twice are warnings.
 * Fenced code blocks and code spans are skipped. Returns false on error;
 * the labels with no definition go to `undefined`, each "[^label]" and a
 * NUL (so that nothing reports them twice). `partial`: the text is one
 * copy's (parse_file_for), so a definition may be referenced only in a
 * block left out: that is not said. */
bool lint_notes(const char *path, const char *src, size_t n, int line0,
                bool partial, diag *dg, buf *undefined);

/* Warnings for link targets that cannot be URLs (spaces, <>"{}|\^`). */
void lint_links(const doc *d, diag *dg);

#endif
