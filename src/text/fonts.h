/* Fonts: kumihan's fontconfig setup (fonts/fonts.conf) and the Pango font
 * map and context on it. Created and released here only (STYLE.md 2.4). */
#ifndef KM_FONTS_H
#define KM_FONTS_H
#include <pango/pango.h>
#include <stdbool.h>

#include "util/diag.h"

typedef struct fonts fonts;

/* Loads fonts/fonts.conf from the data directory and makes a font map at
 * 72 dpi with unhinted metrics (1 unit = 1 pt). Returns NULL with an error
 * if the configuration cannot be loaded. */
fonts *fonts_new(diag *dg);
void fonts_free(fonts *f);
/* Borrowed; lives as long as f. */
PangoContext *fonts_context(fonts *f);
/* Checks that a family is installed; if not, records an error naming the
 * Debian package that provides it and returns false. */
bool fonts_require(fonts *f, const char *family, diag *dg);
/* Does the family have a glyph for cp? */
bool fonts_has_char(fonts *f, const char *family, uint32_t cp);

/* The directory holding fonts/ and styles/: $KUMIHAN_DATA if set, else the
 * source tree kumihan was built from. */
const char *fonts_data_dir(void);

#endif
