/* Reading YAML events with where they are: what the front matter and the
 * editions file share (libyaml's parser, their lines counted from the
 * file's). */
#ifndef KM_YREAD_H
#define KM_YREAD_H
#include <stdbool.h>
#include <yaml.h>

#include "util/diag.h"

typedef struct yread {
    yaml_parser_t *p;
    const char *file;   /* borrowed */
    int line0;          /* the file line of the YAML text's first line */
    diag *dg;
    const char *what;   /* "front matter", "editions": for the messages */
    bool ok;            /* no error yet */
} yread;

/* Where a mark is in the file. */
diag_loc yread_at(const yread *y, yaml_mark_t m);
/* The next event; on broken YAML an error "malformed WHAT: ..." at its
 * place, y->ok false, and false. */
bool yread_next(yread *y, yaml_event_t *ev);
/* Skips the collection whose start event was just read (nothing for a
 * scalar); false if the YAML breaks meanwhile. */
bool yread_skip(yread *y, const yaml_event_t *start);

/* The file beside a manuscript that shares its name: "report.md" and
 * ".sources.yaml" -> "report.sources.yaml". The caller frees it. */
char *yread_beside(const char *manuscript, const char *suffix);

#endif
