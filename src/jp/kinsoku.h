/* Line breaking opportunities: JLREQ 3.1.7-3.1.11 (line-start and line-end
 * prohibitions, unbreakable and inseparable sequences). Pure: libc only. */
#ifndef KM_JP_KINSOKU_H
#define KM_JP_KINSOKU_H
#include <stdbool.h>

#include "jp/cell.h"
#include "style/style.h"

/* May a line end between cells a and b? */
bool jp_can_break(const jp_cell *a, const jp_cell *b, kinsoku_level level);
/* May cell c start a line (ignoring what precedes it)? */
bool jp_line_start_ok(const jp_cell *c, kinsoku_level level);
/* May cell c end a line (ignoring what follows it)? */
bool jp_line_end_ok(const jp_cell *c);

#endif
