/* Layout over real fonts: pagination invariants on the bundled report,
 * the JLREQ properties of every composed body line, note links, and the
 * page map that the EPUB's page-list reads. */
#include <check.h>
#include <ctype.h>
#include <hyphen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jp/kinsoku.h"
#include "layout/layout.h"
#include "parse/md.h"
#include "text/hyphen.h"
#include "text/phrase.h"
#include "text/shape.h"

static fonts *F;
static doc *D;
static style S;
static layout *L;

static void setup(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/content/waic2025.md", getenv("KUMIHAN_DATA"));
    diag dg;
    diag_init(&dg);
    D = parse_file(path, &dg, false);
    F = fonts_new(NULL, &dg);
    style_default(&S);
    L = D && F ? layout_run(D, &S, F, &dg, NULL) : NULL;
    diag_print(&dg, stderr);
    diag_free(&dg);
}

static void teardown(void)
{
    layout_free(L);
    fonts_free(F);
    doc_free(D);
    style_free(&S);
}

START_TEST(test_invariants)
{
    ck_assert_ptr_nonnull(L);
    diag dg;
    diag_init(&dg);
    ck_assert(layout_check(L, &dg)); /* frame, grid, no stranded heading */
    diag_print(&dg, stderr);
    diag_free(&dg);
    ck_assert_uint_gt(L->npages, 10);
    ck_assert_uint_eq(L->nemergency, 0);
    for (size_t p = 0; p < L->npages; p++) {
        ck_assert_int_eq(L->pages[p].number, (int)p + 1);
        ck_assert_msg(L->pages[p].has_mark, "page %zu has no page-map entry", p + 1);
    }
}
END_TEST

/* Widows and orphans (style pagination: 2 and 2): wherever a paragraph
 * goes on to the next page, at least two of its lines end the one page
 * and at least two begin the next. */
START_TEST(test_widows_orphans)
{
    ck_assert_ptr_nonnull(L);
    int splits = 0;
    for (size_t p = 1; p < L->npages; p++) {
        const lay_page *a = &L->pages[p - 1], *b = &L->pages[p];
        const lay_line *first = NULL;
        for (size_t i = 0; i < b->nlines && !first; i++)
            if (b->lines[i].role == ROLE_BODY || b->lines[i].role == ROLE_NOTE)
                first = &b->lines[i];
        if (!first || first->para_start)
            continue;
        int before = 0, after = 0;
        for (size_t i = 0; i < a->nlines; i++)
            before += a->lines[i].sh == first->sh;
        for (size_t i = 0; i < b->nlines; i++)
            after += b->lines[i].sh == first->sh;
        if (before == 0)
            continue; /* a marker's text, not the paragraph's */
        splits++;
        ck_assert_msg(before >= S.orphans, "page %zu: %d line(s) of a paragraph at "
                      "its foot", p, before);
        ck_assert_msg(after >= S.widows, "page %zu: %d line(s) of a paragraph at "
                      "its top", p + 1, after);
    }
    ck_assert_int_gt(splits, 3); /* the report has paragraphs across pages */
}
END_TEST

/* Every body line but a paragraph's last fills the measure; none starts
 * or ends with a prohibited character; every Japanese-Western space is
 * within [1/8, 1/2] em (JLREQ 3.1.7, 3.8, Appendix B). */
