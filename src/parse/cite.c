/* Patent and case numbers in running text (see cite.h).
 *
 * The addresses: J-PlatPat's fixed addresses (固定アドレス, since its
 * February 2024 release a pure function of the number: c1801/PU/JP-…/
 * kind/ja, kind 11 for 公開 and 公表, 15 for 特許, 25 for 実用新案登録,
 * era years as H04 or S63), PATENTSCOPE's detail page by publication
 * number (docId=WO2022123456), and Espacenet's search by publication
 * number (q=pn%3DUS11234567B2) for the offices whose registers have no
 * address made from the number alone. */
#include "parse/cite.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

typedef struct cur {
    const char *s;
    size_t n, i;
} cur;

static bool lit(cur *c, const char *w)
{
    size_t k = strlen(w);
    if (c->n - c->i < k || memcmp(c->s + c->i, w, k) != 0)
        return false;
    c->i += k;
    return true;
}

static uint32_t peek(const cur *c, size_t *len)
{
    uint32_t cp = 0;
    int k = c->i < c->n ? utf8_decode(c->s + c->i, c->n - c->i, &cp) : 0;
    *len = k > 0 ? (size_t)k : 0;
    return k > 0 ? cp : 0;
}

/* A digit, half or full width: its value, or -1 */
static int digit_at(const cur *c, size_t *len)
{
    uint32_t cp = peek(c, len);
    if (cp >= '0' && cp <= '9')
        return (int)(cp - '0');
    if (cp >= 0xFF10 && cp <= 0xFF19)
        return (int)(cp - 0xFF10);
    return -1;
}

static bool one_of(cur *c, const uint32_t *set)
{
    size_t k;
    uint32_t cp = peek(c, &k);
    for (; *set; set++)
        if (cp == *set && k) {
            c->i += k;
            return true;
        }
    return false;
}

static void space(cur *c)
{
    static const uint32_t sp[] = {' ', 0x3000, 0};
    one_of(c, sp);
}

static bool dash(cur *c)
{
    /* hyphens, minus signs and dashes, and the long-vowel mark an IME
     * gives for a hyphen typed in kana mode (特開2020ー123456) */
    static const uint32_t d[] = {'-', 0xFF0D, 0x2010, 0x2011, 0x2012, 0x2013,
                                 0x2014, 0x2015, 0x2212, 0x30FC, 0xFF70, 0};
    return one_of(c, d);
}

static bool slash(cur *c)
{
    static const uint32_t sl[] = {'/', 0xFF0F, 0};
    return one_of(c, sl);
}

/* Digits into d (at most cap - 1 kept, *count all of them). `groups`:
 * a comma or a space may part groups of three ("11,234,567",
 * "1 234 567"); a comma before a group of another size is read with it
 * and *bad set ("10,123,45"). False when there is no digit. */
static bool digits(cur *c, bool groups, char *d, size_t cap, size_t *count,
                   bool *bad)
{
    static const uint32_t seps[] = {',', 0xFF0C, ' ', 0x2009, 0};
    static const uint32_t commas[] = {',', 0xFF0C, 0};
    size_t k, m = 0;
    int v;
    while (true) {
        while ((v = digit_at(c, &k)) >= 0) {
            if (m + 1 < cap)
                d[m] = (char)('0' + v);
            m++;
            c->i += k;
        }
        if (!groups || m == 0)
            break;
        /* a separator, then exactly three digits: the next group */
        cur t = *c;
        bool comma = one_of(&t, commas);
        if (!comma && !one_of(&t, seps))
            break;
        size_t at = t.i;
        int three = 0;
        while (three < 4 && digit_at(&t, &k) >= 0) {
            t.i += k;
            three++;
        }
        /* "10,123,45": a broken group; "5123456,5234567": a list */
        if (three != 3 && !(comma && three > 0 && three < 3))
            break;
        if (three != 3 && bad)
            *bad = true;
        c->i = at;
    }
    d[m + 1 < cap ? m : cap - 1] = '\0';
    *count = m;
    return m > 0;
}

