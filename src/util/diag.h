/* Diagnostics: every problem found in the input, with where it is.
 * Library code records them; only main.c prints them and picks the exit
 * code (STYLE.md 2.3). */
#ifndef KM_DIAG_H
#define KM_DIAG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { DIAG_WARNING, DIAG_ERROR } diag_severity;

typedef struct diag_loc {
    const char *file; /* borrowed; NULL when the problem has no file */
    int line;         /* 1-based; 0 = whole file */
    int col;          /* 1-based, in bytes as gcc counts; 0 = whole line */
} diag_loc;

typedef struct diag_entry {
    diag_severity severity;
    diag_loc loc;
    char *file; /* owned copy of loc.file */
    char *msg;  /* owned */
} diag_entry;

typedef struct diag {
    diag_entry *v;
    size_t n, cap;
    size_t errors, warnings;
    size_t max_entries; /* stop recording beyond this many (0 = 1000) */
    size_t dropped;
} diag;

void diag_init(diag *dg);
void diag_free(diag *dg);
void diag_error(diag *dg, diag_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(diag *dg, diag_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records `from`'s entries in dg, in order (a thread's own diagnostics). */
void diag_merge(diag *dg, const diag *from);
/* Writes each entry in gcc form "FILE:LINE:COL: error: message". */
void diag_print(const diag *dg, FILE *out);
/* True if there are errors, or warnings and werror is set. */
bool diag_failed(const diag *dg, bool werror);

#endif