START_TEST(test_lines)
{
    size_t checked = 0;
    for (size_t p = 0; p < L->npages; p++) {
        const lay_page *pg = &L->pages[p];
        for (size_t i = 0; i < pg->nlines; i++) {
            const lay_line *ln = &pg->lines[i];
            if (ln->role != ROLE_BODY && ln->role != ROLE_NOTE)
                continue;
            const shaped *sh = ln->sh;
            double w = ln->x[ln->end - ln->start];
            double right = style_left(&S) + style_measure(&S);
            const jp_cell *first = &sh->cells[ln->start];
            const jp_cell *last = &sh->cells[ln->end - 1];
            if (!ln->para_start && !(first->flags & JP_SPACE))
                ck_assert_msg(jp_line_start_ok(first, KINSOKU_STRICT),
                              "p.%d line starts with U+%04X", pg->number, first->first);
            if (!ln->last) {
                ck_assert_msg(jp_line_end_ok(last), "p.%d line ends with U+%04X",
                              pg->number, last->last);
                if (ln->role == ROLE_BODY && !(last->flags & JP_URL)) {
                    ck_assert_msg(fabs(ln->x0 + w - right) < 0.01,
                                  "p.%d: a line ends at %.3f, not %.3f",
                                  pg->number, ln->x0 + w, right);
                    checked++;
                }
            }
            for (size_t c = ln->start + 1; c < ln->end; c++) {
                const jp_cell *a = &sh->cells[c - 1], *b = &sh->cells[c];
                bool jw = (jp_is_japanese(a->cls_last) && jp_is_western(b->cls) &&
                           !jp_is_wide(b->first) && !(b->flags & JP_NOTEREF)) ||
                          (jp_is_western(a->cls_last) && !jp_is_wide(a->last) &&
                           jp_is_japanese(b->cls) && !(a->flags & JP_NOTEREF));
                double gap = ln->x[c - ln->start] - ln->x[c - 1 - ln->start] - a->advance;
                if (a->flags & b->flags & JP_URL) {
                    /* a URL is set as written; a line broken inside one
                     * where none of its own breaks fits is letter-spaced
                     * to the measure, imperceptibly */
                    double most = ln->end < sh->ncells &&
                                  (sh->cells[ln->end - 1].flags & JP_URL) ? 0.02 : 1e-6;
                    ck_assert_msg(fabs(gap - a->kern) < most * a->em,
                                  "p.%d: %.3f em inside a URL", pg->number, gap / a->em);
                    continue;
                }
                if (!jw)
                    continue;
                ck_assert_msg(gap >= a->em / 8 - 1e-6 && gap <= a->em / 2 + 1e-6,
                              "p.%d: J-W space %.3f em", pg->number, gap / a->em);
            }
        }
    }
    ck_assert_uint_gt(checked, 200);
}
END_TEST

static bool has_link(const char *dest)
{
    for (size_t p = 0; p < L->npages; p++)
        for (size_t i = 0; i < L->pages[p].nlinks; i++)
            if (L->pages[p].links[i].dest && strcmp(L->pages[p].links[i].dest, dest) == 0)
                return true;
    return false;
}

static int count_dest(const char *name)
{
    int n = 0;
    for (size_t p = 0; p < L->npages; p++)
        for (size_t i = 0; i < L->pages[p].ndests; i++)
            n += strcmp(L->pages[p].dests[i].name, name) == 0;
    return n;
}

/* A cluster of note references is one mark, its numbers sorted, each
 * linked: the report writes [^13][^16][^12][^15] and [^7][^9][^6]. */
START_TEST(test_note_clusters)
{
    ck_assert_ptr_nonnull(L);
    const char *want[] = {"12,13,15,16)", "6,7,9)"};
    for (size_t w = 0; w < 2; w++) {
        bool found = false;
        for (size_t p = 0; p < L->npages && !found; p++)
            for (size_t i = 0; i < L->pages[p].nlines && !found; i++) {
                const lay_line *ln = &L->pages[p].lines[i];
                size_t b0 = ln->sh->cell_byte[ln->start], b1 = ln->sh->cell_byte[ln->end];
                char *t = g_strndup(ln->sh->text + b0, b1 - b0);
                found = strstr(t, want[w]) != NULL;
                g_free(t);
            }
        ck_assert_msg(found, "no mark %s", want[w]);
    }
    /* unsorted marks are gone: no number followed by a smaller one */
    for (size_t p = 0; p < L->npages; p++)
        for (size_t i = 0; i < L->pages[p].nlines; i++) {
            const lay_line *ln = &L->pages[p].lines[i];
            for (size_t c = ln->start; c + 1 < ln->end; c++) {
                const shaped *sh = ln->sh;
                if (!(sh->cells[c].flags & JP_NOTEREF) || sh->text[sh->cell_byte[c]] != ')')
                    continue;
                ck_assert_msg(!(sh->cells[c + 1].flags & JP_NOTEREF),
                              "page %zu: two marks side by side", p + 1);
            }
        }
}
END_TEST

