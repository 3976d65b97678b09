/* Diagnostics: every problem found in the input, with where it is.
 * Library code records them; only main.c prints them and picks the exit
 * code (README: Conventions in the code). */
#ifndef KM_DIAG_H
#define KM_DIAG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum {
    DIAG_WARNING,
    DIAG_ERROR,    /* in what kumihan was given: the manuscript, style,
                      editions, signing key */
    DIAG_IO_ERROR, /* a file that could not be opened, read or written:
                      the system's trouble, not the input's (main.c's
                      exit status 2 where it stops the run) */
} diag_severity;

typedef struct diag_loc {
    const char *file; /* borrowed; NULL when the problem has no file */
    int line;         /* 1-based; 0 = whole file */
    int col;          /* 1-based; 0 = whole line. Given in bytes; stored
                         and printed in characters, as editors count,
                         for a file whose text is known (diag_source) */
} diag_loc;

typedef struct diag_entry {
    diag_severity severity;
    diag_loc loc;
    char *file; /* owned copy of loc.file */
    char *msg;  /* owned */
} diag_entry;

/* A stretch cut out of a line before it was parsed (an HTML comment): at
 * byte column `col` of `line` as the parser saw it, `len` bytes of the
 * file are missing. */
typedef struct diag_cut {
    int line, col, len;
} diag_cut;

typedef struct diag_file {
    char *file;         /* owned */
    char *text;         /* owned: the file as written */
    size_t len;
    size_t *line_at;    /* byte offset of each line */
    int nlines;
    diag_cut *cuts;
    size_t ncuts, cap_cuts;
} diag_file;

typedef struct diag {
    diag_entry *v;
    size_t n, cap;
    size_t errors, warnings;
    size_t io_errors;   /* of the errors, DIAG_IO_ERROR ones */
    size_t max_entries; /* stop recording beyond this many (0 = 1000) */
    size_t dropped;
    diag_file *src;     /* files whose columns are counted in characters */
    size_t nsrc;
} diag;

void diag_init(diag *dg);
void diag_free(diag *dg);
void diag_error(diag *dg, diag_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(diag *dg, diag_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An error of the system's (DIAG_IO_ERROR): printed as any error, told
 * apart by the exit status. */
void diag_io_error(diag *dg, diag_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The text of `file` as written (copied): from now on a location in it
 * given in bytes is recorded in characters. `line0` is the file line of
 * text's first line, less one. */
void diag_source(diag *dg, const char *file, const char *text, size_t len,
                 int line0);
/* `len` bytes of `file` cut at (line, col) before parsing (diag_cut). */
void diag_source_cut(diag *dg, const char *file, int line, int col, int len);
/* Records `from`'s entries in dg, in order (a thread's own diagnostics). */
void diag_merge(diag *dg, const diag *from);
/* Writes each entry in gcc form "FILE:LINE:COL: error: message". */
void diag_print(const diag *dg, FILE *out);
/* True if there are errors, or warnings and werror is set. */
bool diag_failed(const diag *dg, bool werror);

#endif
