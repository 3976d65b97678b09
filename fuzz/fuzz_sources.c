/* libFuzzer: any bytes as a manuscript's sources file (NAME.sources.yaml,
 * parse/sources.h). Errors are fine; crashes, leaks, an error with no
 * message and a manuscript that parses but cannot be set are not. A file
 * that reads without errors then sets the manuscript, whose citations and
 * [@sources] list it fills, start to finish (layout, its self-check, the
 * PDF and the EPUB in memory). */
#define _GNU_SOURCE /* memfd_create, before any header */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/pipeline.h"
#include "parse/md.h"
#include "style/style.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fonts *F;
static style S;
static char mpath[64], spath[64];

static const char manuscript[] =
    "---\ntitle: 出典の試験\ndate: 2025-10-20\n---\n\n"
    "## 見出し {#sec:a}\n\n指針[@src:s1]によれば、報告[@src:s2]も[@sec:a]も"
    "同じ立場をとる[^1]。再び[@src:s1]。\n\n"
    "[^1]: 注の中の出典[@src:s3]。\n\n## 参考資料\n\n[@sources]\n";

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
    style_default(&S);
    S.ref_pages = true;
    S.heading_numbers = SECNUM_DECIMAL;
    snprintf(mpath, sizeof mpath, "/tmp/km-fuzz-src-%d.md", (int)getpid());
    snprintf(spath, sizeof spath, "/tmp/km-fuzz-src-%d.sources.yaml",
             (int)getpid());
    FILE *f = fopen(mpath, "wb");
    if (!f)
        abort();
    fputs(manuscript, f);
    fclose(f);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(spath, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    diag dg;
    diag_init(&dg);
    doc *d = parse_file(mpath, &dg, false);
    if (!d && dg.errors == 0)
        abort(); /* refused without saying why */
    if (d) {
        fz_set(d, &S, F, &dg);
        doc_free(d);
    }
    diag_free(&dg);
    unlink(spath);
    return 0;
}
