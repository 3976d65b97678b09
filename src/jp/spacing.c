#include "jp/spacing.h"

#include <string.h>

/* The class whose spacing a cell uses on its left (first) or right (last)
 * side. A note reference mark is transparent on its right: the space that
 * the character before it asks for goes after the mark. The ideographic
 * space (cl-14) is not among them: it is the gap itself ("2.1　試料"). */
static bool is_jp(const jp_cell *c, bool right)
{
    jp_class k = right ? c->cls_last : c->cls;
    /* nor is the full-width vertical line, a separator centred in its em
     * ("社外秘｜No. 3"): a space on one side only would set it off centre */
    return jp_is_japanese(k) && (right ? c->last : c->first) != 0xFF5C;
}

static bool is_west(const jp_cell *c, bool right)
{
    jp_class k = right ? c->cls_last : c->cls;
    uint32_t cp = right ? c->last : c->first;
    return jp_is_western(k) && !jp_is_wide(cp);
}

/* Space a character wants after itself, in em (JLREQ Appendix B). */
static double aki_after(jp_class k)
{
    switch (k) {
    case JP_CL_02: case JP_CL_06: case JP_CL_07: return 0.5;
    case JP_CL_05: return 0.25;
    default: return 0;
    }
}

static double aki_before(jp_class k)
{
    switch (k) {
    case JP_CL_01: return 0.5;
    case JP_CL_05: return 0.25;
    default: return 0;
    }
}

static void glue_between(const jp_cell *a, const jp_cell *b, jp_glue *g);

void jp_glue_between(const jp_cell *a, const jp_cell *b, jp_glue *g)
{
    glue_between(a, b, g);
    /* a solid run (a paragraph's number, upright capitals) is set as one
     * word: its own gaps are never spread, the line's others take the
     * adjustment */
    if (a->flags & b->flags & JP_SOLID)
        memset(g->stretch, 0, sizeof g->stretch);
}

static void glue_between(const jp_cell *a, const jp_cell *b, jp_glue *g)
{
    memset(g, 0, sizeof *g);
    double em = a->em > b->em ? a->em : b->em;
    if (b->flags & JP_NOTEREF) /* JLREQ 3.1.10: a reference mark is solid */
        return;
    if (a->flags & JP_INDENT)  /* 3.1.5: 1 em indent, then 「 tentsuki */
        return;
    /* a URL is set exactly as written: no space is added inside it, not
     * even between its Japanese and Latin characters */
    if (a->flags & b->flags & JP_URL)
        return;
    /* so is code ("機械学習|ML" copies as it was typed): its spaces are
     * cells of their own width (text/shape.c), neither stretched nor
     * shrunk */
    if (a->flags & b->flags & JP_CODE)
        return;
    if (b->flags & JP_SPACE) { /* JLREQ 3.2.? cl-26 word space: 1/3 em */
        g->width = em / 3;
        g->shrink[JP_SHRINK_WORDSPACE] = em / 3 - em / 4;
        g->stretch[JP_STRETCH_WORDSPACE] = em / 2 - em / 3;
        /* JIS X 4051 Table 6 (4): past every limit, word spaces widen
         * with the other separable gaps rather than leave a line short */
        g->stretch[JP_STRETCH_FILL] = 1;
        return;
    }
    if (a->flags & JP_SPACE)
        return;
    jp_class ka = a->cls_last, kb = b->cls;
    /* Appendix B: solid after an opening bracket and before closing
     * brackets, full stops and commas (」、 。」 「「 ...) */
    if (ka == JP_CL_01 || kb == JP_CL_02 || kb == JP_CL_06 || kb == JP_CL_07) {
        if (ka == JP_CL_05 || kb == JP_CL_05)
            g->width = 0.25 * em;
        return;
    }
    /* 」・ and ・「: the middle dot's quarter wins (Table 1) */
    if (ka == JP_CL_05 || kb == JP_CL_05) {
        g->width = 0.25 * em;
        g->shrink[JP_SHRINK_MIDDOT] = 0.25 * em;
        return;
    }
    double aki = aki_after(ka) > aki_before(kb) ? aki_after(ka) : aki_before(kb);
    if (aki > 0) {
        g->width = aki * em;
        /* JLREQ 3.8.3: never reduce the half after a full stop mid-line */
        if (ka != JP_CL_06)
            g->shrink[JP_SHRINK_BRACKET] = aki * em;
        return;
    }
    /* JLREQ 3.2.2 / Appendix B: 1/4 em between Japanese and Western
     * letters or numerals, 1/8 at the least, 1/2 at the most; none just
     * inside Western brackets: "(訳注" and "注)" are solid, as LuaTeX-ja
     * sets ( and ) (alxspmode preonly, postonly) */
    bool inside = (a->last < 0x80 && a->last && strchr("([{", (int)a->last)) ||
                  (b->first < 0x80 && b->first && strchr(")]}", (int)b->first));
    if (!inside && ((is_jp(a, true) && is_west(b, false)) ||
                    (is_west(a, true) && is_jp(b, false)))) {
        g->width = 0.25 * em;
        g->shrink[JP_SHRINK_JW] = 0.125 * em;
        g->stretch[JP_STRETCH_JW] = 0.25 * em;
        g->jw = 1;
        return;
    }
    /* inside a Latin word or numeral, or between reference marks: none */
    if ((is_west(a, true) && is_west(b, false)) ||
        (a->flags & JP_NOTEREF && b->flags & JP_NOTEREF))
        return;
    /* JIS X 4051 Table 6 (3)-(4): separable gaps between Japanese
     * characters, not inside cl-08 pairs nor next to cl-03/04 */
    if (ka == JP_CL_03 || kb == JP_CL_03 || ka == JP_CL_04 || kb == JP_CL_04)
        return;
    if (ka == JP_CL_08 && kb == JP_CL_08)
        return;
    g->stretch[JP_STRETCH_SEPARABLE] = 0.25 * em;
    g->stretch[JP_STRETCH_FILL] = 1;
}

double jp_end_aki(const jp_cell *last)
{
    if (last->flags & (JP_NOTEREF | JP_CODE))
        return 0;
    return aki_after(last->cls_last) * last->em;
}
