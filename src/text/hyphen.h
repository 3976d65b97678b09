/* Hyphenation of Latin words: libhyphen (the library LibreOffice uses)
 * with Debian's hyphen-* pattern files. Only where the line breaker asks
 * for it: a hyphenation point is a break it may take at a cost. */
#ifndef KM_HYPHEN_H
#define KM_HYPHEN_H
#include "text/shape.h"
#include "util/buf.h"

typedef struct hyphenator hyphenator;

/* The patterns for the document's language: its own when a Latin-script
 * language has a pattern file (/usr/share/hyphen/hyph_LL_CC.dic), else
 * English (the Latin words in a Japanese report are English). NULL when
 * none is installed: the text then sets without hyphenation. */
hyphenator *hyph_new(const char *lang);
void hyph_free(hyphenator *h);
/* Which pattern file hyph_new would load, with its size and time (a
 * cache key's part). */
void hyph_identity(const char *lang, buf *out);

/* Marks where each Latin word of sh may break with a hyphen: for such a
 * cell, cells[k].hyphen is the advance of the hyphen the line would end
 * with, and sh->hyphen_gid[font] its glyph. Words of fewer than five
 * letters, words in capitals (acronyms), URLs, code and note marks are
 * left whole; two letters at least stay before a break, three after. */
void hyph_mark(const hyphenator *h, shaped *sh);

#endif
