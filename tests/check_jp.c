/* The pure Japanese composition module, rule by rule (jp/). Each case
 * cites the JLREQ section it checks. Cells are built from strings with
 * every character 1 em wide (half-width punctuation 1/2 em), as the
 * shaper hands them over, so these tests need no fonts. */
#include <check.h>
#include <math.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "jp/kinsoku.h"
#include "jp/linebreak.h"
#include "jp/spacing.h"
#include "util/utf8.h"

enum { EM = 10 };

/* "abc" -> cells; '^' before a digit run marks a note reference; ' ' is a
 * word space; "http" starts a URL run up to the next space or non-ASCII
 * character (as parse/url.c ends a bare URL). */
static size_t cells_of(const char *s, jp_cell *out, size_t max)
{
    size_t n = 0, len = strlen(s);
    bool ref = false, url = false;
    for (size_t i = 0; i < len && n < max;) {
        if (s[i] == '^') {
            ref = true;
            i++;
            continue;
        }
        if (strncmp(s + i, "http", 4) == 0)
            url = true;
        uint32_t cp;
        int k = utf8_decode(s + i, len - i, &cp);
        i += (size_t)(k > 0 ? k : 1);
        jp_cell *c = &out[n++];
        *c = (jp_cell){.cls = jp_class_of(cp), .cls_last = jp_class_of(cp),
                       .first = cp, .last = cp, .em = EM};
        c->advance = jp_is_wide(cp) ? (jp_half_body(c->cls) ? EM / 2.0 : EM)
                                    : EM / 2.0;
        if (cp == ' ') {
            c->flags |= JP_SPACE;
            c->advance = 0;
            url = false;
        }
        if (cp >= 0x80)
            url = false;
        if (url)
            c->flags |= JP_URL;
        if (ref && cp >= '0' && cp <= '9') {
            c->flags |= JP_NOTEREF;
            c->cls = JP_CL_20;
            c->cls_last = n > 1 ? out[n - 2].cls_last : JP_CL_19;
            c->advance = 3;
        } else {
            ref = false;
        }
    }
    return n;
}

/* ---- JLREQ Appendix A: classes ------------------------------------- */
static const struct { const char *ch; jp_class cls; } classes[] = {
    {"「", JP_CL_01}, {"（", JP_CL_01}, {"『", JP_CL_01}, {"【", JP_CL_01},
    {"」", JP_CL_02}, {"）", JP_CL_02}, {"』", JP_CL_02}, {"】", JP_CL_02},
    {"‐", JP_CL_03}, {"〜", JP_CL_03}, {"゠", JP_CL_03},
    {"！", JP_CL_04}, {"？", JP_CL_04}, {"‼", JP_CL_04},
    {"・", JP_CL_05}, {"：", JP_CL_05}, {"；", JP_CL_05},
    {"。", JP_CL_06}, {"．", JP_CL_06}, {"、", JP_CL_07}, {"，", JP_CL_07},
    {"…", JP_CL_08}, {"‥", JP_CL_08}, {"―", JP_CL_08}, {"─", JP_CL_08},
    {"々", JP_CL_09}, {"ゝ", JP_CL_09}, {"ヽ", JP_CL_09}, {"ー", JP_CL_10},
    {"っ", JP_CL_11}, {"ゃ", JP_CL_11}, {"ッ", JP_CL_11}, {"ㇰ", JP_CL_11},
    {"ヵ", JP_CL_11}, {"¥", JP_CL_12}, {"$", JP_CL_12}, {"%", JP_CL_13},
    {"℃", JP_CL_13}, {"％", JP_CL_13}, {"\xe3\x80\x80", JP_CL_14},
    {"あ", JP_CL_15}, {"ん", JP_CL_15}, {"ア", JP_CL_16}, {"ン", JP_CL_16},
    {"漢", JP_CL_19}, {"字", JP_CL_19}, {"Ａ", JP_CL_19},
    {"0", JP_CL_24}, {"9", JP_CL_24}, {" ", JP_CL_26}, {"A", JP_CL_27},
    {"z", JP_CL_27}, {"-", JP_CL_27}, {"é", JP_CL_27},
};

START_TEST(test_class)
{
    uint32_t cp;
    utf8_decode(classes[_i].ch, strlen(classes[_i].ch), &cp);
    ck_assert_msg(jp_class_of(cp) == classes[_i].cls, "%s: got %s want %s",
                  classes[_i].ch, jp_class_name(jp_class_of(cp)),
                  jp_class_name(classes[_i].cls));
}
END_TEST

/* ---- JLREQ 3.1.7-3.1.10: break opportunities ------------------------ */
/* "|" marks where a break is allowed, at the strict level */
static const struct { const char *marked; const char *why; } breaks[] = {
    {"あ|い|う", "3.1.7: between kana"},
    {"あ」|い", "3.1.7: cl-02 never starts a line"},
    {"あ|「い", "3.1.8: cl-01 never ends a line"},
    {"い、|う。|え", "3.1.7: cl-06, cl-07 never start a line"},
    {"は？|い", "3.1.7: cl-04"},
    {"あ・い", "3.1.7: cl-05 (and no break after it before kana? no: after)"},
    {"く々|に", "strict: cl-09 iteration marks never start a line"},
    {"パー|ティー", "strict: cl-10 ー never starts a line"},
    {"き|ゃ", NULL}, /* placeholder replaced below */
    {"…………", "3.1.10: no break inside ……"},
    {"――", "3.1.10: no break inside ――"},
    {"件|──|均", "3.1.10: nor inside the IME's ──"},
    {"|AI|が", "3.2: a break between Japanese and Latin"},
    {"Hello| world|", "cl-27: Latin words break at spaces only"},
    {"¥12,000|円", "3.1.10: cl-12 with its numeral, numerals with , ."},
    {"3.5%|が", "3.1.10: numerals with . and cl-13"},
    {"40℃|の", "3.1.10: numeral + cl-13"},
    {"た。^12|次", "3.1.10: a note reference never starts a line"},
    {"日|本,|語", "ASCII , never starts a line"},
    {"語|(A)", "ASCII ( never ends a line"},
    {"see| word ]]", "UAX #14 LB13: ] never starts a line, even after a space"},
    {"see| file .gz", "LB13: nor . after a space"},
    {"気|温|は|−3%|で", "a sign never parts from its numeral"},
    {"誤|差|±0.5|の", "± never parts from its numeral"},
    {"率|は| 12 %|で", "a space does not part a numeral from its unit"},
    {"価|格| $ 5| で", "nor a cl-12 unit from its numeral"},
};

