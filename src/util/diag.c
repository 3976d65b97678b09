#include "util/diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util/xalloc.h"

void diag_init(diag *dg)
{
    *dg = (diag){0};
}

void diag_free(diag *dg)
{
    for (size_t i = 0; i < dg->n; i++) {
        free(dg->v[i].msg);
        free(dg->v[i].file);
    }
    free(dg->v);
    *dg = (diag){0};
}

static void add(diag *dg, diag_severity sev, diag_loc loc, const char *fmt,
                va_list ap)
{
    if (sev == DIAG_ERROR)
        dg->errors++;
    else
        dg->warnings++;
    size_t max = dg->max_entries ? dg->max_entries : 1000;
    if (dg->n >= max) {
        dg->dropped++;
        return;
    }
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = xmalloc(len > 0 ? (size_t)len + 1 : 1);
    vsnprintf(msg, len > 0 ? (size_t)len + 1 : 1, fmt, ap);
    xgrow((void **)&dg->v, &dg->cap, dg->n + 1, sizeof *dg->v);
    diag_entry *e = &dg->v[dg->n++];
    e->severity = sev;
    e->loc = loc;
    e->file = loc.file ? xstrdup(loc.file) : NULL;
    e->loc.file = e->file;
    e->msg = msg;
}

void diag_error(diag *dg, diag_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(dg, DIAG_ERROR, loc, fmt, ap);
    va_end(ap);
}

void diag_warning(diag *dg, diag_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(dg, DIAG_WARNING, loc, fmt, ap);
    va_end(ap);
}

void diag_merge(diag *dg, const diag *from)
{
    for (size_t i = 0; i < from->n; i++) {
        const diag_entry *e = &from->v[i];
        if (e->severity == DIAG_ERROR)
            diag_error(dg, e->loc, "%s", e->msg);
        else
            diag_warning(dg, e->loc, "%s", e->msg);
    }
}

void diag_print(const diag *dg, FILE *out)
{
    for (size_t i = 0; i < dg->n; i++) {
        const diag_entry *e = &dg->v[i];
        const char *sev = e->severity == DIAG_ERROR ? "error" : "warning";
        if (e->file && e->loc.line > 0 && e->loc.col > 0)
            fprintf(out, "%s:%d:%d: %s: %s\n", e->file, e->loc.line,
                    e->loc.col, sev, e->msg);
        else if (e->file && e->loc.line > 0)
            fprintf(out, "%s:%d: %s: %s\n", e->file, e->loc.line, sev, e->msg);
        else if (e->file)
            fprintf(out, "%s: %s: %s\n", e->file, sev, e->msg);
        else
            fprintf(out, "kumihan: %s: %s\n", sev, e->msg);
    }
    if (dg->dropped)
        fprintf(out, "kumihan: note: %zu more diagnostics not shown\n",
                dg->dropped);
}

bool diag_failed(const diag *dg, bool werror)
{
    return dg->errors > 0 || (werror && dg->warnings > 0);
}
