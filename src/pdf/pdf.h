/* The print handout: laid-out pages -> PDF through Cairo. The only module
 * that draws with Cairo. */
#ifndef KM_PDF_H
#define KM_PDF_H
#include <stdbool.h>
#include <stdio.h>

#include "doc/doc.h"
#include "layout/layout.h"
#include "util/buf.h"
#include "util/diag.h"

/* Writes the PDF to the open file descriptor fd (the caller makes it
 * atomic). Metadata comes from the front matter; dates from
 * SOURCE_DATE_EPOCH, else the front matter's date, so that two builds are
 * byte-identical. Returns false with an error on failure. */
bool pdf_write(const layout *L, const doc *d, int fd, diag *dg);

/* Renders page `index` to PNG bytes at `scale` pixels per pt. */
bool pdf_render_png(const layout *L, size_t index, double scale, buf *png,
                    diag *dg);

/* The ISO 8601 date-time the outputs carry ("2025-08-01T00:00:00Z"). */
void pdf_date(const doc *d, char *out, size_t n);

#endif
