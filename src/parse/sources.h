/* Sources: NAME.sources.yaml beside the manuscript lists the documents a
 * report draws on, and [@src:id] in the text cites one as an endnote in
 * the house form (SIST 02's order):
 *
 *     著者「題名」、発行者、日付、URL（参照 日付）
 *
 * (a source with no Japanese in its title: Author, “Title”, Publisher,
 * 日付, URL（参照 日付）).
 * A source cited twice is one note, referenced twice. A paragraph holding
 * only [@sources] becomes the list of the sources the text does not cite
 * (a 参考資料 section's). The file:
 *
 *     - id: meti-2024
 *       title: AI事業者ガイドライン（第1.0版）
 *       author: 経済産業省・総務省
 *       publisher: 経済産業省
 *       date: 2024-04-19
 *       url: https://www.meti.go.jp/...
 *       accessed: 2025-10-01
 *
 * (or that list under a `sources:` key); `type: book` sets a book's
 * title in 『』. */
#ifndef KM_PARSE_SOURCES_H
#define KM_PARSE_SOURCES_H
#include <stdbool.h>
#include <stddef.h>

#include "doc/doc.h"
#include "util/diag.h"

/* One source as its file gives it (strings borrowed; NULL when absent). */
typedef struct source {
    const char *id, *title, *author, *publisher, *date, *url, *accessed;
    const char *type;    /* "book" (its title in 『』, as Japanese legal
                            writing cites books), or NULL */
    int line, col;       /* its entry in the sources file */
} source;

/* The house form of a source, in three parts: what stands before its URL
 * (著者「題名」、発行者、日付、), the URL (NULL without one), and what
 * stands after it (（参照 日付）). Dates are written the Japanese way
 * (2024年4月19日); a title with no Japanese in it is quoted “…”, its parts
 * parted by ", " rather than 、. The
 * caller frees the two strings. */
void sources_house_form(const source *s, char **before, char **after);

/* Reads the sources file beside d's manuscript (when there is one) and
 * turns every [@src:id] of the body and the notes into a reference to
 * its source's note, and a [@sources] paragraph into the list of the
 * sources not cited. Run before the notes are numbered. An unknown id,
 * a bad file or a bad date is an error; a source with a URL but no
 * accessed date, or never cited nor listed, a warning (the latter not
 * for one copy's text, `partial`, where a ::: block may hide its
 * citation). False if an error was recorded. */
bool sources_apply(doc *d, bool partial, diag *dg);

#endif
