#include "jp/class.h"

#include <string.h>

#include <stddef.h>

/* One row per code point or range, sorted, from JLREQ Appendix A.
 * Where JLREQ lists an ASCII form, the FULLWIDTH form (U+FFxx) is listed
 * too: Japanese text uses those. ASCII punctuation stays cl-27 (it lives in
 * Latin runs; kinsoku.c keeps it off line edges). */
static const struct range {
    uint32_t lo, hi;
    jp_class cls;
} table[] = {
    {0x0020, 0x0020, JP_CL_26},
    {0x0023, 0x0023, JP_CL_12}, /* # */
    {0x0024, 0x0024, JP_CL_12}, /* $ */
    {0x0025, 0x0025, JP_CL_13}, /* % */
    {0x0030, 0x0039, JP_CL_24},
    {0x00A2, 0x00A2, JP_CL_13}, /* ¢ */
    {0x00A3, 0x00A3, JP_CL_12}, /* £ */
    {0x00A5, 0x00A5, JP_CL_12}, /* ¥ */
    {0x00AB, 0x00AB, JP_CL_01}, /* « */
    {0x00B0, 0x00B0, JP_CL_13}, /* ° */
    {0x00BB, 0x00BB, JP_CL_02}, /* » */
    {0x2010, 0x2010, JP_CL_03}, /* ‐ */
    {0x2013, 0x2013, JP_CL_03}, /* – */
    {0x2014, 0x2015, JP_CL_08}, /* — ― */
    {0x2018, 0x2018, JP_CL_01}, /* ‘ */
    {0x2019, 0x2019, JP_CL_02}, /* ’ */
    {0x201C, 0x201C, JP_CL_01}, /* “ */
    {0x201D, 0x201D, JP_CL_02}, /* ” */
    {0x2025, 0x2026, JP_CL_08}, /* ‥ … */
    {0x2030, 0x2030, JP_CL_13}, /* ‰ */
    {0x2032, 0x2033, JP_CL_13}, /* ′ ″ */
    {0x203C, 0x203C, JP_CL_04}, /* ‼ */
    {0x2047, 0x2049, JP_CL_04}, /* ⁇ ⁈ ⁉ */
    {0x20AC, 0x20AC, JP_CL_12}, /* € */
    {0x2103, 0x2103, JP_CL_13}, /* ℃ */
    {0x2113, 0x2113, JP_CL_13}, /* ℓ */
    {0x2116, 0x2116, JP_CL_12}, /* № */
    {0x2212, 0x2212, JP_CL_18}, /* − */
    {0x2260, 0x2260, JP_CL_17}, /* ≠ */
    {0x2500, 0x2501, JP_CL_08}, /* ─ ━: the dash an IME offers (事件──均等論) */
    {0x2985, 0x2985, JP_CL_01}, /* ⦅ */
    {0x2986, 0x2986, JP_CL_02}, /* ⦆ */
    {0x3000, 0x3000, JP_CL_14},
    {0x3001, 0x3001, JP_CL_07}, /* 、 */
    {0x3002, 0x3002, JP_CL_06}, /* 。 */
    {0x3005, 0x3005, JP_CL_09}, /* 々 */
    {0x3008, 0x3008, JP_CL_01}, {0x3009, 0x3009, JP_CL_02}, /* 〈〉 */
    {0x300A, 0x300A, JP_CL_01}, {0x300B, 0x300B, JP_CL_02}, /* 《》 */
    {0x300C, 0x300C, JP_CL_01}, {0x300D, 0x300D, JP_CL_02}, /* 「」 */
    {0x300E, 0x300E, JP_CL_01}, {0x300F, 0x300F, JP_CL_02}, /* 『』 */
    {0x3010, 0x3010, JP_CL_01}, {0x3011, 0x3011, JP_CL_02}, /* 【】 */
    {0x3014, 0x3014, JP_CL_01}, {0x3015, 0x3015, JP_CL_02}, /* 〔〕 */
    {0x3016, 0x3016, JP_CL_01}, {0x3017, 0x3017, JP_CL_02}, /* 〖〗 */
    {0x3018, 0x3018, JP_CL_01}, {0x3019, 0x3019, JP_CL_02}, /* 〘〙 */
    {0x301C, 0x301C, JP_CL_03}, /* 〜 */
    {0x301D, 0x301D, JP_CL_01}, /* 〝 */
    {0x301F, 0x301F, JP_CL_02}, /* 〟 */
    {0x3033, 0x3035, JP_CL_08}, /* 〳 〴 〵 */
    {0x303B, 0x303B, JP_CL_09}, /* 〻 */
    {0x3041, 0x3041, JP_CL_11}, {0x3042, 0x3042, JP_CL_15},
    {0x3043, 0x3043, JP_CL_11}, {0x3044, 0x3044, JP_CL_15},
    {0x3045, 0x3045, JP_CL_11}, {0x3046, 0x3046, JP_CL_15},
    {0x3047, 0x3047, JP_CL_11}, {0x3048, 0x3048, JP_CL_15},
    {0x3049, 0x3049, JP_CL_11}, {0x304A, 0x3062, JP_CL_15},
    {0x3063, 0x3063, JP_CL_11}, {0x3064, 0x3082, JP_CL_15},
    {0x3083, 0x3083, JP_CL_11}, {0x3084, 0x3084, JP_CL_15},
    {0x3085, 0x3085, JP_CL_11}, {0x3086, 0x3086, JP_CL_15},
    {0x3087, 0x3087, JP_CL_11}, {0x3088, 0x308D, JP_CL_15},
    {0x308E, 0x308E, JP_CL_11}, {0x308F, 0x3094, JP_CL_15},
    {0x3095, 0x3096, JP_CL_11}, /* ゕ ゖ */
    {0x309B, 0x309C, JP_CL_15},
    {0x309D, 0x309E, JP_CL_09}, /* ゝ ゞ */
    {0x30A0, 0x30A0, JP_CL_03}, /* ゠ */
    {0x30A1, 0x30A1, JP_CL_11}, {0x30A2, 0x30A2, JP_CL_16},
    {0x30A3, 0x30A3, JP_CL_11}, {0x30A4, 0x30A4, JP_CL_16},
    {0x30A5, 0x30A5, JP_CL_11}, {0x30A6, 0x30A6, JP_CL_16},
    {0x30A7, 0x30A7, JP_CL_11}, {0x30A8, 0x30A8, JP_CL_16},
    {0x30A9, 0x30A9, JP_CL_11}, {0x30AA, 0x30C2, JP_CL_16},
    {0x30C3, 0x30C3, JP_CL_11}, {0x30C4, 0x30E2, JP_CL_16},
    {0x30E3, 0x30E3, JP_CL_11}, {0x30E4, 0x30E4, JP_CL_16},
    {0x30E5, 0x30E5, JP_CL_11}, {0x30E6, 0x30E6, JP_CL_16},
    {0x30E7, 0x30E7, JP_CL_11}, {0x30E8, 0x30ED, JP_CL_16},
    {0x30EE, 0x30EE, JP_CL_11}, {0x30EF, 0x30F4, JP_CL_16},
    {0x30F5, 0x30F6, JP_CL_11}, /* ヵ ヶ */
    {0x30F7, 0x30FA, JP_CL_16},
    {0x30FB, 0x30FB, JP_CL_05}, /* ・ */
    {0x30FC, 0x30FC, JP_CL_10}, /* ー */
    {0x30FD, 0x30FE, JP_CL_09}, /* ヽ ヾ */
    {0x31F0, 0x31FF, JP_CL_11}, /* ㇰ-ㇿ */
    /* squared katakana: units (cl-25), and those JLREQ lists as
     * postfixed abbreviations (cl-13: ㌃ ㌍ ㌔ ㌘ ㌢ ㌣ ㌦ ㌧ ㌫ ㌶ ㌻ ㍉ ㍊ ㍍ ㍑ ㍗) */
    {0x3303, 0x3303, JP_CL_13}, {0x3304, 0x330C, JP_CL_25},
    {0x330D, 0x330D, JP_CL_13}, {0x330E, 0x3313, JP_CL_25},
    {0x3314, 0x3314, JP_CL_13}, {0x3315, 0x3317, JP_CL_25},
    {0x3318, 0x3318, JP_CL_13}, {0x3319, 0x3321, JP_CL_25},
    {0x3322, 0x3322, JP_CL_13}, {0x3323, 0x3323, JP_CL_13},
    {0x3324, 0x3325, JP_CL_25}, {0x3326, 0x3326, JP_CL_13},
    {0x3327, 0x3327, JP_CL_13}, {0x3328, 0x332A, JP_CL_25},
    {0x332B, 0x332B, JP_CL_13}, {0x332C, 0x3335, JP_CL_25},
    {0x3336, 0x3336, JP_CL_13}, {0x3337, 0x333A, JP_CL_25},
    {0x333B, 0x333B, JP_CL_13}, {0x333C, 0x3348, JP_CL_25},
    {0x3349, 0x3349, JP_CL_13}, {0x334A, 0x334A, JP_CL_13},
    {0x334B, 0x334C, JP_CL_25}, {0x334D, 0x334D, JP_CL_13},
    {0x334E, 0x3350, JP_CL_25}, {0x3351, 0x3351, JP_CL_13},
    {0x3352, 0x3356, JP_CL_25}, {0x3357, 0x3357, JP_CL_13},
    {0x338E, 0x338F, JP_CL_13}, /* ㎎ ㎏ */
    {0x339C, 0x339E, JP_CL_13}, /* ㎜ ㎝ ㎞ */
    {0x33A1, 0x33A1, JP_CL_13}, /* ㎡ */
    {0x33C4, 0x33C4, JP_CL_13}, /* ㏄ */
    {0x33CB, 0x33CB, JP_CL_13}, /* ㏋ */
    {0xFF01, 0xFF01, JP_CL_04}, /* ！ */
    {0xFF03, 0xFF03, JP_CL_12}, /* ＃ */
    {0xFF04, 0xFF04, JP_CL_12}, /* ＄ */
    {0xFF05, 0xFF05, JP_CL_13}, /* ％ */
    {0xFF08, 0xFF08, JP_CL_01}, {0xFF09, 0xFF09, JP_CL_02}, /* （） */
    {0xFF0B, 0xFF0B, JP_CL_18}, /* ＋ */
    {0xFF0C, 0xFF0C, JP_CL_07}, /* ， */
    {0xFF0D, 0xFF0D, JP_CL_18}, /* － */
    {0xFF0E, 0xFF0E, JP_CL_06}, /* ． */
    {0xFF1A, 0xFF1B, JP_CL_05}, /* ： ； */
    {0xFF1C, 0xFF1E, JP_CL_17}, /* ＜ ＝ ＞ */
    {0xFF1F, 0xFF1F, JP_CL_04}, /* ？ */
    {0xFF3B, 0xFF3B, JP_CL_01}, {0xFF3D, 0xFF3D, JP_CL_02}, /* ［］ */
    {0xFF5B, 0xFF5B, JP_CL_01}, {0xFF5D, 0xFF5D, JP_CL_02}, /* ｛｝ */
    {0xFF5E, 0xFF5E, JP_CL_03}, /* ～ */
    {0xFF5F, 0xFF5F, JP_CL_01}, {0xFF60, 0xFF60, JP_CL_02}, /* ｟｠ */
    /* the half-width forms take their full-width forms' classes */
    {0xFF61, 0xFF61, JP_CL_06}, /* ｡ */
    {0xFF62, 0xFF62, JP_CL_01}, /* ｢ */
    {0xFF63, 0xFF63, JP_CL_02}, /* ｣ */
    {0xFF64, 0xFF64, JP_CL_07}, /* ､ */
    {0xFF65, 0xFF65, JP_CL_05}, /* ･ */
    {0xFF66, 0xFF66, JP_CL_16}, /* ｦ */
    {0xFF67, 0xFF6F, JP_CL_11}, /* ｧ - ｯ, small katakana */
    {0xFF70, 0xFF70, JP_CL_10}, /* ｰ */
    {0xFF71, 0xFF9D, JP_CL_16}, /* ｱ - ﾝ */
    {0xFF9E, 0xFF9F, JP_CL_15}, /* ﾞ ﾟ, as ゛ ゜ */
    {0xFFE0, 0xFFE0, JP_CL_13}, /* ￠ */
    {0xFFE1, 0xFFE1, JP_CL_12}, /* ￡ */
    {0xFFE5, 0xFFE5, JP_CL_12}, /* ￥ */
};

