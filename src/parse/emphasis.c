/* Emphasis beside Japanese punctuation (see emphasis.h). */
#include "parse/emphasis.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"

/* Japanese punctuation: what stands inside a run of '*' in 「**「重要」**は」
 * and 「。*発送日…。*」 (full-width brackets, 、。, ・：！？ and their kin). */
static bool jp_punct(uint32_t c)
{
    return (c >= 0x3001 && c <= 0x3003) || (c >= 0x3008 && c <= 0x3011) ||
           (c >= 0x3014 && c <= 0x301F) || c == 0x30FB ||
           (c >= 0xFF01 && c <= 0xFF0F && c != 0xFF04 && c != 0xFF05) ||
           (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
           (c >= 0xFF5B && c <= 0xFF65) || c == 0x2025 || c == 0x2026 ||
           (c >= 0x2018 && c <= 0x201F);
}

/* Opening brackets and quotes: what a run opens before (「**「重要」**」);
 * a run after one (「（*1）」) is left as cmark reads it. */
static bool jp_open(uint32_t c)
{
    return c == 0x3008 || c == 0x300A || c == 0x300C || c == 0x300E ||
           c == 0x3010 || c == 0x3014 || c == 0x3016 || c == 0x3018 ||
           c == 0x301D || c == 0xFF08 || c == 0xFF3B || c == 0xFF5B ||
           c == 0xFF5F || c == 0x2018 || c == 0x201C;
}

/* Nothing (a line's start or end) or a space */
static bool blank(uint32_t c)
{
    return c <= ' ' || c == 0x3000 || c == 0xA0;
}

/* The code point before s[i] (0 at the start or after a line break). */
static uint32_t cp_before(const char *s, size_t i)
{
    if (i == 0 || s[i - 1] == '\n')
        return 0;
    size_t b = i - 1;
    while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80 && i - b < 4)
        b--;
    uint32_t cp = 0;
    if (utf8_decode(s + b, i - b, &cp) != (int)(i - b))
        return 0;
    return cp;
}

/* The code point at s[i] (0 at the end or where it is not UTF-8). */
static uint32_t cp_at(const char *s, size_t n, size_t i)
{
    uint32_t cp = 0;
    return i < n && utf8_decode(s + i, n - i, &cp) > 0 ? cp : 0;
}

/* The delimiter run starting at s[i], if one starts there (not inside
 * one, not escaped): up to three '*' (emphasis) or exactly two '~' (a
 * strike, ~~削除~~): its end; else i. Its kind goes to *k: 0 to 2 for
 * one to three '*', 3 for '~~'. */
static size_t run_at(const char *s, size_t n, size_t i, int *k)
{
    char ch = s[i];
    if ((ch != '*' && ch != '~') ||
        (i > 0 && (s[i - 1] == ch || s[i - 1] == '\\')))
        return i;
    size_t e = i;
    while (e < n && s[e] == ch)
        e++;
    if (ch == '~') {
        *k = 3;
        return e - i == 2 ? e : i;
    }
    *k = (int)(e - i) - 1;
    return e - i > 3 ? i : e;
}

/* Where the paragraph starting at s[i] ends: after its blank line, or at
 * the end. */
static size_t para_end(const char *s, size_t n, size_t i)
{
    for (; i < n; i++) {
        if (s[i] != '\n')
            continue;
        size_t k = i + 1;
        while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
            k++;
        if (k >= n || s[k] == '\n')
            return k < n ? k + 1 : n;
    }
    return n;
}

void emph_mark(const char *s, size_t n, buf *out, emph_marks *m)
{
    buf_clear(out);
    m->n = 0;
    int line = 1;
    size_t line0 = 0, done = 0;
    for (size_t p0 = 0, p1; p0 < n; p0 = p1) {
        p1 = para_end(s, n, p0);
        /* runs of each length in the paragraph: with an odd count, one is
         * an asterisk meant as one (注（*1）… 。*印は必須), and its runs
         * are left as cmark reads them */
        int count[4] = {0}, k;
        for (size_t i = p0; i < p1; i++) {
            size_t e = run_at(s, p1, i, &k);
            if (e > i)
                count[k]++;
        }
        for (size_t i = p0; i < p1; i++) {
            if (s[i] == '\n') {
                line++;
                line0 = i + 1;
                continue;
            }
            size_t e = run_at(s, p1, i, &k);
            if (e == i || count[k] % 2)
                continue;
            uint32_t before = cp_before(s, i), after = cp_at(s, p1, e);
            size_t at; /* where the mark goes */
            /* (with Japanese punctuation on both sides, 「」**【」, the
             * run flanks both ways as it is) */
            if (jp_open(after) && !blank(before) && !jp_punct(before))
                at = e; /* 「は**「重要」」: opens as before a letter */
            else if (jp_punct(before) && !jp_open(before) && !blank(after) &&
                     !jp_punct(after) && !(k == 0 && after >= '0' && after <= '9'))
                at = i; /* 「。*期間」: closes as after a letter (not
                           「注：*1 売上高」, a note's mark) */
            else
                continue;
            buf_put(out, s + done, at - done);
            buf_put(out, EMPH_MARK, EMPH_MARK_LEN);
            done = at;
            XPUSH(m->v, m->n, m->cap,
                  ((struct emph_at){line, (int)(at - line0) + 1}));
            i = e - 1;
        }
    }
    buf_put(out, s + done, n - done);
}

int emph_col(const emph_marks *m, int line, int col)
{
    /* the marks are in order: the line's first, then, of the line's,
     * those before col in the marked text (mark j of the line stands at
     * its col + 3 j there) */
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->v[mid].line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t first = lo;
    hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->v[mid].line == line &&
            m->v[mid].col + EMPH_MARK_LEN * (int)(mid - first) < col)
            lo = mid + 1;
        else
            hi = mid;
    }
    return col - EMPH_MARK_LEN * (int)(lo - first);
}

char *emph_strip(const char *s)
{
    if (!s || !strstr(s, EMPH_MARK))
        return NULL;
    size_t n = strlen(s), o = 0;
    char *r = xmalloc(n + 1);
    for (size_t i = 0; i < n;) {
        if (i + EMPH_MARK_LEN <= n && memcmp(s + i, EMPH_MARK, EMPH_MARK_LEN) == 0) {
            i += EMPH_MARK_LEN;
            continue;
        }
        r[o++] = s[i++];
    }
    r[o] = '\0';
    return r;
}

void emph_marks_free(emph_marks *m)
{
    free(m->v);
    *m = (emph_marks){0};
}