static bool ascii_alnum(char ch)
{
    return (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
}

/* A kind code after a number ("B2", "A1"; a letter alone, "A", only
 * where `single`: CN's and JP's), ending a word; copied to kind. */
static void kind_code(cur *c, bool single, char *kind)
{
    cur t = *c;
    space(&t);
    kind[0] = '\0';
    if (t.i >= t.n || !t.s[t.i] || !strchr("ABCEPSTUY", t.s[t.i]))
        return;
    size_t k = 1;
    if (t.i + 1 < t.n && t.s[t.i + 1] >= '1' && t.s[t.i + 1] <= '9')
        k = 2;
    if ((k == 1 && !single) || (t.i + k < t.n && ascii_alnum(t.s[t.i + k])))
        return;
    /* "A社", "Aランク": a word of its own, not a kind code; a particle or
     * punctuation may follow one (特開2020-123456Aの) */
    cur after = {t.s, t.n, t.i + k};
    size_t len;
    uint32_t cp = peek(&after, &len);
    if (cp >= 0x30A0 && cp != 0x30FB && !(cp >= 0xFF00 && cp <= 0xFF20) &&
        !(cp >= 0x3000 && cp <= 0x303F))
        return;
    memcpy(kind, t.s + t.i, k);
    kind[k] = '\0';
    c->i = t.i + k;
}

static void problem(cite *o, const char *what)
{
    snprintf(o->problem, sizeof o->problem, "%s", what);
    o->url[0] = '\0';
}

#define JPP "https://www.j-platpat.inpit.go.jp/c1801/PU/JP-"
#define ESPACENET "https://worldwide.espacenet.com/patent/search?q=pn%%3D"
#define PATENTSCOPE "https://patentscope.wipo.int/search/en/detail.jsf?docId="

static int value(const char *d)
{
    int v = 0;
    for (; *d && v < 100000000; d++)
        v = v * 10 + (*d - '0');
    return v;
}

/* WO year/number (also 再表's): PATENTSCOPE's docId */
static bool wo_number(cur *c, int year, cite *o)
{
    char y[16], num[12];
    size_t ny, nn;
    if (!digits(c, false, y, sizeof y, &ny, NULL))
        return false;
    if (ny == 10) { /* WO2022123456 */
        memcpy(num, y + 4, 7);
        y[4] = '\0';
        nn = 6;
    } else if ((ny == 2 || ny == 4) && slash(c)) {
        if (!digits(c, false, num, sizeof num, &nn, NULL))
            return false;
    } else {
        return false;
    }
    int yy = value(y);
    if (ny == 2) /* WO 03/12345: the year as the PCT wrote it then */
        yy += yy >= 78 ? 1900 : 2000;
    char kind[4];
    kind_code(c, false, kind);
    if (yy < 1978 || yy > year + 1)
        problem(o, "impossible year for an international publication "
                   "(the PCT's began in 1978)");
    else if (nn > 6 || (yy >= 2004 && nn != 6))
        problem(o, "an international publication number has six digits "
                   "after its year (WO2022/123456; before 2004, up to six)");
    else
        snprintf(o->url, sizeof o->url, PATENTSCOPE "WO%04d%06d", yy,
                 value(num));
    return true;
}

/* The Japanese series numbered by year: [era] year - number. */
typedef struct jp_series {
    const char *prefix;  /* as written */
    const char *name;    /* for the messages */
    int code;            /* J-PlatPat's kind for the address; 0: none made
                            from the number alone (the number is checked
                            and kept whole) */
    int showa_from;      /* the first 昭和 year it was numbered in */
    bool pct;            /* 特表: the number begins with 5 */
} jp_series;

static const jp_series series[] = {
    {"\xe7\x89\xb9\xe9\x96\x8b", "公開", 11, 46, false},         /* 特開 */
    {"\xe7\x89\xb9\xe8\xa1\xa8", "公表", 11, 54, true},          /* 特表 */
    {"\xe7\x89\xb9\xe9\xa1\x98", "出願", 10, 1, false},          /* 特願 */
    {"\xe5\xae\x9f\xe9\xa1\x98", "実用新案出願", 20, 1, false},  /* 実願 */
    {"\xe7\x89\xb9\xe5\x85\xac", "公告", 0, 1, false},           /* 特公 */
    {"\xe5\xae\x9f\xe9\x96\x8b", "実用新案公開", 0, 46, false},  /* 実開 */
    {"\xe5\xae\x9f\xe5\x85\xac", "実用新案公告", 0, 1, false},   /* 実公 */
    {"\xe7\x84\xa1\xe5\x8a\xb9", "無効審判", 0, 1, false},       /* 無効 */
    {"\xe4\xb8\x8d\xe6\x9c\x8d", "拒絶査定不服審判", 0, 1, false}, /* 不服 */
    {"\xe7\x95\xb0\xe8\xad\xb0", "異議", 0, 1, false},           /* 異議 */
    {"\xe8\xa8\x82\xe6\xad\xa3", "訂正審判", 0, 1, false},       /* 訂正 */
};

static bool jp_year_number(cur *c, const jp_series *sr, int year, cite *o)
{
    space(c);
    char era = 0;
    if (lit(c, "\xe5\xb9\xb3")) /* 平 */
        era = 'H';
    else if (lit(c, "\xe6\x98\xad")) /* 昭 */
        era = 'S';
    char y[8], num[12], kind[4];
    size_t ny, nn;
    if (!digits(c, false, y, sizeof y, &ny, NULL) || !dash(c) ||
        !digits(c, false, num, sizeof num, &nn, NULL))
        return false;
    lit(c, "\xe5\x8f\xb7"); /* 特開平10-123456号(公報): its 号 too */
    kind_code(c, true, kind);  /* 特開2020-123456A */
    int yy = value(y), v = value(num);
    char padded[16], msg[160];
    snprintf(padded, sizeof padded, "%06d", nn <= 6 ? v : 0);
    if (era == 'H' && (yy < 1 || yy > 11))
        problem(o, "impossible year: numbers by 平成 year run from 1 to 11, "
                   "then by the Western year (特開2000-…)");
    else if (era == 'S' && (yy < sr->showa_from || yy > 64)) {
        snprintf(msg, sizeof msg, "impossible year: %s numbers by 昭和 year "
                 "run from %d to 64", sr->name, sr->showa_from);
        problem(o, msg);
    } else if (!era && ny != 4)
        problem(o, "write the year in full (特開2023-123456) or with its "
                   "era (特開平10-123456)");
    else if (!era && yy < 2000)
        problem(o, "before 2000 the year is its era's (特開平10-123456)");
    else if (!era && yy > year + 1)
        problem(o, "the year is in the future");
    else if (nn > 6 || (!era && nn != 6))
        problem(o, "the number has six digits after its year "
                   "(特開2023-012345)");
    else if (sr->pct && padded[0] != '5')
        problem(o, "a 特表 number begins with 5 (特表2019-512345)");
    else if (sr->code && era)
        snprintf(o->url, sizeof o->url, JPP "%c%02d-%s/%d/ja", era, yy,
                 padded, sr->code);
    else if (sr->code)
        snprintf(o->url, sizeof o->url, JPP "%04d-%s/%d/ja", yy, padded,
                 sr->code);
    if (!sr->code)
        o->kind = CITE_DOC;
    return true;
}

/* 特許(第)…号, 実用新案登録第…号, 意匠登録第…号, 商標登録第…号: code 0
 * for those whose address is not made from the number alone */
static bool jp_registration(cur *c, const char *what, int code, cite *o)
{
    space(c);
    char num[12];
    size_t nn;
    bool bad = false;
    if (!digits(c, true, num, sizeof num, &nn, &bad))
        return false;
    space(c);
    if (!lit(c, "\xe5\x8f\xb7")) /* 号 */
        return false;
    char msg[120];
    if (bad) {
        problem(o, "digits are grouped in threes (特許第7,123,456号)");
    } else if (nn > 7 || value(num) == 0) {
        snprintf(msg, sizeof msg, "a %s number has one to seven digits", what);
        problem(o, msg);
    } else if (code) {
        snprintf(o->url, sizeof o->url, JPP "%s/%d/ja", num, code);
    }
    if (!code)
        o->kind = CITE_DOC;
    return true;
}

/* JP 2020-123456 A, JP6789012B2: the Western forms of the same */
static bool jp_western(cur *c, int year, cite *o)
{
    space(c);
    lit(c, "-A-"); /* JP-A-2020-123456, the old Derwent form */
    cur t = *c;
    char y[8], num[12], kind[4];
    size_t ny, nn;
    if (digits(&t, false, y, sizeof y, &ny, NULL) && ny == 4 && dash(&t))
        return jp_year_number(c, &series[0], year, o);
    if (!digits(c, false, num, sizeof num, &nn, NULL) || nn < 5)
        return false; /* "JP 100": not a document */
    kind_code(c, true, kind);
    if (nn != 7) {
        problem(o, "a Japanese patent or utility model number has seven "
                   "digits (JP 7123456 B2)");
        return true;
    }
    /* U, Y: utility models; B and the rest: patents */
    snprintf(o->url, sizeof o->url, JPP "%s/%d/ja", num,
             kind[0] == 'U' || kind[0] == 'Y' ? 25 : 15);
    return true;
}

/* US, EP, CN: Espacenet by publication number */
/* US, EP, CN: Espacenet by publication number; `want_pub`: the text
 * named a publication (米国特許出願公開第…号), which a US grant's number
 * is not */
static bool foreign_as(cur *c, const char *cc, int year, cite *o, bool want_pub)
{
    space(c);
    bool patent_no = false;
    if (strcmp(cc, "US") == 0) { /* US Patent No. 10,123,456 */
        cur t = *c;
        if ((lit(&t, "Patent") || lit(&t, "Pat.")) && (space(&t), true) &&
            (lit(&t, "No.") || lit(&t, "Number"))) {
            space(&t);
            *c = t;
            patent_no = true;
        }
    }
    char a[16], b[16], kind[4];
    size_t na, nb = 0;
    bool bad = false;
    size_t num0 = c->i;
    if (!digits(c, true, a, sizeof a, &na, &bad))
        return false;
    bool grouped = false; /* written in groups: 11,234,567 or 1 234 567 */
    for (size_t k = num0; k < c->i; k++)
        grouped |= c->s[k] == ',' || c->s[k] == ' ' || (unsigned char)c->s[k] == 0xEF;
    bool pub = false;
    if (strcmp(cc, "US") == 0 && na == 4) { /* US 2023/0123456 A1 */
        cur t = *c;
        if (slash(&t) && digits(&t, false, b, sizeof b, &nb, NULL)) {
            *c = t;
            pub = true;
        }
    }
    if (!pub && na < 4 && !bad)
        return false; /* "EP 3": not a number anybody cites */
    kind_code(c, strcmp(cc, "CN") == 0, kind);
    if (c->i < c->n && ascii_alnum(c->s[c->i]))
        return false;
    /* a bare "US 2019" or "EP 2023年" is a year, not a document: without
     * a kind code, "Patent No." or digit groups, only the lengths the
     * office uses are read as numbers (and checked) */
    if (!pub && !kind[0] && !patent_no && !bad) {
        if (strcmp(cc, "US") == 0 && na < 7 && !grouped)
            return false;
        if (strcmp(cc, "EP") == 0 && na != 7 && !grouped)
            return false;
        if (strcmp(cc, "CN") == 0 && na != 7 && na != 9)
            return false;
    }
    if (!pub && strcmp(cc, "US") == 0 && na == 11) { /* US20230123456 */
        memcpy(b, a + 4, 8);
        a[4] = '\0';
        nb = 7;
        pub = true;
    }
    const char *bad_why = NULL;
    if (bad)
        bad_why = "digits are grouped in threes (US 11,234,567 B2)";
    else if (want_pub && !pub && strcmp(cc, "US") == 0)
        bad_why = "a US publication number is its year and seven digits "
                  "(米国特許出願公開第2023/0123456号)";
    else if (pub && (value(a) < 2001 || value(a) > year + 1))
        bad_why = "impossible year for a US publication (they began in 2001)";
    else if (pub && nb != 7)
        bad_why = "a US publication number is its year and seven digits "
                  "(US 2023/0123456 A1)";
    else if (!pub && strcmp(cc, "US") == 0 && na > 8)
        bad_why = "a US patent number has at most eight digits";
    else if (strcmp(cc, "EP") == 0 && na != 7)
        bad_why = "an EP publication number has seven digits (EP 1 234 567)";
    else if (strcmp(cc, "CN") == 0 && na != 7 && na != 9)
        bad_why = "a CN publication number has nine digits (seven before "
                  "2007: CN 112345678 A)";
    if (bad_why)
        problem(o, bad_why);
    else if (pub) /* Espacenet's form: the year and six digits */
        snprintf(o->url, sizeof o->url, ESPACENET "US%s%s%s", a,
                 b[0] == '0' ? b + 1 : b, kind);
    else
        snprintf(o->url, sizeof o->url, ESPACENET "%s%s%s", cc, a, kind);
    return true;
}

static bool foreign(cur *c, const char *cc, int year, cite *o)
{
    return foreign_as(c, cc, year, o, false);
}
/* A court's case number: era year 年 (symbol) 第 number 号 */
static bool case_number(cur *c, int year, cite *o)
{
    static const uint32_t open[] = {'(', 0xFF08, 0};
    static const uint32_t close[] = {')', 0xFF09, 0};
    int first = 0;
    const char *era;
    if (lit(c, "\xe4\xbb\xa4\xe5\x92\x8c")) /* 令和 */
        first = 2019, era = "令和";
    else if (lit(c, "\xe5\xb9\xb3\xe6\x88\x90")) /* 平成 */
        first = 1989, era = "平成";
    else if (lit(c, "\xe6\x98\xad\xe5\x92\x8c")) /* 昭和 */
        first = 1926, era = "昭和";
    else
        return false;
    char y[8], num[12];
    size_t ny, nn;
    int yy;
    if (lit(c, "\xe5\x85\x83")) /* 元年 */
        yy = 1;
    else if (digits(c, false, y, sizeof y, &ny, NULL) && ny <= 2)
        yy = value(y);
    else
        return false;
    if (!lit(c, "\xe5\xb9\xb4")) /* 年 */
        return false;
    space(c);
    if (!one_of(c, open))
        return false;
    /* the symbol: 行 and a kana, or one or two kana, or 受 / 許 */
    size_t k, kana = 0;
    lit(c, "\xe8\xa1\x8c"); /* 行 */
    for (uint32_t cp; kana < 3 && (cp = peek(c, &k)) != 0 &&
                      ((cp >= 0x30A1 && cp <= 0x30FA) ||
                       (cp >= 0x3041 && cp <= 0x3096) || cp == 0x53D7 ||
                       cp == 0x8A31);
         kana++)
        c->i += k;
    if (kana == 0 || kana > 2 || !one_of(c, close))
        return false;
    space(c);
    if (!lit(c, "\xe7\xac\xac") || !digits(c, false, num, sizeof num, &nn, NULL) ||
        !lit(c, "\xe5\x8f\xb7")) /* 第 … 号 */
        return false;
    int last = first == 2019 ? year - 2018 : first == 1989 ? 31 : 64;
    char msg[160];
    if (yy < 1 || yy > last) {
        snprintf(msg, sizeof msg, "impossible year: %s runs from 元年 to "
                 "%d年 (this year)", era, last);
        problem(o, msg);
    } else if (nn > 6 || value(num) == 0) {
        problem(o, "a case number has one to six digits");
    }
    return true;
}

/* 米国特許第…号 and the like: the office in Japanese, and its code for
 * Espacenet (NULL: an office whose numbers are not linked) */
static const struct {
    const char *name, *cc;
} offices[] = {
    {"米国", "US"}, {"アメリカ", "US"}, {"合衆国", "US"},
    {"欧州", "EP"}, {"中国", "CN"}, {"中華人民共和国", "CN"},
    {"韓国", NULL}, {"大韓民国", NULL}, {"台湾", NULL}, {"独国", NULL},
    {"ドイツ", NULL}, {"英国", NULL}, {"イギリス", NULL}, {"仏国", NULL},
    {"フランス", NULL}, {"豪州", NULL}, {"オーストラリア", NULL},
    {"カナダ", NULL}, {"インド", NULL}, {"ロシア", NULL}, {"露国", NULL},
    {"シンガポール", NULL}, {"ユーラシア", NULL}, {"国際", NULL},
    {"外国", NULL}, {"各国", NULL}, {"他国", NULL}, {"海外", NULL},
    {CITE_STRUCK_OFFICE, NULL}, /* <del>米国</del>特許第…号 */
};

/* The office whose name ends the text before s[i]: the text before s
 * (pre[0..npre), an earlier run of the same paragraph, the 米国 of
 * **米国**特許第…号), then s[0..i). Its index in offices[], or -1. */
static int office_before(const char *pre, size_t npre, const char *s, size_t i)
{
    /* a space between (米国 特許第…号) is no matter */
    for (;;) {
        if (i > 0 && s[i - 1] == ' ')
            i--;
        else if (i >= 3 && memcmp(s + i - 3, "\xe3\x80\x80", 3) == 0)
            i -= 3;
        else if (i == 0 && npre > 0 && pre[npre - 1] == ' ')
            npre--;
        else if (i == 0 && npre >= 3 && memcmp(pre + npre - 3, "\xe3\x80\x80", 3) == 0)
            npre -= 3;
        else
            break;
    }
    for (size_t k = 0; k < sizeof offices / sizeof *offices; k++) {
        const char *name = offices[k].name;
        size_t l = strlen(name);
        if (l <= i ? memcmp(s + i - l, name, l) == 0
                   : l - i <= npre && memcmp(s, name + (l - i), i) == 0 &&
                         memcmp(pre + npre - (l - i), name, l - i) == 0)
            return (int)k;
    }
    return -1;
}

bool cite_names_office(const char *s, size_t n)
{
    return office_before(NULL, 0, s, n) >= 0;
}

/* (第)…(号) after 米国特許 (`pub`: 米国特許出願公開): the office's number */
static bool office_number(cur *c, const char *cc, int year, cite *o, bool pub)
{
    cur t = *c;
    space(&t);
    if (lit(&t, "\xe7\xac\xac")) /* 第, or " 第 " */
        *c = t;
    if (!foreign_as(c, cc, year, o, pub))
        return false;
    cur u = *c;
    space(&u);
    if (lit(&u, "\xe5\x8f\xb7")) /* 号 */
        *c = u;
    return true;
}

/* 特許, or 特許出願公開 / 特許公開 (*pub: a publication, 米国特許出願公開
 * 第2020/0345678号) */
static bool patent_word(cur *c, bool *pub)
{
    *pub = lit(c, "\xe7\x89\xb9\xe8\xa8\xb1\xe5\x87\xba\xe9\xa1\x98"
                  "\xe5\x85\xac\xe9\x96\x8b") || /* 特許出願公開 */
           lit(c, "\xe7\x89\xb9\xe8\xa8\xb1\xe5\x85\xac\xe9\x96\x8b"); /* 特許公開 */
    return *pub || lit(c, "\xe7\x89\xb9\xe8\xa8\xb1"); /* 特許 */
}

/* 米国特許(第)…(号): a foreign patent named in Japanese */
static bool office_patent(cur *c, int year, cite *o)
{
    for (size_t k = 0; k < sizeof offices / sizeof *offices; k++) {
        cur t = *c;
        bool pub;
        if (!offices[k].cc || !lit(&t, offices[k].name) ||
            !(space(&t), patent_word(&t, &pub))) /* 米国 特許第… too */
            continue;
        if (!office_number(&t, offices[k].cc, year, o, pub))
            return false;
        *c = t;
        return true;
    }
    return false;
}

bool cite_at(const char *s, size_t n, size_t i, int year, cite *o)
{
    return cite_after(NULL, 0, s, n, i, year, o);
}

bool cite_after(const char *pre, size_t npre, const char *s, size_t n,
                size_t i, int year, cite *o)
{
    *o = (cite){.kind = CITE_PATENT};
    cur c = {s, n, i};
    char last = i > 0 ? s[i - 1] : npre > 0 ? pre[npre - 1] : ' ';
    bool ascii_start = !ascii_alnum(last);
    bool got = false, done = false, pub;
    /* 韓国特許第…号, or 米国特許 with no number after it: a Japanese
     * registration's address would name another document */
    int office = office_before(pre, npre, s, i);
    bool other_office = office >= 0;
    for (size_t k = 0; k < sizeof series / sizeof *series && !done; k++)
        if (lit(&c, series[k].prefix)) {
            got = jp_year_number(&c, &series[k], year, o);
            done = true;
        }
    if (done) {
        /* one of the series */
    } else if (office_patent(&c, year, o)) {
        got = true;
    } else if (other_office && offices[office].cc &&
               patent_word(&c, &pub)) { /* **米国**特許第…号 */
        got = office_number(&c, offices[office].cc, year, o, pub);
    } else if (lit(&c, "\xe5\x86\x8d\xe8\xa1\xa8")) { /* 再表 */
        got = (space(&c), wo_number(&c, year, o));
    } else if (!other_office && lit(&c, "\xe7\x89\xb9\xe8\xa8\xb1")) { /* 特許(第) */
        cur t = c;
        space(&t);
        if (lit(&t, "\xe7\xac\xac")) /* 特許 第 6,123,456 号 */
            c = t;
        got = jp_registration(&c, "patent", 15, o);
    } else if (!other_office && lit(&c, "\xe5\xae\x9f\xe7\x94\xa8\xe6\x96\xb0\xe6\xa1\x88"
                       "\xe7\x99\xbb\xe9\x8c\xb2\xe7\xac\xac")) { /* 実用新案登録第 */
        got = jp_registration(&c, "utility model", 25, o);
    } else if (!other_office && lit(&c, "\xe6\x84\x8f\xe5\x8c\xa0\xe7\x99\xbb\xe9\x8c\xb2"
                       "\xe7\xac\xac")) { /* 意匠登録第 */
        got = jp_registration(&c, "design", 0, o);
    } else if (!other_office && lit(&c, "\xe5\x95\x86\xe6\xa8\x99\xe7\x99\xbb\xe9\x8c\xb2"
                       "\xe7\xac\xac")) { /* 商標登録第 */
        got = jp_registration(&c, "trademark", 0, o);
    } else if (ascii_start && lit(&c, "WO")) {
        got = (space(&c), wo_number(&c, year, o));
    } else if (ascii_start && lit(&c, "JP")) {
        got = jp_western(&c, year, o);
    } else if (ascii_start && (lit(&c, "US") || lit(&c, "U.S."))) {
        got = foreign(&c, "US", year, o);
    } else if (ascii_start && (lit(&c, "EP") || lit(&c, "CN"))) {
        char cc[3] = {s[i], s[i + 1], '\0'};
        got = foreign(&c, cc, year, o);
    } else if ((c = (cur){s, n, i}), case_number(&c, year, o)) {
        o->kind = CITE_CASE;
        got = true;
    }
    /* a number that runs on into letters or digits is something else */
    if (got && c.i < n && o->kind == CITE_PATENT && ascii_alnum(s[c.i]) &&
        !(s[c.i - 1] & 0x80))
        got = false;
    o->len = got ? c.i - i : 0;
    return got;
}