static bool allowed_at(const char *marked, size_t cell, bool *defined)
{
    /* walk the marked string: a '|' before cell k means allowed at k */
    size_t k = 0, len = strlen(marked);
    bool pending = false;
    *defined = true;
    for (size_t i = 0; i < len;) {
        if (marked[i] == '|') {
            pending = true;
            i++;
            continue;
        }
        if (marked[i] == '^') {
            i++;
            continue;
        }
        uint32_t cp;
        int n = utf8_decode(marked + i, len - i, &cp);
        i += (size_t)(n > 0 ? n : 1);
        if (k == cell)
            return pending;
        pending = false;
        k++;
    }
    return pending;
}

START_TEST(test_breaks)
{
    const char *m = breaks[_i].marked;
    if (!breaks[_i].why)
        m = "きゃ"; /* strict: cl-11 small kana never start a line */
    char plain[256];
    size_t p = 0;
    for (const char *s = m; *s && p + 1 < sizeof plain; s++)
        if (*s != '|')
            plain[p++] = *s;
    plain[p] = '\0';
    jp_cell c[128];
    size_t n = cells_of(plain, c, 128);
    for (size_t k = 1; k < n; k++) {
        bool def;
        bool want = allowed_at(m, k, &def);
        /* the marking of 3.1.7 "あ・い" case: allowed after ・ */
        if (strcmp(m, "あ・い") == 0)
            want = k == 2;
        bool got = jp_can_break_at(c, n, k, KINSOKU_STRICT);
        ck_assert_msg(got == want, "%s at %zu: got %d want %d (%s)", m, k, got,
                      want, breaks[_i].why ? breaks[_i].why : "cl-11");
    }
}
END_TEST

/* ---- JLREQ Appendix A and the four kinsoku levels ---------------- */
/* Every member of cl-02 ... cl-11 and cl-13 (JLREQ Appendix A, 2020), with
 * its half-width and ASCII forms: may a line start with it after an
 * ideograph, at strict, normal, loose and very-loose? Written from JLREQ
 * 3.1.7 and the levels as the README maps them (strict = JLREQ's very
 * strict; normal = JLREQ's strict: 々, ー and small kana may start a
 * line; loose adds hyphens and ・; very loose, newspapers, adds ！？,
 * every cl-05 and every cl-09), not from the program's output. `cls` is
 * the class the table gives (ASCII punctuation: cl-27, as it lives in
 * Latin runs; kinsoku reads it as its full-width form). */
static const struct {
    const char *chars;
    jp_class cls;
    bool at[4]; /* strict, normal, loose, very loose */
    const char *why;
} starts[] = {
    {"’”）〕］｝〉》」』】｠⦆〙〗»〟", JP_CL_02, {0, 0, 0, 0},
     "A.2 closing brackets never start a line"},
    {"｣", JP_CL_02, {0, 0, 0, 0}, "half-width ｣ as 」"},
    {")]}", JP_CL_27, {0, 0, 0, 0}, "ASCII ) ] } as cl-02"},
    {"‐〜゠–～", JP_CL_03, {0, 0, 1, 1}, "A.3 hyphens: from loose on"},
    {"！？‼⁇⁈⁉", JP_CL_04, {0, 0, 0, 1}, "A.4 dividing punctuation: newspapers"},
    {"!?", JP_CL_27, {0, 0, 0, 1}, "ASCII ! ? as cl-04"},
    {"・", JP_CL_05, {0, 0, 1, 1}, "A.5 ・: from loose on"},
    {"･", JP_CL_05, {0, 0, 1, 1}, "half-width ･ as ・"},
    {"：；", JP_CL_05, {0, 0, 0, 1}, "A.5 ：；: newspapers"},
    {":;", JP_CL_27, {0, 0, 0, 1}, "ASCII : ; as cl-05"},
    {"。．", JP_CL_06, {0, 0, 0, 0}, "A.6 full stops never start a line"},
    {"｡", JP_CL_06, {0, 0, 0, 0}, "half-width ｡ as 。"},
    {".", JP_CL_27, {0, 0, 0, 0}, "ASCII . as cl-06"},
    {"、，", JP_CL_07, {0, 0, 0, 0}, "A.7 commas never start a line"},
    {"､", JP_CL_07, {0, 0, 0, 0}, "half-width ､ as 、"},
    {",", JP_CL_27, {0, 0, 0, 0}, "ASCII , as cl-07"},
    {"—―…‥〳〴〵", JP_CL_08, {1, 1, 1, 1},
     "A.8 inseparable: only between two of a kind (UAX #14 differs)"},
    {"々", JP_CL_09, {0, 1, 1, 1}, "A.9 々: from JLREQ's strict on"},
    {"〻ゝゞヽヾ", JP_CL_09, {0, 0, 0, 1}, "A.9 other iteration marks: newspapers"},
    {"ー", JP_CL_10, {0, 1, 1, 1}, "A.10 ー: from JLREQ's strict on"},
    {"ｰ", JP_CL_10, {0, 1, 1, 1}, "half-width ｰ as ー"},
    {"ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
     "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ", JP_CL_11, {0, 1, 1, 1},
     "A.11 small kana: from JLREQ's strict on"},
    {"ｧｨｩｪｫｬｭｮｯ", JP_CL_11, {0, 1, 1, 1}, "half-width small kana"},
    {"°′″℃¢￠%％‰㏋ℓ㌃㌍㌔㌘㌢㌣㌦㌧㌫㌶㌻㍉㍊㍍㍑㍗㎎㎏㎜㎝㎞㎡㏄",
     JP_CL_13, {1, 1, 1, 1},
     "A.13 postfixed abbreviations: kept from a numeral only (UAX #14 differs)"},
    {"ｦｱｲｳﾝ", JP_CL_16, {1, 1, 1, 1}, "half-width katakana are katakana"},
    {"ﾞﾟ゛゜", JP_CL_15, {0, 0, 0, 0},
     "a spacing voiced sound mark stays with its kana (UAX #14 NS)"},
};

