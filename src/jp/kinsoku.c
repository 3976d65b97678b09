#include "jp/kinsoku.h"

#include <string.h>

/* ASCII punctuation lives in Latin runs as cl-27, but where it meets
 * Japanese text it must keep off the line edges like its full-width form
 * (JLREQ 3.1.7 lists the ASCII forms under cl-01, cl-02, cl-04 - cl-07). */
static bool ascii_no_start(uint32_t c)
{
    return c < 0x80 && c && strchr(")]},.:;!?%", (int)c) != NULL;
}

static bool ascii_no_end(uint32_t c)
{
    return c < 0x80 && c && strchr("([{", (int)c) != NULL;
}

bool jp_line_start_ok(const jp_cell *c, kinsoku_level level)
{
    if (c->flags & JP_NOTEREF) /* JLREQ 3.1.10: reference marks stay put */
        return false;
    if (ascii_no_start(c->first))
        return false;
    switch (c->cls) {
    case JP_CL_02: /* JLREQ 3.1.7: closing brackets */
    case JP_CL_04: /* dividing punctuation */
    case JP_CL_06: /* full stops */
    case JP_CL_07: /* commas */
        return false;
    case JP_CL_03: /* hyphens, middle dots: allowed only when loose */
    case JP_CL_05:
        return level == KINSOKU_LOOSE;
    case JP_CL_09: /* iteration marks, ー, small kana: strict forbids */
    case JP_CL_10:
    case JP_CL_11:
        return level != KINSOKU_STRICT;
    case JP_CL_13: /* postfixed abbreviations after a numeral: below */
    default:
        return true;
    }
}

bool jp_line_end_ok(const jp_cell *c)
{
    /* JLREQ 3.1.8: opening brackets never end a line */
    return c->cls_last != JP_CL_01 && !ascii_no_end(c->last) &&
           !(c->flags & JP_INDENT);
}

static bool western_letter(const jp_cell *c, bool last)
{
    jp_class k = last ? c->cls_last : c->cls;
    uint32_t cp = last ? c->last : c->first;
    return (jp_is_western(k) && !jp_is_wide(cp)) ||
           (k == JP_CL_02 && cp < 0x80) || (k == JP_CL_01 && cp < 0x80);
}

static bool url_break_after(uint32_t c)
{
    return c < 0x80 && c && strchr("/.-_?&=#", (int)c) != NULL;
}

static bool is_digit(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

bool jp_can_break(const jp_cell *a, const jp_cell *b, kinsoku_level level)
{
    if (a->flags & JP_FORCED)
        return true;
    if (!jp_line_end_ok(a) || !jp_line_start_ok(b, level))
        return false;
    /* a word space goes to the start of the next line, where it vanishes */
    if (a->flags & JP_SPACE)
        return false;
    if (b->flags & JP_SPACE)
        return true;
    if ((a->flags & b->flags & JP_NOBREAK))
        return false;
    /* JLREQ 3.1.10: no break inside ―― …… ‥‥ (same kind, cl-08) */
    if (a->cls_last == JP_CL_08 && b->cls == JP_CL_08 && a->last == b->first)
        return false;
    /* numerals with their prefixed (cl-12) and postfixed (cl-13) units */
    if (a->cls_last == JP_CL_12 && is_digit(b->first))
        return false;
    if (is_digit(a->last) && b->cls == JP_CL_13)
        return false;
    if (is_digit(a->last) && is_digit(b->first))
        return false;
    /* inside a URL a line never starts with / . - _ ? & = # */
    if ((a->flags & b->flags & JP_URL) && url_break_after(b->first))
        return false;
    /* Latin words break at spaces only; URLs after / . - _ ? & = # */
    if (western_letter(a, true) && western_letter(b, false)) {
        if ((a->flags & JP_URL) && (b->flags & JP_URL))
            return url_break_after(a->last) && !url_break_after(b->first);
        return false;
    }
    return true;
}
