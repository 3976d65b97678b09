/* Figures into the PDF: each image made into a Cairo source once and
 * drawn wherever the layout placed it. PNG is decoded; JPEG goes in as it
 * is (DCT pass-through: its bytes become the PDF's image, no re-encoding);
 * SVG is drawn as vectors by librsvg. */
#ifndef KM_PDF_IMAGES_H
#define KM_PDF_IMAGES_H
#include <cairo.h>
#include <stdbool.h>

#include "doc/doc.h"
#include "util/diag.h"

typedef struct pdf_images pdf_images;

/* `opaque`: for PDF/A-1, which has no transparency: a PNG's alpha is
 * flattened onto the white page, and an SVG that uses transparency is set
 * as a picture flattened so, each with a warning at the image. */
pdf_images *pdf_images_new(const doc *d, bool opaque, diag *dg);
/* Draws image `index` with its top left at (x, y), w x h pt. False, with
 * an error at the image's first use, if it cannot be decoded. */
bool pdf_images_draw(pdf_images *pi, cairo_t *cr, int index, double x,
                     double y, double w, double h);
void pdf_images_free(pdf_images *pi);

#endif