START_TEST(test_note_links)
{
    size_t note_links = 0;
    for (size_t p = 0; p < L->npages; p++)
        for (size_t i = 0; i < L->pages[p].nlinks; i++) {
            const char *d = L->pages[p].links[i].dest;
            if (d && strncmp(d, "note", 4) == 0 && d[4] >= '0' && d[4] <= '9')
                note_links++;
        }
    ck_assert_uint_eq(note_links, 127); /* every reference links its note */
    for (size_t n = 1; n <= D->nnotes; n++) {
        char note[16], ref[16];
        snprintf(note, sizeof note, "note%zu", n);
        snprintf(ref, sizeof ref, "ref%zu", n);
        ck_assert_int_eq(count_dest(note), 1);
        ck_assert_int_eq(count_dest(ref), 1);
        ck_assert_msg(has_link(ref), "note %zu links back", n);
    }
    /* every URL is a live link */
    size_t uris = 0;
    for (size_t p = 0; p < L->npages; p++)
        for (size_t i = 0; i < L->pages[p].nlinks; i++)
            uris += L->pages[p].links[i].uri != NULL;
    ck_assert_uint_ge(uris, 113);
}
END_TEST

START_TEST(test_headings)
{
    /* gyodori: a heading's dest lies on a grid line's top, and the body
     * after it is back on the grid (layout_check); the outline holds every
     * heading of the body plus 目次 and 注 */
    size_t headings = 0;
    for (const doc_node *n = D->root->first; n; n = n->next)
        headings += n->kind == DOC_HEADING;
    ck_assert_uint_eq(L->noutline, headings + 2);
    for (size_t i = 0; i < L->noutline; i++)
        ck_assert_int_ge(L->outline[i].page, 0);
}
END_TEST

/* Shaping over the real fonts. */
static shaped *shape(const char *text, const char *features)
{
    shape_span sp = {.end = strlen(text),
                     .family = "Noto Serif CJK JP",
                     .size = 10,
                     .link = -1};
    return shape_text(F, text, strlen(text), &sp, 1, features, (shape_opts){0});
}

/* Hyphenation points from libhyphen's English patterns, on words only:
 * two letters at least before a point, three after; no acronyms, no
 * short words, nothing in a URL or code. */
static char *points(const hyphenator *h, const char *text, unsigned flags)
{
    shape_span sp = {.end = strlen(text),
                     .family = "Noto Serif CJK JP",
                     .size = 10,
                     .flags = flags,
                     .link = -1};
    shaped *sh = shape_text(F, text, strlen(text), &sp, 1, "", (shape_opts){0});
    hyph_mark(h, sh);
    static char out[256];
    size_t k = 0;
    for (size_t i = 0; i < sh->ncells && k + 2 < sizeof out; i++) {
        out[k++] = sh->text[sh->cell_byte[i]];
        if (sh->cells[i].hyphen > 0) {
            ck_assert_double_gt(sh->cells[i].hyphen, 1);
            ck_assert_double_lt(sh->cells[i].hyphen, 6);
            out[k++] = '-';
        }
    }
    out[k] = '\0';
    shaped_free(sh);
    return out;
}

START_TEST(test_hyphenation)
{
    hyphenator *h = hyph_new("ja"); /* Latin in Japanese text: English */
    ck_assert_ptr_nonnull(h);
    ck_assert_str_eq(points(h, "hyphenation", 0), "hy-phen-ation");
    ck_assert_str_eq(points(h, "characteristic frequency", 0),
                     "char-ac-ter-is-tic fre-quency");
    ck_assert_str_eq(points(h, "NVIDIA and the cat", 0), "NVIDIA and the cat");
    ck_assert_str_eq(points(h, "https://example.jp/information", JP_URL),
                     "https://example.jp/information");
    ck_assert_str_eq(points(h, "computation", JP_NOBREAK), "computation");
    ck_assert_str_eq(points(h, "v2computation e-information", 0),
                     "v2computation e-information");
    hyph_free(h);
    h = hyph_new("en-GB"); /* no British patterns here: American */
    ck_assert_ptr_nonnull(h);
    ck_assert_str_eq(points(h, "hyphenation", 0), "hy-phen-ation");
    hyph_free(h);
}
END_TEST

