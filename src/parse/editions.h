/* Client editions: the recipients a report goes out to, one copy each,
 * from the front matter's `editions:` or a file beside the manuscript,
 * NAME.editions.yaml. */
#ifndef KM_EDITIONS_H
#define KM_EDITIONS_H
#include <stdbool.h>
#include <yaml.h>

#include "doc/doc.h"
#include "util/diag.h"

/* Reads a sequence of editions whose start event `start` was just read
 * from p (lines count from line0 in `file`) into d. Every fault is an
 * error at its file:line:col; returns false if there was any (or if the
 * YAML itself is broken: then the parser is left at the fault). */
bool editions_read(doc *d, yaml_parser_t *p, const yaml_event_t *start,
                   const char *file, int line0, diag *dg);

/* The editions file beside the manuscript (manuscript.md ->
 * manuscript.editions.yaml), when there is one and the front matter had
 * none: a list of editions, or a mapping with `editions:` and an optional
 * document-wide `classification:`. Returns false on an error. */
bool editions_load(doc *d, diag *dg);

/* Has the document editions, in its front matter or in the editions file
 * beside it (without reading that file)? */
bool editions_exist(const doc *d);

/* Every edition has a safe, unique id and a recipient; `copy: auto`
 * numbers them in order. Errors at the edition's file:line:col. */
bool editions_check(doc *d, diag *dg);

/* The edition with this id, or NULL. */
const doc_edition *editions_find(const doc *d, const char *id);


#endif