bool jp_is_wide(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
           (c >= 0x3040 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) ||
           (c >= 0x20000 && c <= 0x3FFFD);
}

bool jp_upright(uint32_t c)
{
    if (c < 0x00A7)
        return false;
    if (jp_is_wide(c) || (c >= 0xFF61 && c <= 0xFFDC) || /* half-width kana */
        (c >= 0xFE10 && c <= 0xFE1F) ||                  /* vertical forms */
        (c >= 0x2460 && c <= 0x24FF) ||                  /* ① Ⓐ */
        (c >= 0x25A0 && c <= 0x27BF) ||    /* ■ ○ ★ ☆ and dingbats */
        (c >= 0x2150 && c <= 0x218F) ||    /* fractions, Roman numerals */
        (c >= 0x3200 && c <= 0x33FF) || (c >= 0x1F100 && c <= 0x1F2FF))
        return true;
    switch (c) {
    case 0x00A7: case 0x00A9: case 0x00AE: case 0x00B1: case 0x00BC:
    case 0x00BD: case 0x00BE: case 0x00D7: case 0x00F7: /* § © ® ± ¼ × ÷ */
    case 0x2014: case 0x2015: case 0x2016: /* — ― ‖: vert turns them */
    case 0x2020: case 0x2021: case 0x2025: case 0x2026: /* † ‡ ‥ … */
    case 0x2030: case 0x203B: case 0x203C: case 0x2047: case 0x2048:
    case 0x2049: case 0x2103: case 0x2109: case 0x2116: case 0x2121:
    case 0x2122:                    /* ‰ ※ ‼ ⁇ ⁈ ⁉ ℃ ℉ № ℡ ™ */
        return true;
    default:
        return false;
    }
}