/* English's patterns compiled in (hyphgen) hyphenate every word of
 * the README as the pattern file they were made from does. */
extern HyphenDict *const km_hyph_en_US;

START_TEST(test_hyphenation_compiled_in)
{
    HyphenDict *file = hnj_hyphen_load("/usr/share/hyphen/hyph_en_US.dic");
    ck_assert_ptr_nonnull(file);
    ck_assert_ptr_nonnull(km_hyph_en_US);
    FILE *f = fopen(KM_SOURCE_DIR "/README.md", "rb");
    ck_assert_ptr_nonnull(f);
    char word[64];
    size_t n = 0, words = 0, points = 0;
    for (int c = fgetc(f);; c = fgetc(f)) {
        if (c != EOF && isalpha(c) && n + 1 < sizeof word) {
            word[n++] = (char)tolower(c);
            continue;
        }
        if (n >= 5) {
            word[n] = '\0';
            char a[sizeof word + 5] = {0}, b[sizeof word + 5] = {0};
            char **rep = NULL;
            int *pos = NULL, *cut = NULL;
            hnj_hyphen_hyphenate2(file, word, (int)n, a, NULL, &rep, &pos, &cut);
            hnj_hyphen_hyphenate2(km_hyph_en_US, word, (int)n, b, NULL, &rep,
                                  &pos, &cut);
            ck_assert_msg(strcmp(a, b) == 0, "%s: %s against %s", word, a, b);
            words++;
            for (size_t i = 0; i < n; i++)
                points += a[i] & 1;
        }
        n = 0;
        if (c == EOF)
            break;
    }
    fclose(f);
    hnj_hyphen_free(file);
    ck_assert_uint_gt(words, 1000);
    ck_assert_uint_gt(points, 500);
}
END_TEST

/* Phrases (MeCab, IPA dictionary): a title breaks between 文節 only, and
 * a compound of nouns is one phrase (技術覇権 was once split). '|' marks
 * where a phrase starts. */
START_TEST(test_phrases)
{
    phraser *ph = phrase_new();
    ck_assert_ptr_nonnull(ph);
    const char *t = "世界人工知能大会が示す中国の全貌と技術覇権への戦略的転換";
    const char *want = "世界人工知能大会が|示す|中国の|全貌と|技術覇権への|戦略的転換";
    shape_span sp = {
        .end = strlen(t), .family = "Noto Sans CJK JP", .size = 10, .link = -1};
    shaped *sh = shape_text(F, t, strlen(t), &sp, 1, "", (shape_opts){0});
    phrase_mark(ph, sh);
    char got[256];
    size_t k = 0;
    for (size_t i = 0; i < sh->ncells; i++) {
        if (i > 0 && !(sh->cells[i].flags & JP_GLUED))
            got[k++] = '|';
        size_t b0 = sh->cell_byte[i], b1 = sh->cell_byte[i + 1];
        memcpy(got + k, sh->text + b0, b1 - b0);
        k += b1 - b0;
    }
    got[k] = '\0';
    ck_assert_str_eq(got, want);
    shaped_free(sh);
    phrase_free(ph);
}
END_TEST

START_TEST(test_shape_solid)
{
    /* JLREQ sets kana solid: Noto CJK's kern pairs (ラ after プ, ド
     * before す: 0.97 em) are not applied unless the style asks for
     * proportional setting, where palt narrows kana too */
    const char *t = "リードするプラットフォームのライブラリ";
    shaped *s = shape(t, "");
    ck_assert_uint_eq(s->ncells, 19);
    for (size_t i = 0; i < s->ncells; i++)
        ck_assert_msg(fabs(s->cells[i].advance - 10) < 1e-6, "cell %zu: %.3f pt", i,
                      s->cells[i].advance);
    shaped_free(s);
    s = shape(t, "palt");
    double sum = 0;
    for (size_t i = 0; i < s->ncells; i++)
        sum += s->cells[i].advance;
    ck_assert_double_lt(sum, 19 * 10 - 10);
    shaped_free(s);
    /* Latin keeps its kerning: A before V is closer than A alone, and the
     * kerning is kept apart from the advance, for a line end to drop */
    shaped *a = shape("A", ""), *av = shape("AVATAR", "");
    ck_assert_double_lt(av->cells[0].kern, -0.5);
    ck_assert_double_eq_tol(av->cells[0].advance, a->cells[0].advance, 1e-9);
    ck_assert_double_eq_tol(a->cells[0].kern, 0, 1e-9);
    shaped_free(a);
    shaped_free(av);
}
END_TEST