START_TEST(test_start_levels)
{
    const char *s = starts[_i].chars;
    size_t len = strlen(s);
    int n = 0;
    for (size_t i = 0; i < len; n++) {
        uint32_t cp;
        int k = utf8_decode(s + i, len - i, &cp);
        char pair[16] = "漢";
        memcpy(pair + 3, s + i, (size_t)k);
        pair[3 + k] = '\0';
        i += (size_t)k;
        jp_cell c[2];
        ck_assert_uint_eq(cells_of(pair, c, 2), 2);
        ck_assert_msg(c[1].cls == starts[_i].cls, "%s: class %s, want %s", pair + 3,
                      jp_class_name(c[1].cls), jp_class_name(starts[_i].cls));
        static const kinsoku_level lv[4] = {KINSOKU_STRICT, KINSOKU_NORMAL,
                                            KINSOKU_LOOSE, KINSOKU_VERY_LOOSE};
        for (int l = 0; l < 4; l++)
            ck_assert_msg(jp_can_break(&c[0], &c[1], lv[l]) == starts[_i].at[l],
                          "%s at level %d: got %d (%s)", pair, l, !starts[_i].at[l],
                          starts[_i].why);
    }
    ck_assert_int_gt(n, 0);
}
END_TEST

/* What never ends a line (A.1 and its forms), and what stays with a
 * numeral below very loose (3.1.10: cl-12 before it, cl-13 after it;
 * same-kind cl-08). "|" is the break asked about. */
static const struct { const char *pair; bool at[4]; const char *why; } binds[] = {
    {"‘|漢", {0, 0, 0, 0}, "A.1 opening brackets never end a line"},
    {"“|漢", {0, 0, 0, 0}, "A.1"}, {"（|漢", {0, 0, 0, 0}, "A.1"},
    {"〔|漢", {0, 0, 0, 0}, "A.1"}, {"［|漢", {0, 0, 0, 0}, "A.1"},
    {"｛|漢", {0, 0, 0, 0}, "A.1"}, {"〈|漢", {0, 0, 0, 0}, "A.1"},
    {"《|漢", {0, 0, 0, 0}, "A.1"}, {"「|漢", {0, 0, 0, 0}, "A.1"},
    {"『|漢", {0, 0, 0, 0}, "A.1"}, {"【|漢", {0, 0, 0, 0}, "A.1"},
    {"｟|漢", {0, 0, 0, 0}, "A.1"}, {"⦅|漢", {0, 0, 0, 0}, "A.1"},
    {"〘|漢", {0, 0, 0, 0}, "A.1"}, {"〖|漢", {0, 0, 0, 0}, "A.1"},
    {"«|漢", {0, 0, 0, 0}, "A.1"}, {"〝|漢", {0, 0, 0, 0}, "A.1"},
    {"｢|漢", {0, 0, 0, 0}, "half-width ｢ as 「"},
    {"(|漢", {0, 0, 0, 0}, "ASCII ( as cl-01"},
    {"3|％", {0, 0, 0, 1}, "3.1.10 numeral + cl-13"},
    {"3|㌫", {0, 0, 0, 1}, "3.1.10 numeral + cl-13 (squared)"},
    {"￥|3", {0, 0, 0, 1}, "3.1.10 cl-12 + numeral"},
    {"＃|3", {0, 0, 0, 1}, "3.1.10 cl-12 + numeral"},
    /* half-width signs with a numeral are one Western word (cl-27): never
     * broken inside, at any level */
    {"3|%", {0, 0, 0, 0}, "a Western word"},
    {"¥|3", {0, 0, 0, 0}, "a Western word"},
    {"#|3", {0, 0, 0, 0}, "a Western word"},
    {"…|…", {0, 0, 0, 1}, "3.1.10 same-kind cl-08"},
    {"―|―", {0, 0, 0, 1}, "3.1.10 same-kind cl-08"},
    {"1|2", {0, 0, 0, 0}, "3.1.10 grouped numerals never"},
};

