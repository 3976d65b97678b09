/* Phrases (文節) for breaking titles and headings: MeCab (Debian's
 * libmecab with the IPA dictionary) splits the text into morphemes, and
 * a phrase is a content word with the function words after it (particles,
 * auxiliaries, suffixes; a compound of nouns stays one phrase). */
#ifndef KM_PHRASE_H
#define KM_PHRASE_H
#include "text/shape.h"
#include "util/buf.h"

typedef struct phraser phraser;

/* NULL when MeCab or its dictionary is missing: headings then break as
 * body text does. */
phraser *phrase_new(void);
void phrase_free(phraser *p);

/* Marks every cell of sh that does not begin a phrase JP_GLUED: the
 * line breaker breaks a title or heading only between phrases. Latin
 * words and numbers keep their own rules. */
void phrase_mark(phraser *p, shaped *sh);

/* MeCab's version and the dictionary files it opens, with their sizes and
 * times (a cache key's part). */
void phrase_identity(buf *out);

#endif
