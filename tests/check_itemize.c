/* The itemizer (text/itemize.c): the fast items agree with pango_itemize
 * item for item where the fast way applies; it steps aside for what it
 * cannot do; and run merging joins exactly the neutral scripts. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/itemize.h"

static fonts *F;

static void setup(void)
{
    diag dg;
    diag_init(&dg);
    F = fonts_new(NULL, &dg);
    diag_print(&dg, stderr);
    diag_free(&dg);
}

static void teardown(void)
{
    fonts_free(F);
}

static GList *items_of(const char *text, bool pango_only, const char *features)
{
    shape_span sp = {.end = strlen(text),
                     .family = "Noto Serif CJK JP",
                     .size = 10,
                     .link = -1};
    return itemize(F, text, strlen(text), &sp, 1, features, pango_only);
}

static void free_items(GList *l)
{
    g_list_free_full(l, (GDestroyNotify)pango_item_free);
}

/* Texts the fast way takes: its items are pango_itemize's, boundary for
 * boundary, with the same font, script and language. */
static const char *same[] = {
    "吾輩は猫である。名前はまだ無い。",
    "中国AIの3.5%と¥12,000、WAIC2025。",
    "「かっこ」と（丸かっこ）、そしてカタカナ。",
    "ＡＢＣ１２３ｶﾀｶﾅ and Latin words.",
    "Жизнь と 한글",
};

START_TEST(test_same_as_pango)
{
    ck_assert_ptr_nonnull(F);
    shape_span sp = {.end = strlen(same[_i]),
                     .family = "Noto Serif CJK JP",
                     .size = 10,
                     .link = -1};
    GList *fast = itemize_fast(F, same[_i], strlen(same[_i]), &sp, 1, "");
    ck_assert_msg(fast != NULL, "%s: the fast way declined", same[_i]);
    GList *slow = items_of(same[_i], true, "");
    GList *a = fast, *b = slow;
    int n = 0;
    for (; a && b; a = a->next, b = b->next, n++) {
        const PangoItem *x = a->data, *y = b->data;
        ck_assert_msg(x->offset == y->offset && x->length == y->length &&
                          x->num_chars == y->num_chars,
                      "%s: item %d at %d+%d, pango %d+%d", same[_i], n,
                      x->offset, x->length, y->offset, y->length);
        ck_assert_msg(x->analysis.script == y->analysis.script,
                      "%s: item %d script", same[_i], n);
        ck_assert_msg(x->analysis.language == y->analysis.language,
                      "%s: item %d language", same[_i], n);
        ck_assert_msg(pango_font_get_hb_font(x->analysis.font) ==
                          pango_font_get_hb_font(y->analysis.font),
                      "%s: item %d font", same[_i], n);
    }
    ck_assert_msg(!a && !b, "%s: item counts differ", same[_i]);
    ck_assert_int_gt(n, 0);
    free_items(fast);
    free_items(slow);
}
END_TEST

/* What it steps aside for still gets items covering the whole text:
 * right-to-left text, an emoji, a tab, a character the first font lacks,
 * and any OpenType feature. */
START_TEST(test_falls_back)
{
    static const struct { const char *text, *features; } cases[] = {
        {"日本語とעברית", ""}, {"笑顔😀です", ""}, {"表\tの列", ""},
        {"\xf0\xaf\xa0\x80字", ""}, {"ふつうの文", "palt"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *t = cases[i].text;
        shape_span sp = {.end = strlen(t),
                         .family = "Noto Serif CJK JP",
                         .size = 10,
                         .link = -1};
        ck_assert_msg(!itemize_fast(F, t, strlen(t), &sp, 1, cases[i].features),
                      "%s: the fast way took it", t);
        GList *l = items_of(t, false, cases[i].features);
        int covered = 0;
        for (GList *m = l; m; m = m->next) {
            const PangoItem *it = m->data;
            ck_assert_int_eq(it->offset, covered);
            covered += it->length;
        }
        ck_assert_int_eq(covered, (int)strlen(cases[i].text));
        free_items(l);
    }
}
END_TEST

/* Han, hiragana and katakana in one font merge; Latin and a change of
 * size never do. */
START_TEST(test_merging)
{
    ck_assert(itemize_neutral_script(PANGO_SCRIPT_HAN));
    ck_assert(itemize_neutral_script(PANGO_SCRIPT_HIRAGANA));
    ck_assert(itemize_neutral_script(PANGO_SCRIPT_KATAKANA));
    ck_assert(!itemize_neutral_script(PANGO_SCRIPT_LATIN));
    GList *l = items_of("漢字かなカナ漢字", false, "");
    ck_assert_int_ge((int)g_list_length(l), 3); /* a script change each */
    for (GList *m = l; m && m->next; m = m->next)
        ck_assert(itemize_mergeable(m->data, m->next->data));
    free_items(l);
    l = items_of("漢字Latin漢字", false, "");
    ck_assert_int_eq((int)g_list_length(l), 3);
    ck_assert(!itemize_mergeable(l->data, l->next->data));
    ck_assert(!itemize_mergeable(l->next->data, l->next->next->data));
    free_items(l);
    /* two sizes: two fonts, never one run */
    const char *t = "漢字かな";
    shape_span sp[2] = {
        {.end = 6, .family = "Noto Serif CJK JP", .size = 10, .link = -1},
        {.start = 6,
         .end = strlen(t),
         .family = "Noto Serif CJK JP",
         .size = 6.5,
         .link = -1}};
    l = itemize(F, t, strlen(t), sp, 2, "", false);
    ck_assert_int_eq((int)g_list_length(l), 2);
    ck_assert(!itemize_mergeable(l->data, l->next->data));
    free_items(l);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("itemize");
    TCase *tc = tcase_create("itemize");
    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_same_as_pango, 0, sizeof same / sizeof *same);
    tcase_add_test(tc, test_falls_back);
    tcase_add_test(tc, test_merging);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
