/* Nearest names and language tags (see words.h). */
#include "util/words.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static size_t edits(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64)
        return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            bool same = tolower((unsigned char)a[i - 1]) ==
                        tolower((unsigned char)b[j - 1]);
            size_t best = diag + !same;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

const char *words_nearest(const char *word, const char *const *set, size_t n)
{
    const char *best = NULL;
    size_t d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t e = edits(word, set[i]);
        if (e < d) {
            d = e;
            best = set[i];
        }
    }
    size_t len = strlen(word);
    return best && d <= 2 && d * 2 < len ? best : NULL;
}

/* ISO 639-1: the two-letter languages (a BCP 47 tag uses these where
 * they exist). */
static const char iso639_1[] =
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca "
    "ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj "
    "fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii "
    "ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la "
    "lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng "
    "nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa "
    "sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk "
    "tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/* What writers put for a language: countries' codes, three-letter codes
 * that have two-letter forms, and names. */
static const struct { const char *wrong, *right; } meant[] = {
    {"jp", "ja"}, {"jpn", "ja"}, {"japanese", "ja"}, {"nihongo", "ja"},
    {"cn", "zh"}, {"zho", "zh"}, {"chi", "zh"}, {"chinese", "zh"},
    {"kr", "ko"}, {"kor", "ko"}, {"korean", "ko"}, {"eng", "en"},
    {"english", "en"}, {"us", "en-US"}, {"gb", "en-GB"}, {"uk", "en-GB"},
    {"deu", "de"}, {"ger", "de"}, {"german", "de"}, {"fra", "fr"},
    {"fre", "fr"}, {"french", "fr"}, {"tw", "zh-TW"}, {"en_us", "en-US"},
    {"ja_jp", "ja-JP"},
};

static bool all(const char *s, size_t n, int (*is)(int))
{
    for (size_t i = 0; i < n; i++)
        if (!is((unsigned char)s[i]))
            return false;
    return true;
}

bool words_lang_ok(const char *tag, const char **suggest)
{
    *suggest = NULL;
    char low[64];
    size_t len = strlen(tag);
    if (len == 0 || len >= sizeof low)
        return false;
    for (size_t i = 0; i <= len; i++)
        low[i] = (char)tolower((unsigned char)tag[i]);
    for (size_t i = 0; i < sizeof meant / sizeof *meant; i++)
        if (strcmp(low, meant[i].wrong) == 0) {
            *suggest = meant[i].right;
            return false;
        }
    /* language [-script] [-region] [-variant]... */
    const char *p = low;
    size_t k = strcspn(p, "-");
    if (k == 2) {
        char two[3] = {p[0], p[1], '\0'};
        const char *at = strstr(iso639_1, two);
        if (!at || (at > iso639_1 && at[-1] != ' ') || !all(p, 2, isalpha))
            return false;
    } else if (k != 3 || !all(p, 3, isalpha)) {
        return false;
    }
    p += k;
    int part = 0; /* 1 script, 2 region, 3 variants */
    while (*p == '-') {
        p++;
        k = strcspn(p, "-");
        if (part < 1 && k == 4 && all(p, 4, isalpha))
            part = 1;
        else if (part < 2 && ((k == 2 && all(p, 2, isalpha)) ||
                              (k == 3 && all(p, 3, isdigit))))
            part = 2;
        else if ((k >= 5 && k <= 8 && all(p, k, isalnum)) ||
                 (k == 4 && isdigit((unsigned char)p[0]) && all(p, 4, isalnum)))
            part = 3;
        else
            return false;
        p += k;
    }
    return *p == '\0';
}