START_TEST(test_bind_levels)
{
    char plain[32];
    const char *bar = strchr(binds[_i].pair, '|');
    size_t a = (size_t)(bar - binds[_i].pair);
    memcpy(plain, binds[_i].pair, a);
    strcpy(plain + a, bar + 1);
    jp_cell c[2];
    ck_assert_uint_eq(cells_of(plain, c, 2), 2);
    static const kinsoku_level lv[4] = {KINSOKU_STRICT, KINSOKU_NORMAL,
                                        KINSOKU_LOOSE, KINSOKU_VERY_LOOSE};
    for (int l = 0; l < 4; l++)
        ck_assert_msg(jp_can_break(&c[0], &c[1], lv[l]) == binds[_i].at[l],
                      "%s at level %d (%s)", binds[_i].pair, l, binds[_i].why);
}
END_TEST

START_TEST(test_levels)
{
    jp_cell c[4];
    cells_of("く々", c, 4);
    ck_assert(!jp_can_break(&c[0], &c[1], KINSOKU_STRICT));
    ck_assert(jp_can_break(&c[0], &c[1], KINSOKU_NORMAL));
    cells_of("あ・", c, 4);
    ck_assert(!jp_can_break(&c[0], &c[1], KINSOKU_NORMAL));
    ck_assert(jp_can_break(&c[0], &c[1], KINSOKU_LOOSE));
}
END_TEST

/* ---- JLREQ Appendix B: spacing ------------------------------------- */
static const struct { const char *pair; double em; const char *why; } akis[] = {
    {"あ「", 0.5, "before cl-01: 1/2"},
    {"」あ", 0.5, "after cl-02: 1/2"},
    {"、あ", 0.5, "after cl-07: 1/2"},
    {"。あ", 0.5, "after cl-06 mid-line: 1/2"},
    {"」、", 0, "」、: solid"},
    {"、」", 0, "、」: solid"},
    {"」「", 0.5, "」「: 1/2 between"},
    {"「「", 0, "「「: solid"},
    {"」」", 0, "」」: solid"},
    {"あ・", 0.25, "before cl-05: 1/4"},
    {"・あ", 0.25, "after cl-05: 1/4"},
    {"」・", 0.25, "」・: 1/4"},
    {"あA", 0.25, "Japanese-Western: 1/4"},
    {"1あ", 0.25, "numeral-Japanese: 1/4"},
    {"AB", 0, "inside a Latin word: none"},
    {"「A", 0, "after 「: solid"},
    {"A」", 0, "before 」: solid"},
    {"」A", 0.5, "after 」: 1/2"},
    {"あい", 0, "between kana: none"},
    {"1\xe3\x80\x80", 0, "numeral-ideographic space (2.1　試料): none, "
                          "the space is the gap"},
    {"\xe3\x80\x80" "A", 0, "ideographic space-Western: none"},
    {"\xef\xbd\x9c" "N", 0, "full-width vertical line-Western (a marking's "
                             "｜No. 3): none, as on its other side"},
    {"1\xef\xbd\x9c", 0, "numeral-full-width vertical line: none"},
};

START_TEST(test_spacing)
{
    jp_cell c[4];
    size_t n = cells_of(akis[_i].pair, c, 4);
    ck_assert_uint_eq(n, 2);
    jp_glue g;
    jp_glue_between(&c[0], &c[1], &g);
    ck_assert_msg(fabs(g.width - akis[_i].em * EM) < 1e-9, "%s: %g em (%s)",
                  akis[_i].pair, g.width / EM, akis[_i].why);
}
END_TEST

/* Spacing that depends on more than the pair: the gap at '|', from the
 * paragraph's glue (jp_para_glue). */
static const struct { const char *text; double em; const char *why; } akis_ctx[] = {
    /* half-width brackets around Japanese text are Japanese brackets for
     * spacing, as court documents set case numbers: none outside either */
    {"と|(訳注)", 0, "a half-width bracket around Japanese: none before it"},
    {"(|訳注)", 0, "none just inside ( (LuaTeX-ja alxspmode preonly)"},
    {"(訳注|)", 0, "none just inside ) (postonly)"},
    {"(訳注)|と", 0, "a half-width bracket around Japanese: none after it"},
    {"令和5年|(ネ)第", 0, "令和5年(ネ)第10023号: solid"},
    {"年(ネ)|第10023号", 0, "令和5年(ネ)第10023号: solid"},
    {"と|(Note)", 0.25, "3.2.2: a bracket around Latin text is Western"},
    {"(Note)|と", 0.25, "3.2.2: J-W space after it"},
    {"[|注]", 0, "none just inside ["},
    {"{|注}", 0, "none just inside {"},
    {"気温は|−3%", 0.25, "a sign is spaced as the numeral it belongs to"},
    {"は−|3%", 0, "a sign is solid with its numeral"},
    {"誤差|±0.5", 0.25, "± with its numeral"},
    {"誤差±|0.5", 0, "± solid with its numeral"},
    {"増加は+|12件", 0, "+ solid with its numeral"},
    {"差は|－5", 0.25, "full-width minus with its numeral"},
    {"差は－|5", 0, "full-width minus solid with its numeral"},
    {"は|−と", 0, "a minus before no numeral is no sign: solid"},
};

START_TEST(test_spacing_in_context)
{
    const char *t = akis_ctx[_i].text;
    const char *bar = strchr(t, '|');
    char plain[64];
    size_t at = (size_t)(bar - t);
    memcpy(plain, t, at);
    strcpy(plain + at, bar + 1);
    jp_cell c[32];
    size_t n = cells_of(plain, c, 32);
    size_t k = 0; /* cells before the bar */
    for (size_t i = 0; i < at;) {
        uint32_t cp;
        i += (size_t)utf8_decode(t + i, at - i, &cp);
        k++;
    }
    jp_para p = {.cells = c, .n = n, .measure = 100 * EM,
                 .kinsoku = KINSOKU_STRICT, .justify = true};
    jp_glue *g = jp_para_glue(&p);
    ck_assert_msg(fabs(g[k].width - akis_ctx[_i].em * EM) < 1e-9, "%s: %g em (%s)",
                  t, g[k].width / EM, akis_ctx[_i].why);
    free(g);
}
END_TEST

