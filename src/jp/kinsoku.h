/* Line breaking opportunities: JLREQ 3.1.7-3.1.11 (line-start and line-end
 * prohibitions, unbreakable and inseparable sequences). Pure: libc only. */
#ifndef KM_JP_KINSOKU_H
#define KM_JP_KINSOKU_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jp/cell.h"
#include "style/style.h"

/* May a line end between cells a and b? */
bool jp_can_break(const jp_cell *a, const jp_cell *b, kinsoku_level level);
/* May a line end between cells j-1 and j of c[0..n)? As jp_can_break,
 * and a break before a word space also asks whether what follows the
 * spaces may start a line (UAX #14 LB13: "word ]]" or "file .gz" never
 * leaves "]]" or ".gz" at a line start). 0 < j < n. */
bool jp_can_break_at(const jp_cell *c, size_t n, size_t j, kinsoku_level level);
/* Is c a sign that belongs to the numeral after it (− ± + and their
 * full-width forms before a digit)? Nothing parts them: no space, no
 * break. */
bool jp_is_sign_before(const jp_cell *c, const jp_cell *next);
/* May a URL break between its characters a and b (next: the one after b,
 * 0 at its end)? Chicago 14.18: after a / (not inside "//"), before
 * . ? # & = - _ ~ (not inside a run of them), between two wide
 * characters; never inside a number ("v4.2"). The print breaks there
 * (and, where none of these gives a good line, anywhere: linebreak.c);
 * the EPUB marks them with <wbr/>. */
bool jp_url_break(uint32_t a, uint32_t b, uint32_t next);
/* May cell c start a line (ignoring what precedes it)? */
bool jp_line_start_ok(const jp_cell *c, kinsoku_level level);
/* May cell c end a line (ignoring what follows it)? */
bool jp_line_end_ok(const jp_cell *c);

#endif
