/* JLREQ character classes (Appendix A), for full-width and ASCII forms.
 * Pure: libc only. */
#ifndef KM_JP_CLASS_H
#define KM_JP_CLASS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum jp_class {
    JP_CL_NONE = 0,
    JP_CL_01 = 1,  /* opening brackets */
    JP_CL_02,      /* closing brackets */
    JP_CL_03,      /* hyphens */
    JP_CL_04,      /* dividing punctuation ！？ */
    JP_CL_05,      /* middle dots ・：； */
    JP_CL_06,      /* full stops 。． */
    JP_CL_07,      /* commas 、， */
    JP_CL_08,      /* inseparable characters — … ‥ */
    JP_CL_09,      /* iteration marks 々 ゝ */
    JP_CL_10,      /* prolonged sound mark ー */
    JP_CL_11,      /* small kana */
    JP_CL_12,      /* prefixed abbreviations ¥ $ */
    JP_CL_13,      /* postfixed abbreviations % ℃ */
    JP_CL_14,      /* ideographic space */
    JP_CL_15,      /* hiragana */
    JP_CL_16,      /* katakana */
    JP_CL_17,      /* math symbols */
    JP_CL_18,      /* math operators */
    JP_CL_19,      /* ideographic characters (and other full-width) */
    JP_CL_20,      /* reference marks (note numbers) */
    JP_CL_24 = 24, /* grouped numerals: ASCII digits */
    JP_CL_25,      /* unit symbols */
    JP_CL_26,      /* western word space */
    JP_CL_27,      /* western characters */
} jp_class;

/* The class of one code point (JLREQ Appendix A). Characters the table does
 * not name are cl-19 when East Asian wide, cl-27 otherwise. */
jp_class jp_class_of(uint32_t cp);
/* "cl-01" ... "cl-27", or "none". */
const char *jp_class_name(jp_class c);

/* Japanese body characters: kana, ideographs and full-width forms (the
 * classes between which the ¼-em Japanese-Western space goes). */
bool jp_is_japanese(jp_class c);
/* Western characters and numerals: cl-24, cl-25, cl-27. */
bool jp_is_western(jp_class c);
/* East Asian wide (or full-width) code points. */
bool jp_is_wide(uint32_t cp);
/* Punctuation set on a half-width body (brackets, 、。, middle dots). */
bool jp_half_body(jp_class c);

/* Vertical text (text-orientation: mixed, after UAX #50): true for what
 * stands upright in a vertical line (kana, ideographs, full-width forms,
 * CJK punctuation, which the font's vert feature turns where it must,
 * and symbols such as ※ ○ № ①); false for what is turned 90 degrees
 * clockwise with the line (Latin, Greek, Cyrillic, half-width digits and
 * punctuation). */
bool jp_upright(uint32_t cp);
/* Tate-chu-yoko (縦中横): if a run of half-width digits no longer than
 * `limit` starts at s[i], and is all of its Latin token (no letter, sign
 * or other digit on either side without a space: "Claude 4-Sonnet" stays
 * turned whole; nor a word of a Latin phrase: "Windows 11 Pro"), with a
 * '%' after it if there is one, returns where it
 * ends ("7月", "30カ国", "40%の"; not "2025年", "3.5", "4-Sonnet");
 * otherwise returns i. The EPUB and the PDF set upright exactly the runs
 * this finds. */
size_t jp_tcy_end(const char *s, size_t n, size_t i, int limit);

/* Short capitals set upright in vertical text (composition.
 * upright-capitals, JLREQ 3.2.4: an abbreviation such as AI or EU stands
 * upright, a letter an em): if a run of two to `limit` ASCII capital
 * letters starts at s[i] and is all of its Latin token ("AI", "EUの";
 * not "WAIC2025", "AIoT", "Claude"), and not a word of a Latin phrase
 * (the AI of "Stability AI Ltd."), returns where it ends; otherwise i.
 * Both editions set upright exactly the runs this finds. */
size_t jp_caps_end(const char *s, size_t n, size_t i, int limit);

#endif