START_TEST(test_jw_limits)
{
    /* JLREQ 3.8: the Japanese-Western space shrinks to 1/8, stretches to
     * 1/2 em; after 。 the half is never reduced mid-line */
    jp_cell c[4];
    jp_glue g;
    cells_of("あA", c, 4);
    jp_glue_between(&c[0], &c[1], &g);
    ck_assert_double_eq_tol(g.width - g.shrink[JP_SHRINK_JW], EM / 8.0, 1e-9);
    ck_assert_double_eq_tol(g.width + g.stretch[JP_STRETCH_JW], EM / 2.0, 1e-9);
    ck_assert_double_eq(g.stretch[JP_STRETCH_FILL], 0);
    cells_of("。あ", c, 4);
    jp_glue_between(&c[0], &c[1], &g);
    ck_assert_double_eq(g.shrink[JP_SHRINK_BRACKET], 0);
    cells_of("A B", c, 4);
    jp_glue_between(&c[0], &c[1], &g);
    ck_assert_double_eq_tol(g.width, EM / 3.0, 1e-9);
    ck_assert_double_eq_tol(g.width - g.shrink[JP_SHRINK_WORDSPACE], EM / 4.0, 1e-9);
}
END_TEST

/* ---- line breaking and justification, as properties ---------------- */
typedef struct set {
    jp_cell c[30000];
    size_t n;
    jp_line *lines;
    size_t nlines;
    jp_glue *glue;
    jp_para p;
} set;

static set *compose(const char *text, double measure)
{
    set *s = calloc(1, sizeof *s);
    s->n = cells_of(text, s->c, 30000);
    s->p = (jp_para){.cells = s->c, .n = s->n, .measure = measure,
                      .kinsoku = KINSOKU_STRICT, .justify = true};
    s->glue = jp_para_glue(&s->p);
    s->nlines = jp_break_lines(&s->p, s->glue, &s->lines);
    return s;
}

static void set_free(set *s)
{
    free(s->lines);
    free(s->glue);
    free(s);
}

/* Every line but the last fills the measure within 0.01 pt, no line
 * starts or ends with a prohibited character, and every
 * Japanese-Western space is within [1/8, 1/2] em. */
static void assert_properties(set *s, const char *what)
{
    double *x = malloc((s->n + 1) * sizeof *x);
    for (size_t l = 0; l < s->nlines; l++) {
        const jp_line *ln = &s->lines[l];
        double w = jp_justify(&s->p, s->glue, ln, s->p.measure, x);
        if (!ln->last)
            ck_assert_msg(fabs(w - s->p.measure) < 0.01, "%s: line %zu is %.3f "
                          "pt, measure %.1f", what, l, w, s->p.measure);
        const jp_cell *first = &s->c[ln->start];
        if (l > 0 && !(first->flags & JP_SPACE))
            ck_assert_msg(jp_line_start_ok(first, KINSOKU_STRICT),
                          "%s: line %zu starts with U+%04X", what, l, first->first);
        ck_assert_msg(ln->last || jp_line_end_ok(&s->c[ln->end - 1]),
                      "%s: line %zu ends with U+%04X", what, l,
                      s->c[ln->end - 1].last);
        for (size_t i = ln->start + 1; i < ln->end; i++) {
            if (!s->glue[i].jw)
                continue;
            double gap = x[i - ln->start] - x[i - 1 - ln->start] -
                         s->c[i - 1].advance;
            ck_assert_msg(gap >= EM / 8.0 - 1e-6 && gap <= EM / 2.0 + 1e-6,
                          "%s: J-W space %.3f em", what, gap / EM);
        }
    }
    free(x);
}

static const char *sample =
    "2025年7月26日から29日まで上海で開催された「世界人工知能大会（WAIC2025）」は、"
    "中国AI産業の到達点と今後の方向性を鮮明に示す歴史的な転換点となった。^1^2"
    "展示面積7万平方メートルという過去最大規模を記録し、800社以上の企業が参加、"
    "延べ35万人が来場したこのイベントは、もはや単なる技術展示会ではなく、"
    "中国がAI分野で世界をリードする姿勢を明確に打ち出す「戦略的プラット"
    "フォーム」へと進化を遂げている。Hunyuan 3D World Model 1.0の特徴は、"
    "単なる3D画像生成にとどまらず、UnityやUnreal Engineなどの主要なゲーム"
    "エンジンと統合できる点にある。ちょっと待ってください……「ええっ？」と"
    "言った。々々ーーっっ。";

START_TEST(test_sample_measures)
{
    /* the same text at every measure from 12 to 45 em */
    set *s = compose(sample, (12 + _i) * EM);
    ck_assert_uint_gt(s->nlines, 1);
    for (size_t l = 0; l < s->nlines; l++)
        ck_assert(!s->lines[l].emergency);
    assert_properties(s, "sample");
    set_free(s);
}
END_TEST

/* Every prohibited character at every column: a line of kanji with the
 * character put at position k, repeated. */
