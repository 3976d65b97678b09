#include "util/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
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
    for (size_t i = 0; i < dg->nsrc; i++) {
        diag_file *s = &dg->src[i];
        free(s->file);
        free(s->text);
        free(s->line_at);
        free(s->cuts);
    }
    free(dg->src);
    *dg = (diag){0};
}

static diag_file *source_of(const diag *dg, const char *file)
{
    for (size_t i = 0; file && i < dg->nsrc; i++)
        if (strcmp(dg->src[i].file, file) == 0)
            return &dg->src[i];
    return NULL;
}

void diag_source(diag *dg, const char *file, const char *text, size_t len,
                 int line0)
{
    diag_file *s = source_of(dg, file);
    if (!s) {
        dg->src = xrealloc(dg->src, (dg->nsrc + 1) * sizeof *dg->src);
        s = &dg->src[dg->nsrc++];
        *s = (diag_file){.file = xstrdup(file)};
    }
    free(s->text);
    free(s->line_at);
    s->text = xstrndup(text, len);
    s->len = len;
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    s->nlines = (int)n + line0;
    s->line_at = xcalloc((size_t)s->nlines + 1, sizeof *s->line_at);
    int k = line0;
    s->line_at[k++] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            s->line_at[k++] = i + 1;
    s->ncuts = 0;
}

void diag_source_cut(diag *dg, const char *file, int line, int col, int len)
{
    diag_file *s = source_of(dg, file);
    if (!s)
        return;
    xgrow((void **)&s->cuts, &s->cap_cuts, s->ncuts + 1, sizeof *s->cuts);
    s->cuts[s->ncuts++] = (diag_cut){line, col, len};
}

/* A byte column as parsed -> the character column in the file. */
static int char_col(const diag *dg, diag_loc loc)
{
    const diag_file *s = source_of(dg, loc.file);
    if (!s || loc.line < 1 || loc.line > s->nlines || loc.col < 1)
        return loc.col;
    int col = loc.col;
    for (size_t i = 0; i < s->ncuts; i++)
        if (s->cuts[i].line == loc.line && s->cuts[i].col <= col)
            col += s->cuts[i].len;
    size_t at = s->line_at[loc.line - 1];
    size_t end = loc.line < s->nlines ? s->line_at[loc.line] : s->len;
    size_t b = (size_t)(col - 1);
    if (at + b > end)
        b = end - at;
    return (int)utf8_count(s->text + at, b) + 1;
}
static bool same_file(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static void add(diag *dg, diag_severity sev, diag_loc loc, const char *fmt,
                va_list ap)
{
    loc.col = char_col(dg, loc);
    if (sev == DIAG_WARNING)
        dg->warnings++;
    else
        dg->errors++;
    if (sev == DIAG_IO_ERROR)
        dg->io_errors++;
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
    /* the same thing at the same place is said once (a warning met by
     * every edition, or by both stages that look at it) */
    for (size_t i = dg->n; i-- > 0;) {
        const diag_entry *e = &dg->v[i];
        if (e->severity == sev && e->loc.line == loc.line &&
            e->loc.col == loc.col && same_file(e->file, loc.file) &&
            strcmp(e->msg, msg) == 0) {
            free(msg);
            return;
        }
    }
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

void diag_io_error(diag *dg, diag_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(dg, DIAG_IO_ERROR, loc, fmt, ap);
    va_end(ap);
}

static void add_entry(diag *dg, const diag_entry *e)
{
    switch (e->severity) {
    case DIAG_WARNING: diag_warning(dg, e->loc, "%s", e->msg); break;
    case DIAG_ERROR: diag_error(dg, e->loc, "%s", e->msg); break;
    case DIAG_IO_ERROR: diag_io_error(dg, e->loc, "%s", e->msg); break;
    }
}

void diag_merge(diag *dg, const diag *from)
{
    /* their columns are counted already: no source applies again */
    diag_file *src = dg->src;
    size_t nsrc = dg->nsrc;
    dg->src = NULL;
    dg->nsrc = 0;
    for (size_t i = 0; i < from->n; i++)
        add_entry(dg, &from->v[i]);
    dg->src = src;
    dg->nsrc = nsrc;
}

void diag_print(const diag *dg, FILE *out)
{
    for (size_t i = 0; i < dg->n; i++) {
        const diag_entry *e = &dg->v[i];
        const char *sev = e->severity == DIAG_WARNING ? "warning" : "error";
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