/* A character of a Latin token (printable ASCII but the space): a run of
 * Latin letters, digits and signs with no space keeps one orientation. */
static bool token_char(char c)
{
    return c > ' ' && c < 0x7f;
}

static bool alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
           (c >= 'a' && c <= 'z');
}

/* Is s[i..e) a word of a Latin phrase, a space (or a comma and a space)
 * from a Latin word on either side ("Stability AI Ltd.", "Windows 11
 * Pro", "inter partes review, IPR")? A phrase is set turned as a whole. */
static bool in_phrase(const char *s, size_t n, size_t i, size_t e)
{
    size_t b = i;
    while (b > 0 && s[b - 1] == ' ')
        b--;
    if (b < i && b > 1 && s[b - 1] && strchr(",;:", s[b - 1])) /* "review, IPR" */
        b--;
    if (b < i && b > 0 && alnum(s[b - 1]))
        return true;
    size_t a = e;
    while (a < n && s[a] == ' ')
        a++;
    return a > e && a < n && alnum(s[a]);
}

size_t jp_tcy_end(const char *s, size_t n, size_t i, int limit)
{
    if (limit <= 0 || i >= n || s[i] < '0' || s[i] > '9' ||
        (i > 0 && token_char(s[i - 1])))
        return i;
    size_t e = i;
    while (e < n && s[e] >= '0' && s[e] <= '9')
        e++;
    if (e - i > (size_t)limit)
        return i;
    if (e < n && s[e] == '%') /* a number keeps its percent sign */
        e++;
    /* a count of what follows it ("and 7月") is the Japanese text's, and
     * so is one at the end of the text (the EPUB's runs end there) */
    if ((e < n && token_char(s[e])) ||
        (e < n && (unsigned char)s[e] < 0x80 && in_phrase(s, n, i, e)))
        return i;
    return e;
}