START_TEST(test_every_column)
{
    static const char *prohibited[] = {"」", "）", "、", "。", "・", "！", "ー",
                                       "っ", "々", "ゃ", "「", "（", "…"};
    const char *ch = prohibited[_i];
    char text[8192] = "";
    for (int k = 0; k < 24; k++) {
        for (int j = 0; j < 24; j++)
            strcat(text, j == k ? ch : "字");
    }
    for (int measure = 10; measure <= 20; measure++) {
        set *s = compose(text, measure * EM);
        assert_properties(s, ch);
        set_free(s);
    }
}
END_TEST

START_TEST(test_pathological)
{
    /* a 20,000-character run with no break opportunity still sets, in
     * lines no longer than the measure */
    static char text[80001];
    memset(text, 'a', 20000);
    text[20000] = '\0';
    set *s = compose(text, 40 * EM);
    ck_assert_uint_ge(s->nlines, 20000 / 80);
    double *x = malloc(20001 * sizeof *x);
    for (size_t l = 0; l < s->nlines; l++) {
        double w = jp_justify(&s->p, s->glue, &s->lines[l], s->p.measure, x);
        ck_assert(w <= s->p.measure + 0.01);
    }
    free(x);
    set_free(s);
    /* 5,000 closing brackets in a row */
    text[0] = '\0';
    for (int i = 0; i < 5000; i++)
        memcpy(text + i * 3, "」", 3);
    text[15000] = '\0';
    s = compose(text, 40 * EM);
    ck_assert_uint_gt(s->nlines, 0);
    set_free(s);
}
END_TEST

/* Chicago 14.18: a URL breaks after a '/' (never inside "//"), or before
 * . ? # & = - _ ~ (the next line starts with the mark), so that no line
 * ends with a '.' or '-' that reads as the sentence's; "4.2" stays whole.
 * At every measure from 10 to 30 em. */
START_TEST(test_url_breaks)
{
    const char *text = "参照：https://example.com/a/very/long/path/segment-"
                       "that/goes_on/and/on/v4.2/index.html?x=1&y=2#sec-4.2 を"
                       "見よ。手続の詳細はhttps://ip.example.net/procedures/"
                       "appeal.pdf?rev=3#sec-4.2に掲載されている。";
    for (int em = 10; em <= 30; em++) {
        set *s = compose(text, em * EM);
        for (size_t l = 1; l < s->nlines; l++) {
            size_t j = s->lines[l].start;
            const jp_cell *a = &s->c[j - 1], *b = &s->c[j];
            if (!((a->flags & JP_URL) && (b->flags & JP_URL)))
                continue;
            ck_assert_msg(a->last != '.' && a->last != '-',
                          "%d em: a URL line ends with '%c'", em, (int)a->last);
            ck_assert_msg(!(isdigit((int)a->last) && b->first == '.' &&
                            isdigit((int)s->c[j + 1].first)),
                          "%d em: a URL's number parted", em);
            if (!s->lines[l - 1].emergency)
                ck_assert_msg((a->last == '/' && b->first != '/') ||
                                  strchr(".?#&=-_~", (int)b->first),
                              "%d em: URL broken between '%c' and '%c'", em,
                              (int)a->last, (int)b->first);
        }
        set_free(s);
    }
}
END_TEST

/* A paragraph set a line longer or shorter to spare a page a widow never
 * ends on one character and its punctuation (「た。」, 「た35)。」): that
 * would trade the widow for a worse line. Sentences of kanji and kana with
 * commas and brackets, at every measure from 12 to 30 em, one line fewer
 * and one more. */
START_TEST(test_looseness_no_lone_tail)
{
    const char *text = "中国のテクノロジー大手は、LLM分野のスタートアップへの戦略的"
                       "投資を積極化している。Alibabaは、MiniMaxに6億ドル以上を出資し、"
                       "「新興企業」の育成を進めてきた。";
    size_t offered = 0;
    for (int em = 12; em <= 30; em++) {
        set *s = compose(text, em * EM);
        for (int d = -1; d <= 1; d += 2) {
            if (s->nlines + d < 1)
                continue;
            jp_line *l = NULL;
            double dem = 0;
            size_t got = jp_break_lines_n(&s->p, s->glue, s->nlines + d, &l, &dem);
            if (got) {
                offered++;
                size_t last = l[got - 1].start, chars = 0;
                for (size_t i = last; i < s->n; i++)
                    chars += s->c[i].cls != JP_CL_06 && s->c[i].cls != JP_CL_07 &&
                             s->c[i].cls != JP_CL_02;
                ck_assert_msg(chars > 1, "%d em, %+d: the last line is one character",
                              em, d);
            }
            free(l);
        }
        set_free(s);
    }
    ck_assert_uint_gt(offered, 5);
}
END_TEST

/* The URL break points as characters (what the EPUB marks with <wbr/>):
 * "a|b" where a break is allowed, "ab" where not, the character after b
 * third. */
static const struct {
    const char *at; /* a, b and the one after (or a space: none) */
    bool ok;
} url_points[] = {
    {"/ex", true},  {"//w", false}, {":/ /", false}, {"e.c", true},
    {"4.2", false}, {"v.2", true},  {"4.x", true},   {"..x", false},
    {"/.x", true},  {"a?x", true},  {"a#s", true},   {"a&y", true},
    {"a=1", true},  {"a-b", true},  {"a_b", true},   {"a~b", true},
    {"-_x", false}, {"abc", false}, {"a/b", false},  {"a:b", false},
};

START_TEST(test_url_points)
{
    const char *t = url_points[_i].at;
    uint32_t next = t[2] == ' ' ? 0 : (uint32_t)t[2];
    ck_assert_msg(jp_url_break((uint32_t)t[0], (uint32_t)t[1], next) == url_points[_i].ok,
                  "'%c|%c' then '%c': want %s", t[0], t[1], t[2],
                  url_points[_i].ok ? "a break" : "none");
    /* between two wide characters (a Japanese path): always */
    ck_assert(jp_url_break(0x8CC7, 0x6599, 0));
}
END_TEST

