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

/* A client edition's additions to the laid-out pages, drawn over them
 * without moving anything: lines on every page (the marking) or on one
 * page (the notices on the title page and the colophon), a watermark
 * under the text of every page, and its own metadata. */
typedef struct pdf_extra_line {
    lay_line line;       /* x0 and y set; its cells live in the layout */
    long page;           /* its page's index, or -1: every page */
} pdf_extra_line;

typedef struct pdf_edition {
    const pdf_extra_line *lines;
    size_t nlines;
    const lay_line *watermark; /* drawn light and turned on every page,
                                  not text to a reader's copy; or NULL */
    double watermark_w;
    const char *subject;       /* metadata, or NULL */
    const char *keywords;
} pdf_edition;

/* The fonts a PDF draws with, subset once for the layout and the extra
 * lines of every edition to come (make all their lines first). */
typedef struct pdf_fontset pdf_fonts;
pdf_fonts *pdf_fonts_new(const layout *L, const pdf_extra_line *extra,
                         size_t n, const lay_line *more, size_t nmore);
void pdf_fonts_free(pdf_fonts *fs);

/* pdf_write with an edition's additions (`ed` NULL: the plain edition),
 * drawing with `fs` (NULL: subset for this PDF alone). */
bool pdf_write_edition(const layout *L, const doc *d, pdf_fonts *fs,
                       const pdf_edition *ed, int fd, diag *dg);

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
