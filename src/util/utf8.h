/* UTF-8 decoding with byte offsets. */
#ifndef KM_UTF8_H
#define KM_UTF8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s[0..n). Returns its length in bytes (1-4) and
 * stores it in *cp; on invalid or truncated input returns 0 and stores
 * U+FFFD. Rejects overlong forms, surrogates and values above U+10FFFF. */
int utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Number of code points in s[0..n) (invalid bytes count one each). */
size_t utf8_count(const char *s, size_t n);
/* The run of Latin text (below U+2E80, spaces between Latin words with
 * it), or of the rest, that starts at s[i]: returns where it ends, and in
 * *latin which it is. Emphasis sets the one italic and dots the other. */
size_t utf8_latin_run(const char *s, size_t n, size_t i, bool *latin);

#endif