/* ---- hyphenation as the breaker's last resort (cell.hyphen) -------- */
/* Latin words with a hyphenation point after every second letter but the
 * last three (as text/hyphen.c marks them), hyphen 1/3 em wide. */
static set *hyphenated(const char *text, double measure)
{
    set *s = calloc(1, sizeof *s);
    s->n = cells_of(text, s->c, 30000);
    size_t w0 = 0;
    for (size_t i = 0; i <= s->n; i++) {
        if (i < s->n && !(s->c[i].flags & JP_SPACE))
            continue;
        for (size_t k = w0 + 1; k + 3 < i; k += 2)
            s->c[k].hyphen = EM / 3.0;
        w0 = i + 1;
    }
    s->p = (jp_para){.cells = s->c, .n = s->n, .measure = measure,
                      .kinsoku = KINSOKU_STRICT, .justify = true};
    s->glue = jp_para_glue(&s->p);
    s->nlines = jp_break_lines(&s->p, s->glue, &s->lines);
    return s;
}

START_TEST(test_hyphen_last_resort)
{
    /* words that fill a line exactly: no hyphen is ever taken (8 letters
     * of 5 pt and a 10/3 pt space: three words are 126.67 pt) */
    set *s = hyphenated("abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh "
                   "abcdefgh abcdefgh abcdefgh", 3 * 40 + 2 * EM / 3.0);
    ck_assert_uint_eq(s->nlines, 3);
    for (size_t l = 0; l < s->nlines; l++)
        ck_assert_msg(!s->lines[l].hyphen, "line %zu hyphenated though it fits", l);
    set_free(s);
    /* long words at a measure they never fit: hyphens, justified, never
     * three in a row, never on the second-to-last line */
    for (int m = 30; m <= 48; m++) { /* every line can hold a space */
        s = hyphenated("abcdefghijklmnopqrst abcdefghijklmnop abcdefghijklmnopqrstuv "
                       "abcdefghijkl abcdefghijklmnopqrstu abcdefghijklmnopqrstuvw "
                       "abcdefghijklmno abcdefghijklmnopqrs abcdefghijklmnopqrstuvwx",
                       m * EM / 2.0);
        char what[32];
        snprintf(what, sizeof what, "measure %d half-ems", m);
        assert_properties(s, what);
        int run = 0, hyphens = 0;
        for (size_t l = 0; l < s->nlines; l++) {
            const jp_line *ln = &s->lines[l];
            run = ln->hyphen ? run + 1 : 0;
            hyphens += ln->hyphen;
            ck_assert_msg(run <= 2, "%s: a third hyphen in a row at line %zu", what, l);
            ck_assert_msg(!ln->hyphen || s->c[ln->end - 1].hyphen > 0,
                          "%s: hyphen where there is no point", what);
            ck_assert_msg(!ln->hyphen || l + 2 != s->nlines,
                          "%s: hyphen on the second-to-last line", what);
        }
        ck_assert_msg(hyphens > 0, "%s: long words and no hyphen at all", what);
        set_free(s);
    }
}
END_TEST

START_TEST(test_kerning)
{
    /* the font's pair kerning is space between two cells: a line keeps
     * it inside and drops it at its end, so justified lines still fill
     * the measure and the last glyph does not poke past it */
    set *s = calloc(1, sizeof *s);
    s->n = cells_of("アイウエオカキクケコサシスセソタチツテトナニヌネノ"
                    "ハヒフヘホマミムメモヤユヨラリルレロワヲン", s->c, 30000);
    for (size_t i = 0; i < s->n; i++)
        s->c[i].kern = -0.3;
    s->p = (jp_para){.cells = s->c, .n = s->n, .measure = 15 * EM,
                      .kinsoku = KINSOKU_STRICT, .justify = true};
    s->glue = jp_para_glue(&s->p);
    ck_assert_double_eq_tol(s->glue[1].width, -0.3, 1e-9);
    s->nlines = jp_break_lines(&s->p, s->glue, &s->lines);
    ck_assert_uint_ge(s->nlines, 3); /* 46 cells, 15 a line */
    assert_properties(s, "kerned kana");
    double x[64];
    const jp_line *last = &s->lines[s->nlines - 1];
    size_t n = last->end - last->start;
    double w = jp_justify(&s->p, s->glue, last, s->p.measure, x);
    ck_assert_double_eq_tol(w, n * EM - (n - 1) * 0.3, 1e-9);
    set_free(s);
}
END_TEST

START_TEST(test_hanging)
{
    /* burasage: with it on, 、。 may hang past the measure instead */
    set *s = compose("字字字字字字字字字字。字字字字字字字字字字。", 10 * EM);
    s->p.hanging = true;
    free(s->lines);
    s->nlines = jp_break_lines(&s->p, s->glue, &s->lines);
    ck_assert_uint_ge(s->nlines, 2);
    ck_assert(s->lines[0].hang);
    ck_assert_uint_eq(s->lines[0].end, 11);
    set_free(s);
}
END_TEST