START_TEST(test_shape_runs)
{
    /* Han, kana and katakana shaped as one run give the glyphs and
     * advances that shaping each script's stretch alone gives */
    const char *t = "本報告は、2025年7月に上海で開催された世界人工知能大会"
                    "（WAIC）について、AIの知的財産権をまとめたものです。"
                    "リードするプラットフォームへと進化を遂げている。";
    shaped *whole = shape(t, "");
    size_t cell = 0, start = 0;
    GUnicodeScript cur = G_UNICODE_SCRIPT_COMMON;
    for (size_t i = 0;; ) {
        GUnicodeScript sc = G_UNICODE_SCRIPT_COMMON;
        size_t next = i;
        if (t[i]) {
            gunichar ch = g_utf8_get_char(t + i);
            sc = g_unichar_get_script(ch);
            next = (size_t)(g_utf8_next_char(t + i) - t);
        }
        bool ends = !t[i] || (sc != G_UNICODE_SCRIPT_COMMON &&
                              cur != G_UNICODE_SCRIPT_COMMON && sc != cur);
        if (ends) {
            char *piece = g_strndup(t + start, i - start);
            shaped *p = shape(piece, "");
            for (size_t k = 0; k < p->ncells; k++, cell++) {
                ck_assert_uint_lt(cell, whole->ncells);
                const jp_cell *a = &whole->cells[cell], *b = &p->cells[k];
                ck_assert_msg(fabs(a->advance - b->advance) < 1e-6 &&
                                  whole->glyphs[whole->cell_glyph[cell]].id ==
                                      p->glyphs[p->cell_glyph[k]].id,
                              "cell %zu of \"%s\" differs", k, piece);
            }
            shaped_free(p);
            g_free(piece);
            start = i;
            if (!t[i])
                break;
        }
        if (sc != G_UNICODE_SCRIPT_COMMON)
            cur = sc;
        i = next;
    }
    ck_assert_uint_eq(cell, whole->ncells);
    shaped_free(whole);
}
END_TEST

START_TEST(test_shape_rtl)
{
    /* right-to-left text inside Japanese is one cell; the cells still
     * cover the text in order (they once went backwards) */
    const char *t = "日本語のעבריתと、العربيةです。";
    shaped *s = shape(t, "");
    ck_assert_uint_eq(s->cell_byte[0], 0);
    ck_assert_uint_eq(s->cell_byte[s->ncells], strlen(t));
    for (size_t i = 0; i < s->ncells; i++)
        ck_assert_uint_lt(s->cell_byte[i], s->cell_byte[i + 1]);
    const char *he = strstr(t, "עברית");
    bool one = false;
    for (size_t i = 0; i < s->ncells; i++)
        one |= s->cell_byte[i] == (size_t)(he - t) &&
               s->cell_byte[i + 1] == (size_t)(he - t) + strlen("עברית");
    ck_assert(one);
    shaped_free(s);
}
END_TEST

/* The fast itemizer and pango_itemize give the same glyphs: on every
 * paragraph of the report (laid out both ways) and on random text over
 * kanji, kana, Latin, numerals, punctuation, spaces, full- and half-width
 * forms, Hangul, Cyrillic, and runs that send it to pango_itemize (emoji,
 * Hebrew, a character no font has), in spans of three sizes and weights. */
