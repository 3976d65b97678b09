/* Emphasis beside Japanese punctuation, as Japanese writers type it.
 *
 * CommonMark decides whether a run of '*' may open or close emphasis by
 * what stands on either side (its "flanking" rules), and a punctuation
 * mark on the inner side counts against it unless the outer side is a
 * space or punctuation too. English puts a space there; Japanese does
 * not, so 「**「重要」**は」 and 「。*発送日と受領日を混同しないこと。*期間」
 * print their asterisks (the case markdown-cjk-friendly describes).
 *
 * The same holds for a strike's ~~ (~~削除する。~~乙とする).
 *
 * Before cmark reads the body, emph_mark puts an invisible mark (the
 * noncharacter U+FDD0, neither space nor punctuation to cmark) between
 * such a run and the Japanese punctuation mark inside it (a closing mark
 * before a run that may close, 。」）; an opening one after a run that may
 * open, 「（), when the other side is not a space: the run then flanks as
 * it would beside a letter. A run after an opening bracket (「（*1）」) or
 * a single one before a digit (「注：*1 売上高」: a note's mark) is left
 * alone (「」**6198社」 is not), and so
 * are the runs of a kind a paragraph has an odd number of: one of them is
 * an asterisk as written.
 * The marks are taken out of every literal before the tree is read
 * (emph_strip), and cmark's columns are mapped back to the body as
 * written (emph_col). Pure: no I/O. */
#ifndef KM_EMPHASIS_H
#define KM_EMPHASIS_H
#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

#define EMPH_MARK "\xef\xb7\x90" /* U+FDD0 */
#define EMPH_MARK_LEN 3

/* Where marks went: line (1-based, of the body) and the byte column of
 * the body as written (1-based) before which each was put, in order. */
typedef struct emph_marks {
    struct emph_at {
        int line, col;
    } *v;
    size_t n, cap;
} emph_marks;

/* s[0..n) with the marks put in, into *out (cleared first). */
void emph_mark(const char *s, size_t n, buf *out, emph_marks *m);

/* cmark's column on `line` of the marked body, as a column of the body
 * as written. */
int emph_col(const emph_marks *m, int line, int col);

/* A copy of s without the marks (NULL: s has none). */
char *emph_strip(const char *s);

void emph_marks_free(emph_marks *m);

#endif