/* text-orientation: mixed (UAX #50, as jp_upright states it) */
START_TEST(test_upright)
{
    static const struct { uint32_t cp; bool up; } t[] = {
        {0x3042, true},  /* あ */
        {0x6F22, true},  /* 漢 */
        {0x30FC, true},  /* ー (vert turns it) */
        {0x3001, true},  /* 、 */
        {0x300C, true},  /* 「 */
        {0xFF08, true},  /* （ */
        {0xFF5E, true},  /* ～ */
        {0x2026, true},  /* … */
        {0x2014, true},  /* — */
        {0x203B, true},  /* ※ */
        {0x25CB, true},  /* ○ */
        {0x2460, true},  /* ① */
        {0x00A7, true},  /* § */
        {0xFF71, true},  /* ｱ half-width katakana */
        {'A', false},    {'z', false},   {'7', false}, {'(', false},
        {'.', false},    {0x00E9, false}, /* é */
        {0x03B1, false}, /* α */
        {0x0416, false}, /* Ж */
        {0x2192, false}, /* → */
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        ck_assert_msg(jp_upright(t[i].cp) == t[i].up, "U+%04X", (unsigned)t[i].cp);
}
END_TEST

/* tate-chu-yoko: which digit runs stand upright, limit 2 */
START_TEST(test_tcy)
{
    static const struct { const char *s; size_t at, end; int limit; } t[] = {
        {"7月", 0, 1, 2},        {"30カ国", 0, 2, 2},   {"2025年", 0, 0, 2},
        {"2025年", 1, 1, 2},     {"WAIC2025", 4, 4, 2}, {"A7", 1, 1, 2},
        {"7A", 0, 0, 2},         {"3.5%", 0, 0, 2},     {"3.5%", 2, 2, 2},
        {"1,200人", 0, 0, 2},    {"第1版", 3, 4, 2},    {"12月", 0, 2, 2},
        {"123", 0, 3, 3},        {"7月", 0, 0, 0},      {"月", 0, 0, 2},
        {"", 0, 0, 2},           {"4-Sonnet", 0, 0, 2}, {"Claude 4-S", 7, 7, 2},
        {"40%の", 0, 3, 2},      {"(7)", 1, 1, 2},      {"5G", 0, 0, 2},
        {"は 12 件", 4, 6, 2},
        /* a word of a Latin phrase stays turned with it */
        {"Windows 11 Pro", 8, 8, 2}, {"GPT 4 Turbo", 4, 4, 2},   {"12 Monkeys", 0, 0, 2},
        {"は 12 (", 4, 6, 2},    {"and 7月", 4, 5, 2},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        ck_assert_msg(jp_tcy_end(t[i].s, strlen(t[i].s), t[i].at, t[i].limit) == t[i].end,
                      "%s at %zu", t[i].s, t[i].at);
}
END_TEST

/* upright capitals: which runs of capitals stand upright, limit 3 */
START_TEST(test_caps)
{
    static const struct { const char *s; size_t at, end; int limit; } t[] = {
        {"AIの", 0, 2, 3},       {"EU", 0, 2, 3},       {"LLMが", 0, 3, 3},
        {"WAIC", 0, 0, 3},       {"WAIC", 0, 4, 4},     {"WAIC2025", 0, 0, 5},
        {"AIoT", 0, 0, 3},       {"Claude", 0, 0, 3},   {"A", 0, 0, 3},
        {"中国AI", 6, 8, 3},     {"AI", 0, 0, 0},       {"AI", 0, 0, 1},
        {"xAI", 1, 1, 3},        {"AI-", 0, 0, 3},      {"(AI)", 1, 1, 3},
        {"AI 研究", 0, 2, 3},    {"", 0, 0, 3},
        /* a word of a Latin phrase stays turned with it */
        {"Stability AI Ltd.", 10, 10, 3}, {"EU AI Act", 0, 0, 3},
        {"EU AI Act", 3, 3, 3},  {"生成 AI と", 7, 9, 3}, {"AI (人工知能)", 0, 2, 3},
        {"OpenAI  AI", 8, 8, 3},  {"review, IPR）", 8, 8, 3}, {"は、AI", 6, 8, 3},
        {"US 9,876,543 B2", 0, 0, 3},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        ck_assert_msg(jp_caps_end(t[i].s, strlen(t[i].s), t[i].at, t[i].limit) == t[i].end,
                      "%s at %zu", t[i].s, t[i].at);
}
END_TEST


int main(void)
{
    Suite *su = suite_create("jp");
    TCase *tc = tcase_create("rules");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_class, 0, sizeof classes / sizeof *classes);
    tcase_add_loop_test(tc, test_breaks, 0, sizeof breaks / sizeof *breaks);
    tcase_add_test(tc, test_levels);
    tcase_add_loop_test(tc, test_start_levels, 0, sizeof starts / sizeof *starts);
    tcase_add_loop_test(tc, test_bind_levels, 0, sizeof binds / sizeof *binds);
    tcase_add_loop_test(tc, test_spacing, 0, sizeof akis / sizeof *akis);
    tcase_add_test(tc, test_jw_limits);
    tcase_add_loop_test(tc, test_spacing_in_context, 0,
                        sizeof akis_ctx / sizeof *akis_ctx);
    tcase_add_loop_test(tc, test_sample_measures, 0, 34);
    tcase_add_loop_test(tc, test_every_column, 0, 13);
    tcase_add_test(tc, test_pathological);
    tcase_add_test(tc, test_url_breaks);
    tcase_add_test(tc, test_looseness_no_lone_tail);
    tcase_add_loop_test(tc, test_url_points, 0, sizeof url_points / sizeof *url_points);
    tcase_add_test(tc, test_hanging);
    tcase_add_test(tc, test_kerning);
    tcase_add_test(tc, test_hyphen_last_resort);
    tcase_add_test(tc, test_upright);
    tcase_add_test(tc, test_tcy);
    tcase_add_test(tc, test_caps);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
