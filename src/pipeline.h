/* Runs the stages for one command and writes the output atomically
 * (util/atomic.h): nothing is at the target's name until it is complete. */
#ifndef KM_PIPELINE_H
#define KM_PIPELINE_H
#include <stdbool.h>

#include "util/buf.h"
#include "util/diag.h"

typedef enum { CMD_CHECK, CMD_DUMP, CMD_LINES, CMD_PDF, CMD_EPUB } pipeline_cmd;

typedef struct pipeline_opts {
    pipeline_cmd cmd;
    const char *input;
    const char *output;  /* NULL: out/NAME.pdf|epub beside the project */
    const char *epub;    /* pdf: also the EPUB, here, from the same layout
                            (make pdf epub), or NULL */
    const char *style;   /* NULL: the default handout style */
    const char *depfile; /* NULL, or where to write make's dependencies */
    bool editions;       /* pdf, epub: one file per recipient */
    const char *edition; /* pdf, epub: only this recipient's, or NULL */
    const char *sign;    /* pdf, epub: the signing key's .p12, or NULL */
    bool timings;        /* stage times on stderr */
    bool quiet;
} pipeline_opts;

typedef enum {
    PIPE_OK = 0,
    PIPE_INPUT = 1,  /* bad input: errors in the manuscript or style */
    PIPE_IO = 2,     /* usage or I/O trouble */
    PIPE_BUG = 3,    /* kumihan's own fault: its layout broke an invariant */
} pipeline_status;

/* Runs the command. Diagnostics go to dg; dumps to `out`. */
pipeline_status pipeline_run(const pipeline_opts *o, diag *dg, buf *out);

#endif
