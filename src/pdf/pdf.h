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

/* A page to be drawn as a PNG picture, perhaps in another thread while
 * the layout goes on: made in the layout's thread (it asks Pango for the
 * fonts), drawn with Cairo alone. The page must not change meanwhile. */
typedef struct pdf_picture pdf_picture;
pdf_picture *pdf_picture_new(const layout *L, size_t index, double scale);
/* Draws it: an 8-bit grey PNG of the page at `scale` pixels per pt. */
bool pdf_picture_png(const pdf_picture *pic, buf *png, diag *dg);
void pdf_picture_free(pdf_picture *pic);

/* The ISO 8601 date-time the outputs carry ("2025-08-01T00:00:00Z"). */
void pdf_date(const doc *d, char *out, size_t n);

#endif
