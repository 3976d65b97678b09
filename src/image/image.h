/* Image files: found next to the manuscript, checked and measured before
 * anything is laid out. Headers only: nothing is decoded here (a raster
 * is decoded once, by the PDF writer, as it draws it). No Cairo. */
#ifndef KM_IMAGE_H
#define KM_IMAGE_H
#include <stdbool.h>

#include "doc/doc.h"
#include "util/buf.h"
#include "util/diag.h"

enum { IMAGE_MAX_PIXELS = 50000000 }; /* refused before decoding */

/* Every figure's and inline image's file: its path resolved against the
 * manuscript's directory, read, its format and size taken from its
 * header, its integrity checked (PNG chunk CRCs, a JPEG's end marker, an
 * SVG without scripts or external references), and the result in
 * d->images, each file once; node->image is its index. Every fault is an
 * error at the image's file:line:col; returns false if there was any. */
bool images_load(doc *d, diag *dg);

/* The file's bytes (for the EPUB and for JPEG pass-through); an error at
 * its first use in the manuscript if it cannot be read. */
bool image_read(const doc *d, const doc_image *im, buf *out, diag *dg);

/* The media type: image/png, image/jpeg or image/svg+xml. */
const char *image_media_type(const doc_image *im);

/* The resolution it prints at when set w pt wide. */
double image_dpi(const doc_image *im, double w);

#endif