size_t jp_caps_end(const char *s, size_t n, size_t i, int limit)
{
    if (limit < 2 || i >= n || s[i] < 'A' || s[i] > 'Z' ||
        (i > 0 && token_char(s[i - 1])))
        return i;
    size_t e = i;
    while (e < n && s[e] >= 'A' && s[e] <= 'Z')
        e++;
    if (e - i < 2 || e - i > (size_t)limit || (e < n && token_char(s[e])) ||
        in_phrase(s, n, i, e))
        return i;
    return e;
}

jp_class jp_class_of(uint32_t cp)
{
    size_t lo = 0, hi = sizeof table / sizeof *table;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < table[mid].lo)
            hi = mid;
        else if (cp > table[mid].hi)
            lo = mid + 1;
        else
            return table[mid].cls;
    }
    return jp_is_wide(cp) ? JP_CL_19 : JP_CL_27;
}

const char *jp_class_name(jp_class c)
{
    static const char *names[] = {
        "none", "cl-01", "cl-02", "cl-03", "cl-04", "cl-05", "cl-06",
        "cl-07", "cl-08", "cl-09", "cl-10", "cl-11", "cl-12", "cl-13",
        "cl-14", "cl-15", "cl-16", "cl-17", "cl-18", "cl-19", "cl-20",
        "cl-21", "cl-22", "cl-23", "cl-24", "cl-25", "cl-26", "cl-27",
    };
    return (unsigned)c < sizeof names / sizeof *names ? names[c] : "?";
}

bool jp_is_japanese(jp_class c)
{
    return (c >= JP_CL_08 && c <= JP_CL_11) || c == JP_CL_15 ||
           c == JP_CL_16 || c == JP_CL_19 || c == JP_CL_17 || c == JP_CL_18;
}

bool jp_is_western(jp_class c)
{
    return c == JP_CL_24 || c == JP_CL_25 || c == JP_CL_27 ||
           c == JP_CL_12 || c == JP_CL_13;
}

bool jp_half_body(jp_class c)
{
    return c == JP_CL_01 || c == JP_CL_02 || c == JP_CL_05 ||
           c == JP_CL_06 || c == JP_CL_07;
}
