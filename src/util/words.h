/* Words writers get almost right: the nearest of a set of names (for
 * "did you mean"), and language tags (BCP 47) as EPUB and PDF need them. */
#ifndef KM_UTIL_WORDS_H
#define KM_UTIL_WORDS_H
#include <stdbool.h>
#include <stddef.h>

/* The name in set[0..n) nearest to `word` by edits (Levenshtein, ASCII
 * letter case ignored), if it is at most two edits away and nearer than
 * half the word's length; else NULL. */
const char *words_nearest(const char *word, const char *const *set, size_t n);

/* Is `tag` a well-formed BCP 47 language tag whose language is one a
 * reader knows ("ja", "en-US", "zh-Hant-TW")? When it is not, *suggest is
 * the tag meant (a country's code or a language's name written for one:
 * "jp" -> "ja", "japanese" -> "ja", "jpn" -> "ja"), or NULL. */
bool words_lang_ok(const char *tag, const char **suggest);

#endif
