/* libFuzzer: any bytes as a style file. Errors are fine; crashes, leaks
 * and a "valid" style that does not validate are not. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "style/style.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/km-fuzz-style-%d.yaml", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    style s;
    style_default(&s);
    diag dg;
    diag_init(&dg);
    bool ok = style_load(&s, path, &dg);
    if (ok && (dg.errors || !style_validate(&s, &dg)))
        abort();
    if (!ok && dg.errors == 0)
        abort();
    style_free(&s);
    diag_free(&dg);
    unlink(path);
    return 0;
}