static void assert_same_shaping(const shaped *a, const shaped *b, const char *what)
{
    ck_assert_msg(a->ncells == b->ncells && a->nglyphs == b->nglyphs,
                  "%s: %zu/%zu cells, %zu/%zu glyphs", what, a->ncells, b->ncells,
                  a->nglyphs, b->nglyphs);
    for (size_t i = 0; i <= a->ncells; i++)
        ck_assert_msg(a->cell_byte[i] == b->cell_byte[i], "%s: cell %zu", what, i);
    for (size_t i = 0; i < a->ncells; i++)
        ck_assert_msg((a->cells[i].advance == b->cells[i].advance &&
                       a->cells[i].kern == b->cells[i].kern) ||
                          (a->cells[i].flags & JP_INDENT), /* set by the layout */
                      "%s: cell %zu advance %.3f/%.3f", what, i, a->cells[i].advance,
                      b->cells[i].advance);
    for (size_t g = 0; g < a->nglyphs; g++) {
        const shape_glyph *x = &a->glyphs[g], *y = &b->glyphs[g];
        if (a->ncells && (a->cells[0].flags & JP_INDENT) && g < a->cell_glyph[1])
            continue;
        ck_assert_msg(x->id == y->id && x->dx == y->dx && x->dy == y->dy &&
                          x->draw == y->draw &&
                          a->fonts[x->font] == b->fonts[y->font],
                      "%s: glyph %zu", what, g);
    }
}

START_TEST(test_itemize_fast)
{
    ck_assert_ptr_nonnull(L);
    for (size_t i = 0; i < L->nparas; i++) {
        const shaped *fast = L->paras[i];
        shaped *slow = shape_text(F, fast->text, fast->len, fast->spans, fast->nspans,
                                  S.features, (shape_opts){.pango_itemize = true});
        assert_same_shaping(fast, slow, fast->text);
        shaped_free(slow);
    }
    static const char *pool[] = {
        "あいうえおかきくけこがぎぐゃゅょっぁー", "アイウエオカキクケコヴャュョッァー",
        "漢字日本語知的財産権世界人工能大会上海開催", "abcdefghijklmnopqrstuvwxyzAVWTo",
        "0123456789", "、。，．「」『』（）［］・：；！？…―‐〜", "ＡＢＣ１２３％＆＃",
        "ｱｲｳｶﾀｶﾅ", "한글", "Жизнь", " \t 　\xe2\x80\xa8", "😀", "עברית", "\xe2\x98\x80", "\xf0\xaf\xa0\x80",
    };
    static const int weight[] = {25, 15, 25, 8, 5, 10, 3, 2, 1, 1, 4, 1, 1, 1, 1};
    int sum = 0;
    for (size_t i = 0; i < sizeof weight / sizeof *weight; i++)
        sum += weight[i];
    unsigned long r = 12345;
    for (int round = 0; round < 300; round++) {
        char text[4096];
        size_t len = 0;
        int n = 5 + (int)(r % 60);
        for (int c = 0; c < n && len < sizeof text - 16; c++) {
            r = r * 6364136223846793005ul + 1442695040888963407ul;
            int total = 0, pick = 0, w = (int)((r >> 33) % (unsigned long)sum);
            while (total + weight[pick] <= w)
                total += weight[pick++];
            const char *p = pool[pick];
            size_t plen = strlen(p), at = (size_t)((r >> 17) % plen);
            while (at > 0 && ((unsigned char)p[at] & 0xc0) == 0x80)
                at--;
            size_t clen = 1;
            while (at + clen < plen && ((unsigned char)p[at + clen] & 0xc0) == 0x80)
                clen++;
            memcpy(text + len, p + at, clen);
            len += clen;
        }
        text[len] = 0;
        /* three spans: body, a bold stretch, a small raised one */
        size_t a = len / 3, b = 2 * len / 3;
        while (a > 0 && ((unsigned char)text[a] & 0xc0) == 0x80)
            a--;
        while (b > a && ((unsigned char)text[b] & 0xc0) == 0x80)
            b--;
        shape_span sp[3] = {
            {.end = a, .family = "Noto Serif CJK JP", .size = 10, .link = -1},
            {.start = a,
             .end = b,
             .family = round % 2 ? "Noto Sans CJK JP" : "Noto Serif CJK JP",
             .size = 10,
             .bold = true,
             .link = -1},
            {.start = b,
             .end = len,
             .family = "Noto Serif CJK JP",
             .size = 6.5,
             .rise = 3,
             .link = -1},
        };
        shaped *fast = shape_text(F, text, len, sp, 3, "", (shape_opts){0});
        shaped *slow = shape_text(F, text, len, sp, 3, "",
                                  (shape_opts){.pango_itemize = true});
        assert_same_shaping(fast, slow, text);
        shaped_free(fast);
        shaped_free(slow);
    }
}
END_TEST

