/* Viewer preferences Cairo 1.16 cannot write, private to pdf/. */
#ifndef KM_PDF_VIEWER_H
#define KM_PDF_VIEWER_H
#include <stdbool.h>

#include "util/buf.h"

/* Appends to a finished PDF an incremental update (ISO 32000-1 7.5.6)
 * that gives its catalog /ViewerPreferences << /Direction /R2L >>: a
 * right-bound book, whose spreads a viewer shows with the first page on
 * the right. Cairo has no call for it; the update leaves every byte Cairo
 * wrote as it was. False, with the PDF untouched, if its trailer or
 * catalog cannot be read (a viewer then shows it left to right). */
bool pdf_viewer_r2l(buf *pdf);

#endif
