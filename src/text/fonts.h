/* Fonts: kumihan's fontconfig setup (fonts/fonts.conf) and the Pango font
 * map and context on it. Created and released here only (README:
 * Conventions in the code). */
#ifndef KM_FONTS_H
#define KM_FONTS_H
#include <pango/pango.h>
#include <stdbool.h>

#include "style/style.h"
#include "util/buf.h"
#include "util/diag.h"

typedef struct fonts fonts;

/* Loads fonts/fonts.conf from the data directory and makes a font map at
 * 72 dpi with unhinted metrics (1 unit = 1 pt). Besides Noto CJK's
 * Japanese faces, the families the style `st` (may be NULL) names are
 * visible, and nothing else: from font files (OTF, TTF, TTC) in fonts/ or
 * the style's fonts.dir, or else from the machine's fonts (a Debian
 * package such as fonts-morisawa-bizud-mincho), those families' files
 * alone. So a PDF does not depend on what else a machine has. Returns NULL
 * with an error if the configuration cannot be loaded. */
fonts *fonts_new(const style *st, diag *dg);
/* Every family the style names is there, and the Japanese ones have
 * Japanese glyphs: 0. Else an error at the style's line that names it
 * (and what to do), and 1 (the style's mistake) or 2 (Noto CJK itself is
 * missing: the machine's). */
int fonts_check(fonts *f, const style *st, diag *dg);
void fonts_free(fonts *f);
/* Borrowed; lives as long as f. */
PangoContext *fonts_context(fonts *f);
/* Checks that a family is installed; if not, records an error naming the
 * Debian package that provides it and returns false. */
bool fonts_require(fonts *f, const char *family, diag *dg);
/* Does the family have a glyph for cp? */
bool fonts_has_char(fonts *f, const char *family, uint32_t cp);

/* What tells this font setup from another, for a cache key: every font
 * file fontconfig sees (its path, face index, size and time) and the
 * configuration's own files. */
void fonts_identity(fonts *f, buf *out);

/* The directory holding fonts/ and styles/: $KUMIHAN_DATA if set, else the
 * source tree kumihan was built from. */
const char *fonts_data_dir(void);

#endif