/* A deletion struck through the em box's centre, an addition underlined
 * below it (horizontal) or beside it on the right (vertical: the frame's
 * top), each a rule over exactly its two characters. */
START_TEST(test_strike_underline)
{
    static const char text[] = "---\ntitle: t\n---\n\n"
                               "本文の語を~~削除~~して<u>追加</u>する。\n";
    diag dg;
    diag_init(&dg);
    doc *d = parse_buffer("s.md", text, sizeof text - 1, &dg);
    ck_assert_ptr_nonnull(d);
    style st;
    style_default(&st);
    if (_i) {
        char path[1024];
        snprintf(path, sizeof path, "%s/styles/tategaki.yaml", getenv("KUMIHAN_DATA"));
        ck_assert(style_load(&st, path, &dg));
    }
    layout *l = layout_run(d, &st, F, &dg, NULL);
    ck_assert_ptr_nonnull(l);
    int found = 0;
    for (size_t p = 0; p < l->npages; p++) {
        const lay_page *pg = &l->pages[p];
        for (size_t i = 0; i < pg->nlines; i++) {
            const lay_line *ln = &pg->lines[i];
            const shaped *sh = ln->sh;
            for (size_t c = ln->start; c + 1 < ln->end; c++) {
                const char *at = sh->text + sh->cell_byte[c];
                bool del = strncmp(at, "削除", 6) == 0, add = strncmp(at, "追加", 6) == 0;
                if (!del && !add)
                    continue;
                double em = sh->cells[c].em;
                double x0 = ln->x0 + ln->x[c - ln->start];
                double x1 = ln->x0 + ln->x[c + 1 - ln->start] + sh->cells[c + 1].advance;
                int rules = 0;
                for (size_t r = 0; r < pg->nrules; r++) {
                    const lay_rule *ru = &pg->rules[r];
                    if (fabs(ru->x0 - x0) > 0.01 || fabs(ru->x1 - x1) > 0.01)
                        continue;
                    rules++;
                    ck_assert(fabs(ru->y0 - ru->y1) < 1e-9);
                    ck_assert(fabs(ru->width - 0.05 * em) < 1e-9);
                    if (del) /* through the middle of the em box */
                        ck_assert(ru->y0 < ln->y && ru->y0 > ln->y - 0.88 * em);
                    else if (_i) /* beside the em box, on its right */
                        ck_assert(ru->y0 < ln->y - 0.88 * em);
                    else /* under the em box */
                        ck_assert(ru->y0 > ln->y + 0.12 * em);
                }
                ck_assert_int_eq(rules, 1);
                found++;
            }
        }
    }
    ck_assert_int_eq(found, 2);
    layout_free(l);
    style_free(&st);
    doc_free(d);
    diag_free(&dg);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("layout");
    TCase *tc = tcase_create("report");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_invariants);
    tcase_add_test(tc, test_lines);
    tcase_add_test(tc, test_widows_orphans);
    tcase_add_test(tc, test_note_clusters);
    tcase_add_test(tc, test_note_links);
    tcase_add_test(tc, test_headings);
    tcase_add_test(tc, test_shape_solid);
    tcase_add_test(tc, test_hyphenation);
    tcase_add_test(tc, test_hyphenation_compiled_in);
    tcase_add_test(tc, test_phrases);
    tcase_add_test(tc, test_shape_runs);
    tcase_add_test(tc, test_shape_rtl);
    tcase_add_test(tc, test_itemize_fast);
    tcase_add_loop_test(tc, test_strike_underline, 0, 2);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
