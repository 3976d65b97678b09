#include "jp/kinsoku.h"

#include <string.h>

/* ASCII punctuation lives in Latin runs as cl-27, but where it meets
 * Japanese text it keeps off the line edges like its full-width form:
 * JLREQ Appendix A lists the ASCII forms in cl-01, cl-02, cl-04 - cl-07
 * (and % in cl-13, which the class table has already). */
static jp_class start_class(const jp_cell *c)
{
    uint32_t ch = c->first;
    if (ch == 0 || ch >= 0x80)
        return c->cls;
    if (strchr(")]}", (int)ch))
        return JP_CL_02;
    if (strchr("!?", (int)ch))
        return JP_CL_04;
    if (strchr(":;", (int)ch))
        return JP_CL_05;
    if (ch == '.')
        return JP_CL_06;
    if (ch == ',')
        return JP_CL_07;
    return c->cls;
}

static bool ascii_no_end(uint32_t c)
{
    return c < 0x80 && c && strchr("([{", (int)c) != NULL;
}

/* JLREQ 3.1.7 and its four conventions (README, "Kinsoku levels"): what
 * may start a line at each level, whatever precedes it. */
bool jp_line_start_ok(const jp_cell *c, kinsoku_level level)
{
    if (c->flags & JP_NOTEREF) /* JLREQ 3.1.10: reference marks stay put */
        return false;
    uint32_t ch = c->first;
    /* a spacing voiced sound mark belongs to the kana before it (UAX #14
     * class NS): a break there would split the letter */
    if (ch == 0x309B || ch == 0x309C || ch == 0xFF9E || ch == 0xFF9F)
        return false;
    switch (start_class(c)) {
    case JP_CL_02: /* closing brackets, full stops, commas: never */
    case JP_CL_06:
    case JP_CL_07:
        return false;
    case JP_CL_04: /* ！？: newspapers only */
        return level >= KINSOKU_VERY_LOOSE;
    case JP_CL_05: /* ・ from loose on; ：； newspapers only */
        return level >= KINSOKU_VERY_LOOSE ||
               (level >= KINSOKU_LOOSE && (ch == 0x30FB || ch == 0xFF65));
    case JP_CL_03: /* hyphens: from loose on */
        return level >= KINSOKU_LOOSE;
    case JP_CL_09: /* 々 from JLREQ's strict (our normal) on; ゝゞヽヾ〻
                      newspapers only */
        return level >= KINSOKU_VERY_LOOSE ||
               (level >= KINSOKU_NORMAL && ch == 0x3005);
    case JP_CL_10: /* ー and small kana: from JLREQ's strict on */
    case JP_CL_11:
        return level >= KINSOKU_NORMAL;
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

/* The marks a URL's continuation line may start with (Chicago 14.18):
 * a line broken before them does not end with a '.' or '-' that reads as
 * the sentence's. */
static bool url_mark(uint32_t c)
{
    return c < 0x80 && c && strchr(".?#&=-_~", (int)c) != NULL;
}

static bool is_digit(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static bool ascii_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_sign(uint32_t c)
{
    return c == 0x2212 || c == 0x00B1 || c == '+' || c == 0x2213 ||
           c == 0xFF0B || c == 0xFF0D;
}

bool jp_is_sign_before(const jp_cell *c, const jp_cell *next)
{
    return is_sign(c->last) && is_digit(next->first) &&
           !(next->flags & JP_NOTEREF);
}

bool jp_url_break(uint32_t a, uint32_t b, uint32_t next)
{
    if (jp_is_wide(a) && jp_is_wide(b))
        return true;
    if (b == '.' && is_digit(a) && is_digit(next))
        return false;
    if (a == '/')
        return b != '/';
    return url_mark(b) && !url_mark(a) && a != '/';
}

bool jp_can_break_at(const jp_cell *c, size_t n, size_t j, kinsoku_level level)
{
    if (!jp_can_break(&c[j - 1], &c[j], level))
        return false;
    /* a URL's "4.2" stays whole: no break before its point */
    if ((c[j - 1].flags & c[j].flags & JP_URL) &&
        !jp_url_break(c[j - 1].last, c[j].first, j + 1 < n ? c[j + 1].first : 0))
        return false;
    if (!(c[j].flags & JP_SPACE) || (c[j - 1].flags & JP_FORCED))
        return true;
    size_t k = j;
    while (k < n && (c[k].flags & JP_SPACE))
        k++;
    if (k == n)
        return true;
    /* "12 %", "$ 5": a space does not part a numeral from its unit */
    if (level < KINSOKU_VERY_LOOSE &&
        ((is_digit(c[j - 1].last) && c[k].cls == JP_CL_13) ||
         (c[j - 1].cls_last == JP_CL_12 && is_digit(c[k].first))))
        return false;
    return jp_line_start_ok(&c[k], level);
}

bool jp_can_break(const jp_cell *a, const jp_cell *b, kinsoku_level level)
{
    if (a->flags & JP_FORCED)
        return true;
    if (jp_is_sign_before(a, b)) /* −3, ±0.5: the sign is the number's */
        return false;
    if (b->flags & JP_GLUED) /* inside a phrase of a title or heading */
        return false;
    if (!jp_line_end_ok(a) || !jp_line_start_ok(b, level))
        return false;
    /* a hyphenation point inside a Latin word (text/hyphen.c) */
    if (a->hyphen > 0)
        return true;
    /* a run kept on one line (a patent or case number: EP 1 234 567 B1)
     * keeps its spaces too; code breaks at its spaces, below */
    if ((a->flags & b->flags & JP_NOBREAK) && !((a->flags | b->flags) & JP_CODE))
        return false;
    /* a word space goes to the start of the next line, where it vanishes */
    if (a->flags & JP_SPACE)
        return false;
    if (b->flags & JP_SPACE)
        return true;
    if ((a->flags & b->flags & JP_NOBREAK))
        return false;
    /* JLREQ 3.1.10: no break inside ―― …… ‥‥ (same kind, cl-08), nor
     * between numerals and their prefixed (cl-12) and postfixed (cl-13)
     * units; newspapers (very loose) allow both */
    if (level < KINSOKU_VERY_LOOSE) {
        if (a->cls_last == JP_CL_08 && b->cls == JP_CL_08 && a->last == b->first)
            return false;
        if (a->cls_last == JP_CL_12 && is_digit(b->first))
            return false;
        if (is_digit(a->last) && b->cls == JP_CL_13)
            return false;
    }
    if (is_digit(a->last) && is_digit(b->first))
        return false;
    /* inside a URL: where jp_url_break says (the number rule needs the
     * cell after: jp_can_break_at); where none of those gives a good
     * line, the breaker may break between any two (linebreak.c,
     * BREAK_EMERGENCY) */
    if (a->flags & b->flags & JP_URL)
        return jp_url_break(a->last, b->first, 0);
    /* a Latin compound breaks after its own hyphen: Wi-|Fi, DeepSeek-|R1 */
    if ((a->last == '-' || a->last == 0x2010) && !(a->flags & JP_URL) &&
        !(b->flags & JP_URL) && ascii_letter(b->first) && a->first == a->last)
        return true;
    /* Latin words break at spaces only */
    if (western_letter(a, true) && western_letter(b, false))
        return false;
    return true;
}
