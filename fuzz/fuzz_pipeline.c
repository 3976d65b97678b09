/* libFuzzer: any bytes as a manuscript, set start to finish: parse,
 * images, layout and its self-check, the PDF and the EPUB in memory.
 * Every third input is set in the vertical style. The manuscript stands in
 * content/, so "images/hall.jpg" and the others (fuzz/pipeline.dict) are
 * found. Must not crash, leak, hang or fail its own checks. */
#define _GNU_SOURCE /* memfd_create, before any header */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fuzz/pipeline.h"
#include "parse/md.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fonts *F;
static style H, V;
static char path[4096];

static void load(style *st, const char *name)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/styles/%s.yaml", fonts_data_dir(), name);
    diag dg;
    diag_init(&dg);
    style_default(st);
    if (!style_load(st, p, &dg))
        abort();
    diag_free(&dg);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    diag dg;
    diag_init(&dg);
    F = fonts_new(NULL, &dg);
    if (!F)
        abort();
    diag_free(&dg);
    load(&H, "handout");
    load(&V, "tategaki");
    snprintf(path, sizeof path, "%s/content/fuzz.md", fonts_data_dir());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag dg;
    diag_init(&dg);
    doc *d = parse_buffer(path, (const char *)data, size, &dg);
    if (d)
        fz_set(d, size % 3 == 0 ? &V : &H, F, &dg);
    else if (dg.errors == 0)
        abort(); /* no tree means an error was said */
    if (d && d->nconds > 0 && d->neditions > 0 && d->editions[0].id) {
        /* the first recipient's copy, with its ::: blocks' text */
        doc *e = parse_buffer_for(path, (const char *)data, size,
                                  d->editions[0].id, &dg);
        if (e)
            fz_set(e, size % 3 == 0 ? &V : &H, F, &dg);
        doc_free(e);
    }
    doc_free(d);
    diag_free(&dg);
    return 0;
}
