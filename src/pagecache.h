/* The EPUB's print-layout part, kept from one run to the next. An EPUB
 * takes two things from the print layout: its page map (the page-list,
 * and the printed pages of references) and its cover (the title page as a
 * picture). Both need the whole layout, most of an EPUB run's time. They
 * are kept in a cache, under a key made of everything the layout reads:
 * kumihan's own build and every library's (their build ids), the
 * environment that changes shaping and drawing, the manuscript as written
 * and the tree it was read as, the files it names, the style as read, the
 * fonts, the hyphenation and MeCab dictionaries, the date. A run whose key is in the cache writes the same
 * EPUB byte for byte without laying out (tests/cache.py); the layout's
 * warnings are kept too, and said again.
 *
 * Where: $KUMIHAN_CACHE, else $XDG_CACHE_HOME/kumihan, else
 * ~/.cache/kumihan; KUMIHAN_CACHE=off (or any path not absolute) turns it
 * off. The folder must be the user's alone (not writable by others); the
 * 64 entries used last are kept, each readable by the user alone. An
 * entry that is not a regular file, cannot be read whole or does not check
 * out (its SHA-256) is a miss, never an error; a cache that cannot be
 * written is left alone. */
#ifndef KM_PAGECACHE_H
#define KM_PAGECACHE_H
#include <stdbool.h>
#include <stddef.h>

#include "doc/doc.h"
#include "style/style.h"
#include "text/fonts.h"
#include "util/buf.h"
#include "util/diag.h"

typedef struct pagecache_key {
    unsigned char h[32];
} pagecache_key;

typedef struct pagecache_entry {
    doc_pagemap map;
    size_t npages;
    buf cover;       /* the cover's PNG */
    diag warnings;   /* what the layout said */
} pagecache_entry;

/* The key of the layout d would get in the style read from style_path
 * (its bytes as style_load read them; NULL: the built-in defaults) with
 * fonts f; false when there is none to be had (the cache is off, or
 * kumihan has no build id to tell its builds apart). */
bool pagecache_key_of(const doc *d, const buf *style_bytes,
                      const char *style_path, fonts *f, pagecache_key *key);
/* The entry kept for key (true), or a miss. */
bool pagecache_get(const pagecache_key *key, pagecache_entry *e);
/* Keeps e for key. */
void pagecache_put(const pagecache_key *key, const pagecache_entry *e);
void pagecache_entry_free(pagecache_entry *e);

#endif
