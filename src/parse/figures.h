/* Figures, table captions, labels and cross-references: the pass after
 * the Markdown is read that gives floats their form and numbers. */
#ifndef KM_FIGURES_H
#define KM_FIGURES_H
#include <stdbool.h>

#include "doc/doc.h"
#include "util/diag.h"

/* - An image alone in its paragraph becomes a figure, its alt text the
 *   caption; an attribute block after it, "{#fig:label width=60%}", gives
 *   its label and width (VFM's and pandoc's convention).
 * - A paragraph directly before a table (or else directly after it) that
 *   starts "Table:" or "表:" becomes the table's caption, its first child;
 *   "{#tbl:label}" at its end is the table's label.
 * - Figures and tables are numbered through the body; every [@fig:x] and
 *   [@tbl:x] gets its target and number.
 * - Image paths are checked: nothing remote, nothing outside the
 *   manuscript's directory.
 * Errors (a duplicate or unknown label, a bad attribute or path) go to dg
 * at their file:line:col; returns false if there was any. */
bool figures_settle(doc *d, diag *dg);

/* Attributes after a heading's text, "## 長い見出し {short="短い題" #sec:x}"
 * (pandoc's form): the short form for the contents and running heads, and
 * the section's label; taken out of the heading's text. Errors and
 * warnings at their file:line:col; false if there was an error. Runs
 * before the title is settled (a title heading keeps its text clean). */
bool figures_headings(doc *d, diag *dg);

/* An image reference's path, percent-decoded, or NULL after an error
 * (remote, absolute, leaving the directory, empty). The caller frees it. */
char *figures_image_path(const char *url, diag *dg, diag_loc at);

#endif
